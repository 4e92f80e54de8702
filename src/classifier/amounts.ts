/**
 * Money amounts in complaint text: symbols and codes (¥ 元 RMB 万 千, HK$, US$/$, £, €, A$), "k", "thousand",
 * "grand", CFPB's `{$1200.00}`, comma thousands, and numbers in words (English and Chinese). Each amount says
 * whether money is actually at stake: amounts next to a limit or ad cue ("额度5万", "limit of $20,000") or in a
 * general question are not. `large_amount` (TAXONOMY.md) uses per-currency thresholds of about US$10,000.
 */
import { MAX_CLASSIFIED_CHARS } from './classifier.js';
import { findCue, GENERAL_QUESTION, isQuestion } from './cues.js';
import { normalizeForMatching } from './normalize.js';
import {
  CHINESE_NUMERAL_CHARACTERS,
  CHINESE_NUMERAL_START,
  ENGLISH_NUMBER_WORDS,
  parseChineseNumber,
  parseEnglishNumber,
} from './number-words.js';
import { spanAt, splitSentences, type Span } from './sentences.js';

export type CurrencyCode = 'USD' | 'GBP' | 'EUR' | 'CNY' | 'HKD' | 'AUD';

export interface ParsedAmount {
  value: number;
  currency: CurrencyCode;
  /** The value in US dollars by the fixed table {@link USD_PER_UNIT} (for comparing amounts, not accounting). */
  usd: number;
  /** True when the text named no currency for this amount and a default was used. */
  currencyAssumed: boolean;
  /** The amount as written (in the normalised text). */
  text: string;
  /** Index in the normalised text. */
  index: number;
  /** False for amounts in ads, limits or general questions. */
  atStake: boolean;
}

/** Fixed, approximate US dollars per unit: for ordering amounts of different currencies, not for accounting. */
export const USD_PER_UNIT: Readonly<Record<CurrencyCode, number>> = {
  USD: 1, GBP: 1.27, EUR: 1.08, CNY: 0.14, HKD: 0.128, AUD: 0.66,
};

/** TAXONOMY.md `large_amount`: about US$10,000, written as the round figures the taxonomy gives. */
export const LARGE_AMOUNT_THRESHOLD: Readonly<Record<CurrencyCode, number>> = {
  USD: 10_000, GBP: 10_000, EUR: 10_000, CNY: 50_000, HKD: 80_000, AUD: 15_000,
};

const CURRENCY_WORDS: Readonly<Record<string, CurrencyCode>> = {
  'us$': 'USD', usd: 'USD', $: 'USD', dollar: 'USD', dollars: 'USD', bucks: 'USD', 美元: 'USD',
  'hk$': 'HKD', hkd: 'HKD', 港币: 'HKD', 港元: 'HKD', 蚊: 'HKD',
  'a$': 'AUD', 'au$': 'AUD', aud: 'AUD', 澳元: 'AUD', 澳币: 'AUD',
  '£': 'GBP', gbp: 'GBP', pound: 'GBP', pounds: 'GBP', quid: 'GBP', 英镑: 'GBP',
  '€': 'EUR', eur: 'EUR', euro: 'EUR', euros: 'EUR', 欧元: 'EUR',
  '¥': 'CNY', rmb: 'CNY', cny: 'CNY', yuan: 'CNY', 元: 'CNY', 圆: 'CNY', 块: 'CNY', 块钱: 'CNY', 人民币: 'CNY',
};

const SCALES: Readonly<Record<string, number>> = {
  k: 1_000, thousand: 1_000, grand: 1_000, 千: 1_000, w: 10_000, 万: 10_000, m: 1_000_000, million: 1_000_000,
  bn: 1_000_000_000, billion: 1_000_000_000, 亿: 100_000_000,
};

