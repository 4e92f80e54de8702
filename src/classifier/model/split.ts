/**
 * The deterministic train / held-out split for labelled sets that have no split of their own (CFPB, the Ombuds dev
 * set): a row is held out when a stable hash (32-bit FNV-1a over UTF-16 code units) of its `id`, or of its text when
 * it has none, falls in the lowest 30 of 100 buckets. Same row, same part, on every machine and every run.
 */

/** Share of rows held out, in hundredths. */
export const HELD_OUT_PERCENT = 30;

export type SplitPart = 'train' | 'held-out';

/** 32-bit FNV-1a hash of a string. */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** The part a row belongs to, keyed by its id when it has one, else by its text. */
export function splitPartOf(row: { id?: string | undefined; text: string }): SplitPart {
  const key = row.id ?? row.text;
  return stableHash(key) % 100 < HELD_OUT_PERCENT ? 'held-out' : 'train';
}

/** The rows of one part, in their original order. */
export function selectPart<Row extends { id?: string | undefined; text: string }>(rows: readonly Row[], part: SplitPart): Row[] {
  return rows.filter((row) => splitPartOf(row) === part);
}
