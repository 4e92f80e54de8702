/**
 * Phone numbers for PII redaction (pii.ts): libphonenumber-js over the default countries, only when some run of
 * phone characters could hold one, with long digit runs checked token by token and runs the matcher did not cover
 * retried without a piece or two at either end. Every step is bounded and linear in the input; past a budget of
 * candidates (a flood of numbers) the rest are masked without checking.
 */
import { findPhoneNumbersInText, type CountryCode } from 'libphonenumber-js';

const DATE_LIKE = /^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})$/;
/** A number right after one of these is a case or ticket reference, which staff need, not a phone number. */
const REFERENCE_CUE = /(?:\b(?:ref|reference|case|ticket|order|invoice|claim|policy|tracking)(?: no\.?| number| #)?|工单号|编号|单号|案件号|[a-z]-)[\s:#：]{0,3}$/i;
/** Phone candidates inside digit runs longer than this are checked token by token (a run this long is not one number). */
const PHONE_RUN_DIGITS = 24;
const PHONE_TOKEN_BUDGET = 200;
const PHONE_COUNTRIES: readonly CountryCode[] = ['CN', 'HK', 'GB', 'US', 'AU'];

/** Runs of phone characters holding more than {@link PHONE_RUN_DIGITS} digits are blanked (same length) for the matcher. */
function blankLongRuns(text: string): { blanked: string; tokens: { start: number; value: string }[] } {
  const tokens: { start: number; value: string }[] = [];
  const blanked = text.replace(/[\d+(][\d +().-]{0,2000}/g, (run, offset: number) => {
    const digitCount = run.replace(/\D/g, '').length;
    if (digitCount <= PHONE_RUN_DIGITS) return run;
    for (const token of run.matchAll(/\S{7,20}/g)) tokens.push({ start: offset + token.index, value: token[0] });
    return ' '.repeat(run.length);
  });
  return { blanked, tokens };
}

/** A run of phone characters (digits, spaces, dots, hyphens, brackets, a leading +) that holds 7 or more digits. */
const PHONE_CANDIDATE = /[+(]?\d(?:[\s().-]{0,3}\d){6}/;
/** Whole runs of phone characters; each repetition takes a digit, so the match is linear. */
const PHONE_RUN = /[+(]?\d(?:[ ().-]{0,3}\d)*/g;
/** Pieces of a run: split at spaces and after a closing bracket ("239.960.6088）5月" folds to "…6088)5"). */
const PHONE_PIECE = /[^\s)]+\)?|\)/g;
/** Pieces dropped at either end of a run when the matcher found nothing in it ("138 0013 8000 12 点"). */
const PHONE_TRIM = 2;
const PHONE_RUN_BUDGET = 50;
/** Candidate runs (7+ digits) given to libphonenumber per message; a text holding more is a flood, not a message. */
const PHONE_CANDIDATE_BUDGET = 300;

/**
 * Where libphonenumber stops reading: the start of the candidate run past {@link PHONE_CANDIDATE_BUDGET}, and the
 * runs after it, which are masked whole without checking (fail closed, and each costs one regex step, not five
 * library scans). Undefined when the text is within budget.
 */
function floodCut(blanked: string): { cut: number; runs: { start: number; end: number }[] } | undefined {
  let seen = 0;
  let cut: number | undefined;
  const runs: { start: number; end: number }[] = [];
  for (const run of blanked.matchAll(PHONE_RUN)) {
    if (run[0].replace(/\D/g, '').length < 7) continue;
    seen += 1;
    if (seen <= PHONE_CANDIDATE_BUDGET) continue;
    cut ??= run.index;
    runs.push({ start: run.index, end: run.index + run[0].length });
  }
  return cut === undefined ? undefined : { cut, runs };
}

/**
 * libphonenumber rejects a whole run when another number follows after a space ("(852) 5981 7978 5月"), or finds
 * only part of it ("$79.99  413.317.4317"), so runs it did not cover are tried again without up to {@link PHONE_TRIM} pieces at either end (a bounded number of
 * short calls per run, for at most {@link PHONE_RUN_BUDGET} runs).
 */
function phonesInUncoveredRuns(blanked: string, spans: readonly { start: number; end: number }[]): { start: number; end: number }[] {
  const found: { start: number; end: number }[] = [];
  let budget = PHONE_RUN_BUDGET;
  for (const run of blanked.matchAll(PHONE_RUN)) {
    const runStart = run.index;
    const runEnd = runStart + run[0].length;
    const digitCount = run[0].replace(/\D/g, '').length;
    if (digitCount < 7 || spans.some((span) => span.start <= runStart && span.end >= runEnd)) continue;
    if (budget <= 0) break;
    budget -= 1;
    const pieces = [...run[0].matchAll(PHONE_PIECE)].map((piece) => ({ start: piece.index, end: piece.index + piece[0].length }));
    const hit = trimmedPhone(run[0], pieces);
    if (hit !== undefined) found.push({ start: runStart + hit.start, end: runStart + hit.end });
  }
  return found;
}

function trimmedPhone(run: string, pieces: readonly { start: number; end: number }[]): { start: number; end: number } | undefined {
  for (let dropped = 1; dropped <= 2 * PHONE_TRIM; dropped += 1) {
    for (let head = Math.max(0, dropped - PHONE_TRIM); head <= Math.min(PHONE_TRIM, dropped); head += 1) {
      const first = pieces[head];
      const last = pieces[pieces.length - 1 - (dropped - head)];
      if (first === undefined || last === undefined || last.end <= first.start) continue;
      const candidate = run.slice(first.start, last.end);
      const digitCount = candidate.replace(/\D/g, '').length;
      if (digitCount < 7 || digitCount > 15) continue;
      for (const country of PHONE_COUNTRIES) {
        const [match] = findPhoneNumbersInText(candidate, country);
        if (match !== undefined) return { start: first.start + match.startsAt, end: first.start + match.endsAt };
      }
    }
  }
  return undefined;
}

/** Overlapping phone spans become their union (fail closed: no half-masked number). */
function mergeOverlapping(spans: readonly { start: number; end: number }[]): { start: number; end: number }[] {
  const merged: { start: number; end: number }[] = [];
  for (const span of [...spans].sort((left, right) => left.start - right.start)) {
    const last = merged[merged.length - 1];
    if (last !== undefined && span.start < last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged;
}

/** Spans of phone numbers (CN HK GB US AU) in width-folded `text`, without dates and case references. */
export function phoneSpans(text: string): { start: number; end: number }[] {
  // libphonenumber scans the whole text once per country: only worth it when some run could be a phone number.
  if (!PHONE_CANDIDATE.test(text)) return [];
  const { blanked: whole, tokens } = blankLongRuns(text);
  const flood = floodCut(whole);
  const blanked = flood === undefined ? whole : whole.slice(0, flood.cut);
  const spans: { start: number; end: number }[] = flood === undefined ? [] : [...flood.runs];
  for (const country of PHONE_COUNTRIES) {
    for (const found of findPhoneNumbersInText(blanked, country)) spans.push({ start: found.startsAt, end: found.endsAt });
    for (const token of tokens.slice(0, PHONE_TOKEN_BUDGET)) {
      for (const found of findPhoneNumbersInText(token.value, country)) {
        spans.push({ start: token.start + found.startsAt, end: token.start + found.endsAt });
      }
    }
  }
  spans.push(...phonesInUncoveredRuns(blanked, spans));
  // Beyond the budget, 7–15 digit tokens inside long runs are masked without checking: fail closed.
  for (const token of tokens.slice(PHONE_TOKEN_BUDGET)) {
    const digitCount = token.value.replace(/\D/g, '').length;
    if (digitCount >= 7 && digitCount <= 15) spans.push({ start: token.start, end: token.start + token.value.length });
  }
  return mergeOverlapping(spans)
    .filter((span) => !DATE_LIKE.test(text.slice(span.start, span.end)))
    .filter((span) => !REFERENCE_CUE.test(text.slice(Math.max(0, span.start - 24), span.start)));
}