const PREFIX = '(us\\$|hk\\$|au\\$|a\\$|usd|hkd|aud|gbp|eur|rmb|cny|人民币|\\$|£|€|¥)';
const NUMBER = '(\\d{1,3}(?:,\\d{3}){1,6}(?:\\.\\d{1,2})?|\\d{1,12}(?:\\.\\d{1,4})?)';
const SCALE = '(k|m|bn|thousand|grand|million|billion|万|千|亿|w)';
const SUFFIX = '(usd|dollars?|bucks|hkd|gbp|pounds?|quid|eur|euros?|aud|cny|rmb|yuan|块钱|块|元|圆|蚊|人民币|港币|港元|美元|英镑|欧元|澳元|澳币)';
const NUMERIC_AMOUNT = new RegExp(
  `(?<![\\w$£€¥])(?<!\\d[.,])(?:${PREFIX} ?)?${NUMBER}(?: ?${SCALE}(?![a-z]))?[多几余]?(?: ?${SUFFIX}(?![a-z]))?`,
  'gu',
);
const WORD_AMOUNT = new RegExp(`\\b((?:(?:${ENGLISH_NUMBER_WORDS})(?:[ -]|\\b)){1,12})(grand|pounds?|quid|dollars?|bucks|euros?)?\\b`, 'g');
const CHINESE_AMOUNT = new RegExp(`(上)?([${CHINESE_NUMERAL_CHARACTERS}]{1,12})(块钱|块|元|圆|蚊|美元|港币|港元|英镑|欧元|澳元)?`, 'gu');

/** Cues that make a nearby amount a limit, an offer or an ad rather than money at stake. */
const LIMIT_CUES = {
  en: [/\b(?:limit|limits|up to|maximum|max|minimum|min|credit line|approved for|pre-approved|offer|earn|win|won|prize|gift card|bonus|cashback|reward|selected for)\b/],
  zh: ['额度', '最高', '上限', '限额', '最多', '最低', '起存', '起购', '可贷', '能贷', '备用金', '领取', '中奖', '奖励', '赠送'],
};
/** How far a limit cue may sit before / after an amount, within the same clause. */
const LIMIT_BEFORE = 16;
const LIMIT_AFTER = 10;
/** Retirement-plan names that look like amounts. */
const NOT_AMOUNTS = /^(?:401k|403b|457b)$/;

interface RawAmount {
  value: number;
  currency: CurrencyCode | undefined;
  text: string;
  index: number;
}

function currencyOf(word: string | undefined): CurrencyCode | undefined {
  return word === undefined ? undefined : CURRENCY_WORDS[word];
}

function numericAmounts(text: string): RawAmount[] {
  const found: RawAmount[] = [];
  for (const match of text.matchAll(NUMERIC_AMOUNT)) {
    const [whole, prefix, number, scale, suffix] = match;
    if (number === undefined || (prefix === undefined && scale === undefined && suffix === undefined)) continue;
    if (NOT_AMOUNTS.test(whole.trim())) continue;
    const value = Number(number.replaceAll(',', '')) * (scale === undefined ? 1 : (SCALES[scale] ?? 1));
    if (!Number.isFinite(value)) continue;
    found.push({ value, currency: currencyOf(prefix) ?? currencyOf(suffix), text: whole.trim(), index: match.index });
  }
  return found;
}

function englishWordAmounts(text: string): RawAmount[] {
  const found: RawAmount[] = [];
  for (const match of text.matchAll(WORD_AMOUNT)) {
    const [whole, phrase, currencyWord] = match;
    if (phrase === undefined) continue;
    const value = parseEnglishNumber(phrase.trim());
    const scaled = currencyWord === 'grand' && value !== undefined ? value * 1_000 : value;
    const hasScale = /\b(?:thousand|million)\b/.test(phrase) || currencyWord === 'grand';
    if (scaled === undefined || (currencyWord === undefined && !hasScale)) continue;
    found.push({ value: scaled, currency: currencyOf(currencyWord), text: whole.trim(), index: match.index });
  }
  return found;
}

function chineseNumeralAmounts(text: string): RawAmount[] {
  const found: RawAmount[] = [];
  for (const match of text.matchAll(CHINESE_AMOUNT)) {
    const [, upTo, numeral, suffix] = match;
    if (numeral === undefined) continue;
    // Leading 百/千/万/多 do not start a number (千万不要, 万一, 百万保障, 多出来), except in 上百万 ("over a million").
    const leading = upTo === undefined ? /^[百千万亿多余]{1,12}/.exec(numeral)?.[0].length ?? 0 : 0;
    const digits = upTo !== undefined && /^[百千]/.test(numeral) ? `一${numeral}` : numeral.slice(leading);
    if (!CHINESE_NUMERAL_START.test(digits.charAt(0)) || (!/[万千亿]/.test(digits) && suffix === undefined)) continue;
    const value = parseChineseNumber(digits);
    if (value <= 0) continue;
    const start = match.index + (upTo?.length ?? 0) + leading;
    found.push({ value, currency: currencyOf(suffix), text: text.slice(start, match.index + match[0].length), index: start });
  }
  return found;
}

