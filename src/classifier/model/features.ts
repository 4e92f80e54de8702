/**
 * Features of the local model, for English and Chinese alike, over the text as normalize.ts folds it: lower-cased
 * word unigrams and bigrams for runs of non-Han letters and digits (numbers collapse to `#`; masks such as CFPB's `XXXX` are dropped), character unigrams
 * and bigrams for runs of Han characters. Only the first {@link FEATURE_TEXT_LIMIT} characters are read, so a huge
 * message costs no more than a long one. Each feature appears once per text (binary features).
 */
import { normalizeForMatching } from '../normalize.js';

export const FEATURE_TEXT_LIMIT = 4000;

const TOKEN = /\p{Script=Han}+|[\p{L}\p{N}]+(?:'\p{L}+)?/gu;
const HAN = /\p{Script=Han}/u;
const DIGITS = /^\p{N}+$/u;
/** Redaction masks in the labelled data (CFPB writes `XXXX` for names and dates): they say nothing about the complaint. */
const MASK = /^x{2,}$/;

function wordFeatures(words: readonly string[], into: Set<string>): void {
  for (let index = 0; index < words.length; index += 1) {
    const word = words[index] ?? '';
    into.add(`w:${word}`);
    const next = words[index + 1];
    if (next !== undefined) into.add(`w:${word} ${next}`);
  }
}

function hanFeatures(run: string, into: Set<string>): void {
  const characters = Array.from(run);
  for (let index = 0; index < characters.length; index += 1) {
    const character = characters[index] ?? '';
    into.add(`h:${character}`);
    const next = characters[index + 1];
    if (next !== undefined) into.add(`h:${character}${next}`);
  }
}

/** The distinct features of a text (any input: non-strings and empty text give none). */
export function extractFeatures(text: unknown): string[] {
  if (typeof text !== 'string' || text === '') return [];
  const normalized = normalizeForMatching(text.slice(0, FEATURE_TEXT_LIMIT));
  const features = new Set<string>();
  let words: string[] = [];
  for (const match of normalized.matchAll(TOKEN)) {
    const token = match[0];
    if (HAN.test(token)) {
      wordFeatures(words, features);
      words = [];
      hanFeatures(token, features);
    } else if (!MASK.test(token)) {
      words.push(DIGITS.test(token) ? '#' : token);
    }
  }
  wordFeatures(words, features);
  return [...features];
}
