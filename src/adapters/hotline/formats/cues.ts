/**
 * What WebVTT and SRT share: splitting a caption file into blocks, reading `[hh:]mm:ss[.,]fff --> …` timing lines
 * (1-digit hours, `.` or `,`, 1–3 digit fractions read as decimals: `.05` is 50 ms), and cleaning cue text of markup
 * (`<i>`, `<c.x>`, `{\an8}`) and the few entities captions use. Line by line, no backtracking regexes.
 */
const TIMESTAMP = /^(?:(\d{1,3}):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?$/;

export function timestampToMs(value: string): number | undefined {
  const match = TIMESTAMP.exec(value.trim());
  if (!match) return undefined;
  const [, hours, minutes, seconds, fraction] = match;
  return (Number(hours ?? 0) * 3600 + Number(minutes) * 60 + Number(seconds)) * 1000 + Math.round(Number(`0.${fraction ?? '0'}`) * 1000);
}

export interface Timing {
  startMs: number;
  endMs: number;
}

/** A cue timing line (`00:00:01,000 --> 00:00:02,500 align:start`), or undefined. */
export function parseTimingLine(line: string): Timing | undefined {
  const arrow = line.indexOf('-->');
  if (arrow < 0) return undefined;
  const start = timestampToMs(line.slice(0, arrow));
  const end = timestampToMs(line.slice(arrow + 3).trim().split(/\s/, 1)[0] ?? '');
  return start === undefined || end === undefined ? undefined : { startMs: start, endMs: end };
}

/** Blocks of non-blank lines (any line ending), trailing spaces removed. */
export function blocksOf(text: string): string[][] {
  const blocks: string[][] = [];
  let current: string[] = [];
  for (const rawLine of text.split(/\r\n|\r|\n/)) {
    const line = rawLine.trimEnd();
    if (line === '') {
      if (current.length > 0) blocks.push(current);
      current = [];
    } else current.push(line);
  }
  if (current.length > 0) blocks.push(current);
  return blocks;
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', nbsp: ' ', lrm: '', rlm: '', quot: '"', apos: "'" };

export function decodeEntities(value: string): string {
  return value.replace(/&(amp|lt|gt|nbsp|lrm|rlm|quot|apos);/g, (_match, name: string) => ENTITIES[name] ?? '');
}

/** Cue text without markup: `<i>`, `</b>`, `<c.yellow>`, timestamps `<00:01.000>`, `{\an8}`. */
export function stripMarkup(value: string): string {
  return decodeEntities(value.replace(/<[^<>]*>/g, '').replace(/\{\\[^{}]*\}/g, ''));
}