function mostNamedCurrency(amounts: readonly RawAmount[]): CurrencyCode | undefined {
  const counts = new Map<CurrencyCode, number>();
  for (const amount of amounts) {
    if (amount.currency !== undefined) counts.set(amount.currency, (counts.get(amount.currency) ?? 0) + 1);
  }
  let best: CurrencyCode | undefined;
  for (const [currency, count] of counts) if (best === undefined || count > (counts.get(best) ?? 0)) best = currency;
  return best;
}

function isAtStake(text: string, sentences: readonly Span[], amount: RawAmount): boolean {
  const sentence = spanAt(sentences, amount.index);
  const end = amount.index + amount.text.length;
  // The clause around the amount: the window stops at a comma or semicolon (not one inside the amount).
  const before = text.slice(Math.max(sentence.start, amount.index - LIMIT_BEFORE), amount.index).split(/[,;]/).pop() ?? '';
  const after = text.slice(end, Math.min(sentence.end, end + LIMIT_AFTER)).split(/[,;]/)[0] ?? '';
  if (findCue(`${before} ${amount.text} ${after}`, LIMIT_CUES) !== undefined) return false;
  const sentenceText = text.slice(sentence.start, sentence.end);
  return !(isQuestion(sentenceText) && (findCue(sentenceText, GENERAL_QUESTION) !== undefined || sentenceText.includes('多少')));
}

/** Amounts in an already normalised text (see normalize.ts); `defaultCurrency` is used when none is named anywhere. */
export function parseNormalizedAmounts(text: string, defaultCurrency: CurrencyCode = 'USD'): ParsedAmount[] {
  const raw = [...numericAmounts(text), ...englishWordAmounts(text), ...chineseNumeralAmounts(text)];
  raw.sort((left, right) => left.index - right.index);
  const fallback = mostNamedCurrency(raw) ?? defaultCurrency;
  const sentences = splitSentences(text);
  return raw.map((amount) => ({
    value: amount.value,
    currency: amount.currency ?? fallback,
    usd: toUsd({ value: amount.value, currency: amount.currency ?? fallback }),
    currencyAssumed: amount.currency === undefined,
    text: amount.text,
    index: amount.index,
    atStake: isAtStake(text, sentences, amount),
  }));
}

/** Parses every amount in `text` (raw or normalised); indexes refer to the normalised text. */
export function parseAmounts(text: string, options: { defaultCurrency?: CurrencyCode } = {}): ParsedAmount[] {
  // Like the classifier, read at most MAX_CLASSIFIED_CHARS: normalizing costs heap in proportion to the text.
  return parseNormalizedAmounts(normalizeForMatching(text.length > MAX_CLASSIFIED_CHARS ? text.slice(0, MAX_CLASSIFIED_CHARS) : text), options.defaultCurrency);
}

/** The amount in US dollars, by the fixed table {@link USD_PER_UNIT}. */
export function toUsd(amount: Pick<ParsedAmount, 'value' | 'currency'>): number {
  return amount.value * USD_PER_UNIT[amount.currency];
}

/** Whether the amount reaches the `large_amount` threshold of its currency. */
export function isLargeAmount(amount: Pick<ParsedAmount, 'value' | 'currency'>): boolean {
  return amount.value >= LARGE_AMOUNT_THRESHOLD[amount.currency];
}

/** The largest amount at stake (by its US-dollar value), for the complaint record; undefined when none. */
export function largestAmount(amounts: readonly ParsedAmount[]): ParsedAmount | undefined {
  let largest: ParsedAmount | undefined;
  for (const amount of amounts) {
    if (amount.atStake && (largest === undefined || amount.usd > largest.usd)) largest = amount;
  }
  return largest;
}
