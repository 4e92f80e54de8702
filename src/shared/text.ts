/**
 * Customer-facing text as channels need it: split into the parts a channel's message can carry, and quick replies
 * written out under the text for channels with no buttons (SMS).
 */

/**
 * Splits text into parts of at most `max` UTF-16 units, sent in order: at a line break, else a space, else a hard
 * cut that never separates a surrogate pair.
 */
export function splitText(text: string, max: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf('\n', max);
    if (cut <= 0) cut = rest.lastIndexOf(' ', max);
    const hard = cut <= 0;
    if (hard) {
      cut = max;
      const code = rest.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    }
    parts.push(rest.slice(0, cut));
    rest = rest.slice(hard ? cut : cut + 1);
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
}

/** The text with the quick replies it does not already name listed under it, each as what to type back. */
export function withTypedOptions(text: string, quickReplies: readonly { label: string; value: string }[]): string {
  const missing = quickReplies.filter((quickReply) => !text.includes(quickReply.label));
  if (missing.length === 0) return text;
  return `${text}\n${missing.map((quickReply) => (quickReply.label.includes(quickReply.value) ? quickReply.label : `${quickReply.value}: ${quickReply.label}`)).join('\n')}`;
}
