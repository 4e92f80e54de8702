/**
 * Rule decisions for `product` and `issue`: weighted keyword votes (product-lexicon.ts) over normalised text.
 * A channel's product hint wins outright. With no vote the value is `other` from `default`, confidence 0.
 * `issue` starts from the flags (fraud → unauthorized_fraud, funds_inaccessible → account_access).
 */
import type { FlagReason, Issue, IssueDecision, Product, ProductDecision } from '../contracts/index.js';
import { ISSUE_ENTRIES, PRODUCT_ENTRIES, type VoteEntry } from './product-lexicon.js';

/** Confidence below this makes a decision worth a human look (needsReview). */
export const LOW_CONFIDENCE = 0.5;
const REASON_LIMIT = 500;

/** When votes tie, the more specific product wins (a 征信 complaint mentions a 信用卡 too). */
const PRODUCT_PRIORITY: readonly Product[] = [
  'credit_reporting', 'debt_collection', 'mortgages', 'wealth_insurance', 'loans', 'digital_banking', 'payments_transfers', 'cards', 'deposit_accounts', 'other',
];
const ISSUE_PRIORITY: readonly Issue[] = [
  'unauthorized_fraud', 'collection_conduct', 'credit_report_error', 'privacy_data', 'misleading_sales', 'account_access', 'fees_interest',
  'transaction_problem', 'loan_servicing', 'account_management', 'service_conduct', 'other',
];

interface Tally<Value extends string> {
  value: Value;
  score: number;
  rules: string[];
}

function matchedWords(entry: VoteEntry<string>, text: string): string[] {
  const words: string[] = [];
  for (const pattern of entry.en ?? []) {
    const match = pattern.exec(text);
    if (match !== null) words.push(match[0]);
  }
  for (const term of entry.zh ?? []) if (text.includes(term)) words.push(term);
  return words;
}

/** Sums the entries' votes per value; each entry counts once, twice when two of its words match. */
export function tallyVotes<Value extends string>(entries: readonly VoteEntry<Value>[], text: string, priority: readonly Value[]): Tally<Value>[] {
  const tallies = new Map<Value, Tally<Value>>();
  for (const entry of entries) {
    const words = matchedWords(entry, text);
    if (words.length === 0) continue;
    const tally = tallies.get(entry.value) ?? { value: entry.value, score: 0, rules: [] };
    tally.score += entry.weight * Math.min(2, words.length);
    tally.rules.push(`${entry.id}: ${words.slice(0, 4).map((word) => `'${word}'`).join(', ')}`);
    tallies.set(entry.value, tally);
  }
  return [...tallies.values()].sort((left, right) => right.score - left.score || priority.indexOf(left.value) - priority.indexOf(right.value));
}

function confidenceOf(best: number, second: number): number {
  const margin = best === 0 ? 0 : (best - second) / best;
  return Math.round(Math.min(0.9, 0.3 + 0.04 * best + 0.3 * margin) * 100) / 100;
}

function reasonOf(rules: readonly string[]): string {
  const text = `rule ${rules.join('; ')}`;
  return text.length > REASON_LIMIT ? `${text.slice(0, REASON_LIMIT - 1)}…` : text;
}

/** The product of a message: the channel's hint if given, else the strongest keyword vote, else `other`. */
export function decideProduct(normalizedText: string, productHint?: Product): ProductDecision {
  if (productHint !== undefined) {
    return { value: productHint, source: 'channel', confidence: 1, reason: 'product given by the channel' };
  }
  const [best, second] = tallyVotes(PRODUCT_ENTRIES, normalizedText, PRODUCT_PRIORITY);
  if (best === undefined) return { value: 'other', source: 'default', confidence: 0, reason: 'no product keyword matched' };
  return { value: best.value, source: 'rule', confidence: confidenceOf(best.score, second?.score ?? 0), reason: reasonOf(best.rules) };
}

/** The issue of a message: from its flags when they say it, else the strongest keyword vote, else `other`. */
export function decideIssue(normalizedText: string, flags: readonly FlagReason[]): IssueDecision {
  const fraud = flags.find((reason) => reason.flag === 'fraud');
  if (fraud !== undefined) {
    return { value: 'unauthorized_fraud', source: 'rule', confidence: 0.8, reason: `flag fraud (rule ${fraud.rule})` };
  }
  const funds = flags.find((reason) => reason.flag === 'funds_inaccessible');
  if (funds !== undefined) {
    return { value: 'account_access', source: 'rule', confidence: 0.75, reason: `flag funds_inaccessible (rule ${funds.rule})` };
  }
  const [best, second] = tallyVotes(ISSUE_ENTRIES, normalizedText, ISSUE_PRIORITY);
  if (best === undefined) return { value: 'other', source: 'default', confidence: 0, reason: 'no issue keyword matched' };
  return { value: best.value, source: 'rule', confidence: Math.min(0.7, confidenceOf(best.score, second?.score ?? 0)), reason: reasonOf(best.rules) };
}
