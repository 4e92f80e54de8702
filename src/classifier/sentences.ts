/**
 * Sentence spans of a normalised text, so a rule can look at the sentence a keyword sits in ("If I got
 * scammed…?" is a question, not a report). A full stop ends a sentence only before a space or the end, so
 * "$1,843.22" and "e.g." inside a word stay whole; `! ? 。 ; \n` always end one. Linear in the text length.
 */

export interface Span {
  /** Index of the first character. */
  start: number;
  /** Index one past the last character (the terminator included). */
  end: number;
}

const ALWAYS_ENDS = new Set(['!', '?', '。', ';', '\n', '！', '？', '；']);

/** Splits `text` into sentence spans that together cover every character. */
export function splitSentences(text: string): Span[] {
  const spans: Span[] = [];
  let start = 0;
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index];
    const next = text[index + 1];
    const endsHere =
      (character !== undefined && ALWAYS_ENDS.has(character) && next !== undefined && !ALWAYS_ENDS.has(next)) ||
      (character === '.' && (next === ' ' || next === '\n'));
    if (endsHere) {
      spans.push({ start, end: index + 1 });
      start = index + 1;
    }
  }
  if (start < text.length || spans.length === 0) spans.push({ start, end: text.length });
  return spans;
}

/** The span containing `index` (binary search over spans from {@link splitSentences}). */
export function spanAt(spans: readonly Span[], index: number): Span {
  let low = 0;
  let high = spans.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    const span = spans[middle];
    if (span !== undefined && span.start <= index) low = middle;
    else high = middle - 1;
  }
  return spans[low] ?? { start: 0, end: 0 };
}
