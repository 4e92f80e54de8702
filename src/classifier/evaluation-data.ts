/**
 * Labelled JSONL (TAXONOMY.md "Labelled data") → validated rows. A line is one record of `text` plus any of `lang`,
 * `kind`, `product`, `issue`, `urgency`, `flags`, `sentiment` (a field omitted where unknown) and optional `id`,
 * `channel`. Blank lines are ignored; a line that is not JSON, has no text or carries a label outside the taxonomy
 * is skipped and counted, never fatal.
 */
import { z } from 'zod';
import { Flag, Issue, Kind, Product, Sentiment, UrgencyLevel } from '../contracts/index.js';

export const LabelledRow = z.object({
  id: z.string().optional(),
  text: z.string(),
  lang: z.enum(['en', 'zh']).optional(),
  channel: z.string().optional(),
  kind: Kind.optional(),
  product: Product.optional(),
  issue: Issue.optional(),
  urgency: UrgencyLevel.optional(),
  flags: z.array(Flag).optional(),
  sentiment: Sentiment.optional(),
});
export type LabelledRow = z.infer<typeof LabelledRow>;

export interface ParsedLabelledFile {
  rows: LabelledRow[];
  /** Non-blank lines that were skipped: not JSON, not an object with text, or a label outside the taxonomy. */
  skipped: number;
  /** 1-based line numbers of the skipped lines (the first 20). */
  skippedLines: number[];
}

const SKIPPED_LINES_KEPT = 20;

function parseLine(line: string): LabelledRow | undefined {
  try {
    const parsed = LabelledRow.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Parses the contents of a labelled JSONL file. */
export function parseLabelledJsonl(contents: string): ParsedLabelledFile {
  const rows: LabelledRow[] = [];
  const skippedLines: number[] = [];
  let skipped = 0;
  contents.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const row = parseLine(line);
    if (row === undefined) {
      skipped += 1;
      if (skippedLines.length < SKIPPED_LINES_KEPT) skippedLines.push(index + 1);
    } else {
      rows.push(row);
    }
  });
  return { rows, skipped, skippedLines };
}
