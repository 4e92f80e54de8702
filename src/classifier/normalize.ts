/**
 * Text normalisation for matching (DESIGN.md §8): Unicode NFKC (which also folds full-width letters, digits and
 * punctuation to half-width), typographic quotes to ASCII, zero-width characters removed, traditional Chinese
 * characters of the lexicons to simplified, whitespace collapsed and lower-cased. The original text is kept
 * beside the normalised one; nothing here is meant for display.
 */
import { toSimplified } from './traditional-chinese.js';

export interface NormalizedText {
  /** The text exactly as received. */
  original: string;
  /** The text to match rules against: NFKC, simplified, single-spaced, lower-case. */
  normalized: string;
}

/** Zero-width and directional formatting characters that only hide words from matching. */
const INVISIBLE = /[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
const SINGLE_QUOTES = /[\u2018\u2019\u201a\u201b\u2032\u0060\u00b4]/g;
const DOUBLE_QUOTES = /[\u201c\u201d\u201e\u201f\u2033]/g;
const DASHES = /[\u2010-\u2015\u2212]/g;
const WHITESPACE = /\s+/g;

/** NFKC that never throws (lone surrogates in binary garbage are left as they are). */
function safeNfkc(text: string): string {
  try {
    return text.normalize('NFKC');
  } catch {
    return text;
  }
}

/** The matching form of one text: the steps of the module header, in order. */
export function normalizeForMatching(text: string): string {
  const folded = safeNfkc(text)
    .replace(INVISIBLE, '')
    .replace(SINGLE_QUOTES, "'")
    .replace(DOUBLE_QUOTES, '"')
    .replace(DASHES, '-');
  return toSimplified(folded).replace(WHITESPACE, ' ').trim().toLowerCase();
}

/** Normalises a message, keeping the original beside it. */
export function normalizeText(text: string): NormalizedText {
  return { original: text, normalized: normalizeForMatching(text) };
}
