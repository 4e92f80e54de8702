/**
 * Rule decisions for `kind` and `sentiment` (TAXONOMY.md). Kind: `complaint` when a harm flag is set or the
 * customer is dissatisfied (sarcastic praise included); `compliment` for praise said straight; `inquiry` for a
 * question with no dissatisfaction; `other` for greetings, spam, misdirected or empty messages. A plain statement
 * about a product with none of these cues is most likely a complaint, at low confidence.
 */
import type { FlagReason, KindDecision, ProductDecision, SentimentDecision } from '../contracts/index.js';
import { DISSATISFACTION, GREETINGS, INQUIRY, NOT_FOR_US, PRAISE, SARCASM, STRONG_NEGATIVE, type KindCue } from './kind-lexicon.js';

const LETTER = /\p{L}/u;
const NON_LETTERS = /[^\p{L}]/gu;

interface CueHit {
  id: string;
  word: string;
}

function cueHit(cue: KindCue, text: string): CueHit | undefined {
  for (const pattern of cue.en ?? []) {
    const match = pattern.exec(text);
    if (match !== null) return { id: cue.id, word: match[0] };
  }
  const term = cue.zh?.find((candidate) => text.includes(candidate));
  return term === undefined ? undefined : { id: cue.id, word: term };
}

function cueHits(cues: readonly KindCue[], text: string): CueHit[] {
  return cues.flatMap((cue) => cueHit(cue, text) ?? []);
}

function describe(hits: readonly CueHit[]): string {
  return hits.map((hit) => `${hit.id}: '${hit.word}'`).join('; ').slice(0, 480);
}

function isGreetingOnly(text: string): boolean {
  const rest = text.replace(GREETINGS.en, '').replace(GREETINGS.zh, '').replace(NON_LETTERS, '');
  return rest.length <= 1;
}

/** Flags that mean something went wrong for the customer (vulnerability alone is a trait, not a grievance). */
function grievanceFlags(flags: readonly FlagReason[]): FlagReason[] {
  return flags.filter((reason) => reason.flag !== 'vulnerable_customer');
}

/** The kind of a normalised message, given its flags and product decision. */
export function decideKind(normalizedText: string, flags: readonly FlagReason[], product: ProductDecision): KindDecision {
  if (!LETTER.test(normalizedText)) {
    return { value: 'other', source: 'default', confidence: 0, reason: 'no words in the message' };
  }
  const grievances = grievanceFlags(flags);
  const firstGrievance = grievances[0];
  if (firstGrievance !== undefined) {
    const names = grievances.map((reason) => `${reason.flag} (rule ${reason.rule})`).join(', ');
    return { value: 'complaint', source: 'rule', confidence: 0.85, reason: `harm flags: ${names}`.slice(0, 500) };
  }
  const notForUs = cueHits(NOT_FOR_US, normalizedText);
  if (notForUs.length > 0) return { value: 'other', source: 'rule', confidence: 0.7, reason: `rule ${describe(notForUs)}` };
  const dissatisfaction = cueHits(DISSATISFACTION, normalizedText);
  const praise = cueHits(PRAISE, normalizedText);
  const sarcasm = cueHit(SARCASM, normalizedText);
  if (sarcasm !== undefined && (praise.length > 0 || dissatisfaction.length > 0)) {
    return { value: 'complaint', source: 'rule', confidence: 0.7, reason: `rule ${describe([sarcasm, ...dissatisfaction])}` };
  }
  if (dissatisfaction.length > 0 && dissatisfaction.length >= praise.length) {
    const confidence = Math.min(0.85, 0.55 + 0.1 * dissatisfaction.length);
    return { value: 'complaint', source: 'rule', confidence, reason: `rule ${describe(dissatisfaction)}` };
  }
  if (praise.length > 0) {
    return { value: 'compliment', source: 'rule', confidence: Math.min(0.85, 0.6 + 0.1 * praise.length), reason: `rule ${describe(praise)}` };
  }
  if (isGreetingOnly(normalizedText)) {
    return { value: 'other', source: 'rule', confidence: 0.6, reason: 'rule other_greeting: greeting or test words only' };
  }
  const inquiry = cueHits(INQUIRY, normalizedText);
  if (inquiry.length > 0 || normalizedText.includes('?')) {
    const reason = inquiry.length > 0 ? `rule ${describe(inquiry)}` : "rule inquiry_question_mark: '?'";
    return { value: 'inquiry', source: 'rule', confidence: inquiry.length > 0 ? 0.65 : 0.5, reason };
  }
  if (product.source === 'rule' || flags.length > 0) {
    return { value: 'complaint', source: 'rule', confidence: 0.4, reason: 'rule complaint_statement: a statement about a product, with no question or praise' };
  }
  return { value: 'other', source: 'default', confidence: 0, reason: 'no kind cue matched' };
}

/** Sentiment: praise is positive; a complaint is negative when harmed or said with strong feeling, else neutral. */
export function decideSentiment(normalizedText: string, kind: KindDecision, flags: readonly FlagReason[]): SentimentDecision {
  if (kind.value === 'compliment') return { value: 'positive', source: 'rule', confidence: 0.7, reason: 'a compliment' };
  if (kind.value !== 'complaint') return { value: 'neutral', source: 'rule', confidence: 0.5, reason: `a message of kind ${kind.value}` };
  const strong = cueHit(STRONG_NEGATIVE, normalizedText) ?? cueHit(SARCASM, normalizedText);
  const grievances = grievanceFlags(flags);
  if (strong !== undefined || grievances.length > 0 || cueHits(DISSATISFACTION, normalizedText).length >= 2) {
    const why = strong !== undefined ? `rule ${strong.id}: '${strong.word}'` : 'harm flags or several dissatisfaction cues';
    return { value: 'negative', source: 'rule', confidence: 0.6, reason: why };
  }
  return { value: 'neutral', source: 'rule', confidence: 0.4, reason: 'a complaint stated without strong feeling' };
}
