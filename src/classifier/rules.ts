/**
 * The rule layer for flags and urgency: runs the EN and ZH lexicons over normalised text, cancels matches whose
 * context changes their meaning (a general question or hypothetical about fraud, a blocked attempt, 没被骗,
 * 涉嫌电诈), applies the cross-flag adjustments of TAXONOMY.md, adds `large_amount` from amounts.ts and
 * `repeat_complaint` from the store's open-complaint fact, and decides urgency (urgency.ts). Pure and explainable:
 * every flag names the rule and the words that set it.
 */
import { Flag, type FlagReason, type Kind, type Language, type Urgency } from '../contracts/index.js';
import { isLargeAmount, largestAmount, parseNormalizedAmounts, type ParsedAmount } from './amounts.js';
import {
  BLOCKED_ATTEMPT,
  CHINESE_NEGATION_PREFIXES,
  FINANCIAL_HARM,
  findCue,
  GENERAL_QUESTION,
  HYPOTHETICAL,
  isQuestion,
  NOTHING_HAPPENED,
  RESOLVED,
} from './cues.js';
import { findHits, type EntryTrait, type LexiconEntry } from './lexicon.js';
import { ENGLISH_LEXICON } from './lexicon-en.js';
import { CHINESE_LEXICON } from './lexicon-zh.js';
import { spanAt, splitSentences, type Span } from './sentences.js';
import { decideUrgency } from './urgency.js';

export interface RuleContext {
  /** The store shows an open complaint from the same customer. */
  customerHasOpenComplaint?: boolean;
  /** The message kind, when already decided; medium floors apply only to complaints (default `complaint`). */
  kind?: Kind;
}

export interface RuleOutcome {
  flags: FlagReason[];
  urgency: Urgency;
  /** Fraud happening now (money leaving, scammer on the line, account being taken over). */
  fraudInProgress: boolean;
  /** Words showing the customer is losing money (raises vulnerable_customer to high). */
  financialHarm: string[];
  amounts: ParsedAmount[];
  /** The largest amount at stake, for the record. */
  largestAmount: ParsedAmount | undefined;
}

/** One lexicon entry that matched, with the words that matched it. */
interface Evidence {
  entry: LexiconEntry;
  words: string[];
}

const LEXICON: readonly LexiconEntry[] = [...ENGLISH_LEXICON, ...CHINESE_LEXICON];
const WORDS_PER_ENTRY = 3;
const MATCHED_LIMIT = 20;
const WORD_LIMIT = 200;
/** Flags whose matches a general question or a hypothetical cancels (the customer asks, nothing happened). */
const EVENT_FLAGS: ReadonlySet<Flag> = new Set<Flag>(['fraud', 'funds_inaccessible']);
/** Flags that count as financial harm for a vulnerable customer. */
const HARM_FLAGS: readonly Flag[] = ['fraud', 'funds_inaccessible', 'large_amount'];

function hasTrait(entry: LexiconEntry, trait: EntryTrait): boolean {
  return entry.traits?.includes(trait) ?? false;
}

/** 没(有)被盗刷, 涉嫌电诈, 防范诈骗: a negation or third-party prefix right before the term (a 被 in between is skipped). */
function isNegatedChinese(text: string, index: number): boolean {
  const before = text.slice(Math.max(0, index - 5), index).replace(/被人?$/, '');
  return CHINESE_NEGATION_PREFIXES.some((prefix) => before.endsWith(prefix));
}

interface MatchContext {
  text: string;
  sentences: readonly Span[];
  nothingHappened: boolean;
}

/** Whether the sentence around a match changes its meaning so that the entry must not fire. */
function isCancelled(entry: LexiconEntry, index: number, context: MatchContext): boolean {
  const span = spanAt(context.sentences, index);
  const sentence = context.text.slice(span.start, span.end);
  if (entry.language === 'en' && entry.unlessSentence?.test(sentence) === true) return true;
  if (entry.language === 'zh' && entry.flag !== 'self_harm' && isNegatedChinese(context.text, index)) return true;
  const eventLike = EVENT_FLAGS.has(entry.flag) || hasTrait(entry, 'question_sensitive');
  if (eventLike && isQuestion(sentence) && findCue(sentence, GENERAL_QUESTION) !== undefined) return true;
  if (eventLike && findCue(sentence, HYPOTHETICAL) !== undefined) return true;
  if (entry.flag === 'fraud' && !hasTrait(entry, 'in_progress')) {
    if (context.nothingHappened) return true;
    if (findCue(sentence, BLOCKED_ATTEMPT) !== undefined || findCue(sentence, RESOLVED) !== undefined) return true;
  }
  return false;
}

