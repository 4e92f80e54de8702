/**
 * Splitting a reply that is longer than one Meta message may carry (WhatsApp text 4096 characters, an interactive
 * body 1024 or 4096; Messenger 2000) into parts sent in order (at a line break, else a space, else a hard cut that
 * never separates a surrogate pair: src/shared/text.ts), and shortening button labels.
 */
import { splitText } from '../../shared/text.js';

export { splitText };

/** Parts of `text` where the last one is at most `lastMax` (the body of the message carrying the buttons). */
export function splitTextWithLast(text: string, max: number, lastMax: number): string[] {
  const parts = splitText(text, max);
  const last = parts.pop() ?? '';
  return [...parts, ...splitText(last, lastMax)];
}

/**
 * Cuts a label to `max` UTF-16 units (the conservative reading of Meta's "characters"), ending in an ellipsis when
 * it was longer, never splitting a surrogate pair.
 */
export function shorten(label: string, max: number): string {
  if (label.length <= max) return label;
  let cut = max - 1;
  const code = label.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${label.slice(0, cut)}…`;
}
