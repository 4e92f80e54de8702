/**
 * The shape of the keyword lexicons (DOMAIN.md §3) and the one matcher that runs them. English entries are
 * regexes with word boundaries over lower-cased text; Chinese entries are plain substrings over simplified text.
 * Every entry has an id that the flag reason cites as its rule. The lists themselves live in lexicon-en.ts and
 * lexicon-zh.ts; the contexts that cancel a match (questions, negation) are decided in rules.ts.
 */
import type { Flag } from '../contracts/index.js';

/**
 * What else an entry means beyond its flag:
 * - `in_progress`: the fraud is happening now (critical);
 * - `in_progress_modifier`: "as we speak", "还在扣": makes fraud critical only when another fraud entry matched;
 * - `police`: a police report, which in a fraud case is the victim's step, not a legal threat;
 * - `hardship`: money trouble that a frozen account alone explains (dropped when funds_inaccessible is set);
 * - `financial_harm`: the words themselves say the customer is losing money (vulnerable → high);
 * - `needs_regulator`: a referral verb that counts only when a regulator is named in the text;
 * - `question_sensitive`: cancelled inside a general question ("what hardship options do you have?").
 */
export type EntryTrait =
  | 'in_progress'
  | 'in_progress_modifier'
  | 'police'
  | 'hardship'
  | 'financial_harm'
  | 'needs_regulator'
  | 'question_sensitive';

interface EntryBase {
  /** Rule id, cited in flag reasons: `<flag-ish>_<en|zh>_<what>`. */
  readonly id: string;
  readonly flag: Flag;
  readonly traits?: readonly EntryTrait[];
}

export interface EnglishEntry extends EntryBase {
  readonly language: 'en';
  /** Lower-case patterns with word boundaries; every repetition bounded (no `*` or `+`). */
  readonly patterns: readonly RegExp[];
  /** A match is cancelled when its sentence also matches this (e.g. "paid my solicitor"). */
  readonly unlessSentence?: RegExp;
}

export interface ChineseEntry extends EntryBase {
  readonly language: 'zh';
  /** Simplified-Chinese substrings (ASCII parts lower-case). */
  readonly terms: readonly string[];
  /** A match is cancelled when one of these directly precedes it (跳楼 ← not after 你们去). */
  readonly notPrecededBy?: readonly string[];
  /** A match is cancelled when one of these directly follows it (跳楼价, 想死你了). */
  readonly notFollowedBy?: readonly string[];
}

export type LexiconEntry = EnglishEntry | ChineseEntry;

/** One occurrence of an entry in the text. */
export interface LexiconHit {
  /** The words as they appear in the normalised text. */
  word: string;
  /** Index in the normalised text. */
  index: number;
}

/** At most this many occurrences of one entry are examined (bounds work on 100 KB of repeated words). */
export const MAX_HITS_PER_ENTRY = 40;

const globalPatterns = new WeakMap<RegExp, RegExp>();

function globalVersion(pattern: RegExp): RegExp {
  let global = globalPatterns.get(pattern);
  if (global === undefined) {
    global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
    globalPatterns.set(pattern, global);
  }
  return global;
}

const ASCII_WORD = /[a-z0-9]/;

function isAsciiWord(character: string | undefined): boolean {
  return character !== undefined && ASCII_WORD.test(character);
}

/** A Chinese term that begins or ends with ASCII letters/digits must not run into more of them (12378 in 6212378…). */
function hasAsciiBoundaries(text: string, index: number, term: string): boolean {
  if (isAsciiWord(term[0]) && isAsciiWord(text[index - 1])) return false;
  if (isAsciiWord(term[term.length - 1]) && isAsciiWord(text[index + term.length])) return false;
  return true;
}

function isExcludedByNeighbours(entry: ChineseEntry, text: string, index: number, term: string): boolean {
  const before = text.slice(Math.max(0, index - 4), index);
  const after = text.slice(index + term.length, index + term.length + 4);
  return (
    (entry.notPrecededBy?.some((word) => before.endsWith(word)) ?? false) ||
    (entry.notFollowedBy?.some((word) => after.startsWith(word)) ?? false)
  );
}

const combinedPatterns = new WeakMap<EnglishEntry, RegExp | null>();

/**
 * One regex that matches where any of the entry's patterns would (their alternation), used to skip the entry with
 * a single scan when none occurs — most entries, for most texts. Null when the patterns' flags differ.
 */
function combinedPattern(entry: EnglishEntry): RegExp | null {
  let combined = combinedPatterns.get(entry);
  if (combined === undefined) {
    const flags = new Set(entry.patterns.map((pattern) => pattern.flags.replace('g', '')));
    const [only] = flags;
    combined = flags.size === 1 && only !== undefined ? new RegExp(entry.patterns.map((pattern) => `(?:${pattern.source})`).join('|'), only) : null;
    combinedPatterns.set(entry, combined);
  }
  return combined;
}

/** Texts without a Latin letter cannot match an English entry; texts without a Han character, a Chinese one. */
const LATIN = /[a-z]/i;
const HAN = /\p{Script=Han}/u;

function* englishHits(entry: EnglishEntry, text: string): Generator<LexiconHit> {
  if (!LATIN.test(text)) return;
  const combined = combinedPattern(entry);
  if (combined !== null && !combined.test(text)) return;
  for (const pattern of entry.patterns) {
    let count = 0;
    for (const match of text.matchAll(globalVersion(pattern))) {
      yield { word: match[0], index: match.index };
      count += 1;
      if (count >= MAX_HITS_PER_ENTRY) break;
    }
  }
}

const allHanTerms = new WeakMap<ChineseEntry, boolean>();

function onlyHanTerms(entry: ChineseEntry): boolean {
  let only = allHanTerms.get(entry);
  if (only === undefined) {
    only = entry.terms.every((term) => HAN.test(term));
    allHanTerms.set(entry, only);
  }
  return only;
}

function* chineseHits(entry: ChineseEntry, text: string): Generator<LexiconHit> {
  if (onlyHanTerms(entry) && !HAN.test(text)) return;
  for (const term of entry.terms) {
    let count = 0;
    let from = 0;
    while (count < MAX_HITS_PER_ENTRY) {
      const index = text.indexOf(term, from);
      if (index < 0) break;
      from = index + 1;
      count += 1;
      if (hasAsciiBoundaries(text, index, term) && !isExcludedByNeighbours(entry, text, index, term)) {
        yield { word: term, index };
      }
    }
  }
}

/** Every occurrence of `entry` in the normalised `text` (up to {@link MAX_HITS_PER_ENTRY} per pattern or term). */
export function findHits(entry: LexiconEntry, text: string): Generator<LexiconHit> {
  return entry.language === 'en' ? englishHits(entry, text) : chineseHits(entry, text);
}

/** Whether any of `terms` (Chinese substrings) or `patterns` (English) occurs in `text`; returns the first found. */
export function firstCue(text: string, patterns: readonly RegExp[], terms: readonly string[]): string | undefined {
  for (const pattern of patterns) {
    const match = pattern.exec(text);
    if (match !== null) return match[0];
  }
  for (const term of terms) {
    if (text.includes(term)) return term;
  }
  return undefined;
}