function collectEvidence(context: MatchContext): Evidence[] {
  const evidence: Evidence[] = [];
  for (const entry of LEXICON) {
    const words: string[] = [];
    for (const hit of findHits(entry, context.text)) {
      if (words.includes(hit.word) || isCancelled(entry, hit.index, context)) continue;
      words.push(hit.word);
      if (words.length >= WORDS_PER_ENTRY) break;
    }
    if (words.length > 0) evidence.push({ entry, words });
  }
  return evidence;
}

/** The cross-flag rules of TAXONOMY.md and DOMAIN.md §3 that a single keyword cannot decide. */
function adjustEvidence(evidence: readonly Evidence[]): Evidence[] {
  const has = (flag: Flag, list: readonly Evidence[]) => list.some((item) => item.entry.flag === flag);
  const namesRegulator = has('regulator_threat', evidence);
  let adjusted = evidence.filter((item) => namesRegulator || !hasTrait(item.entry, 'needs_regulator'));
  const fraudCore = adjusted.some((item) => item.entry.flag === 'fraud' && !hasTrait(item.entry, 'in_progress_modifier'));
  adjusted = adjusted.filter((item) => fraudCore || !hasTrait(item.entry, 'in_progress_modifier'));
  const referred = has('regulator_referred', adjusted);
  const fraud = has('fraud', adjusted);
  const fundsInaccessible = has('funds_inaccessible', adjusted);
  return adjusted.filter(
    (item) =>
      !(referred && item.entry.flag === 'regulator_threat') &&
      !(fraud && hasTrait(item.entry, 'police')) &&
      !(fundsInaccessible && hasTrait(item.entry, 'hardship')),
  );
}

function flagReason(flag: Flag, rule: string, words: readonly string[]): FlagReason {
  const matched = [...new Set(words)].slice(0, MATCHED_LIMIT).map((word) => word.slice(0, WORD_LIMIT));
  return { flag, source: 'rule', rule, matched };
}

function buildFlags(evidence: readonly Evidence[], largeAmounts: readonly ParsedAmount[], context: RuleContext): FlagReason[] {
  const flags: FlagReason[] = [];
  for (const flag of Flag.options) {
    const items = evidence.filter((item) => item.entry.flag === flag);
    // The in-progress entry names the rule for fraud, so the reason explains a critical level.
    items.sort((left, right) => Number(hasTrait(right.entry, 'in_progress')) - Number(hasTrait(left.entry, 'in_progress')));
    const first = items[0];
    if (first !== undefined) {
      flags.push(flagReason(flag, first.entry.id, items.flatMap((item) => item.words)));
    } else if (flag === 'large_amount' && largeAmounts[0] !== undefined) {
      const rule = `large_amount_${largeAmounts[0].currency.toLowerCase()}`;
      flags.push(flagReason(flag, rule, largeAmounts.map((amount) => amount.text)));
    } else if (flag === 'repeat_complaint' && context.customerHasOpenComplaint === true) {
      flags.push(flagReason(flag, 'structural_open_complaint', []));
    }
  }
  return flags;
}

function financialHarmWords(text: string, evidence: readonly Evidence[], flags: readonly FlagReason[]): string[] {
  const words: string[] = [];
  const cue = findCue(text, FINANCIAL_HARM);
  if (cue !== undefined) words.push(cue);
  for (const item of evidence) if (hasTrait(item.entry, 'financial_harm')) words.push(...item.words);
  for (const reason of flags) if (HARM_FLAGS.includes(reason.flag)) words.push(reason.flag);
  return [...new Set(words)];
}

/**
 * Applies the rules to a normalised text (normalize.ts) in `language`: flags with their reasons, and the
 * urgency they call for on a message of `context.kind` (a complaint unless told otherwise).
 */
export function applyRules(normalizedText: string, language: Language, context: RuleContext = {}): RuleOutcome {
  const matchContext: MatchContext = {
    text: normalizedText,
    sentences: splitSentences(normalizedText),
    nothingHappened: findCue(normalizedText, NOTHING_HAPPENED) !== undefined,
  };
  const evidence = adjustEvidence(collectEvidence(matchContext));
  const amounts = parseNormalizedAmounts(normalizedText, language === 'zh' ? 'CNY' : 'USD');
  const largeAmounts = amounts.filter((amount) => amount.atStake && isLargeAmount(amount));
  const flags = buildFlags(evidence, largeAmounts, context);
  const fraudInProgress =
    flags.some((reason) => reason.flag === 'fraud') &&
    evidence.some((item) => hasTrait(item.entry, 'in_progress') || hasTrait(item.entry, 'in_progress_modifier'));
  const financialHarm = financialHarmWords(normalizedText, evidence, flags);
  const urgency = decideUrgency(flags, { fraudInProgress, financialHarm }, context.kind ?? 'complaint');
  return { flags, urgency, fraudInProgress, financialHarm, amounts, largestAmount: largestAmount(amounts) };
}
