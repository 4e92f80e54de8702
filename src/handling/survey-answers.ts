/**
 * Reading a customer's answer to the satisfaction survey, in English or Chinese: a score 1–5 (a digit, "4/5",
 * "4 out of 5", stars, "4分", "四星"), whether the matter is resolved ("not resolved", "没解决"), or the wording of
 * satisfaction alone ("very satisfied", "不满意"). Anything else — a long message, a new problem — is not an answer.
 */
export interface SurveyAnswer {
  score: number | null;
  resolved: boolean | null;
  /** The customer's words when they said more than the score. */
  comment: string | null;
}

const LONGEST_ANSWER = 600;
const CHINESE_DIGITS: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5 };

const SCORE_PATTERNS: readonly RegExp[] = [
  /(?<![\d.]|\d,)([1-5])\s*(?:\/|out of|of)\s*5(?![\d.,])/i,
  /(?<![\d.]|\d,)([1-5])\s*(?:分|星|颗星|stars?|points?)/i,
  /([一二两三四五])\s*(?:分|星|颗星)/,
  /^\s*(?:score\s*[:：]?\s*)?([1-5])(?![\d.,])/i,
];

const NOT_RESOLVED = /\b(?:not|isn'?t|wasn'?t|never|hasn'?t been|not been)\s+(?:yet\s+)?(?:resolved|fixed|sorted|solved)\b|\bunresolved\b|没(?:有)?解决|未解决|没处理好|没有处理|问题还在/i;
const RESOLVED = /\b(?:resolved|fixed|sorted(?: out)?|solved)\b|已(?:经)?解决|解决了|处理好了/i;

const WORDED_SCORES: readonly [RegExp, number][] = [
  [/非常不满意|很不满意|极不满意|\bvery (?:dis|un)satisfied\b|\bterrible\b|\bawful\b/i, 1],
  [/不满意|不太满意|\b(?:dis|un)satisfied\b|\bnot (?:very )?(?:satisfied|happy)\b|\bpoor\b/i, 2],
  [/一般|还行|\bneutral\b|\bokay\b|\bok\b|\baverage\b/i, 3],
  [/非常满意|很满意|\bvery (?:satisfied|happy)\b|\bexcellent\b/i, 5],
  [/满意|\bsatisfied\b|\bhappy\b|\bgood\b/i, 4],
];

function starScore(text: string): number | null {
  const stars = (text.match(/★|⭐/gu) ?? []).length;
  return stars >= 1 && stars <= 5 ? stars : null;
}

function explicitScore(text: string): number | null {
  for (const pattern of SCORE_PATTERNS) {
    const match = pattern.exec(text);
    const value = match?.[1];
    if (value === undefined) continue;
    const score = CHINESE_DIGITS[value] ?? Number(value);
    if (score >= 1 && score <= 5) return score;
  }
  return starScore(text);
}

/** The survey answer in `text`, or null when the text does not read as one. */
export function parseSurveyAnswer(text: string): SurveyAnswer | null {
  const normalized = text.normalize('NFKC').trim();
  if (normalized === '' || normalized.length > LONGEST_ANSWER) return null;
  const resolved = NOT_RESOLVED.test(normalized) ? false : RESOLVED.test(normalized) ? true : null;
  let score = explicitScore(normalized);
  if (score === null) score = WORDED_SCORES.find(([pattern]) => pattern.test(normalized))?.[1] ?? null;
  if (score === null && resolved === null) return null;
  const bare = /^\s*[1-5★⭐\s]*\s*$/.test(normalized);
  return { score, resolved, comment: bare ? null : normalized.slice(0, 2000) };
}
