/**
 * The tally of one `ombuds import` run and its printed summary (issue 7 item 3): imported, attached to an existing
 * complaint, duplicates, and each failure with its reason. Only failures and attachments are kept item by item, so a
 * 10,000-call import holds counts, not a list of everything.
 */
import type { TranscriptImportOutcome } from '../contracts/index.js';

export interface ImportSummary {
  transcripts: number;
  files: number;
  bytes: number;
  elapsedMs: number;
  counts: Record<TranscriptImportOutcome, number>;
  /** Imported calls the intake worker had not processed when the summary was made (still queued). */
  stillQueued: number;
  failures: { source: string; reason: string }[];
  attachments: { source: string; reference: string }[];
}

export function emptySummary(): ImportSummary {
  return { transcripts: 0, files: 0, bytes: 0, elapsedMs: 0, counts: { imported: 0, attached: 0, duplicate: 0, failed: 0 }, stillQueued: 0, failures: [], attachments: [] };
}

/** 0 when every transcript was imported, attached or already there; 1 when any failed. */
export function exitCodeOf(summary: ImportSummary): number {
  return summary.counts.failed > 0 ? 1 : 0;
}

function rate(bytes: number, elapsedMs: number): string {
  return elapsedMs > 0 ? ((bytes / (1024 * 1024)) / (elapsedMs / 1000)).toFixed(1) : '0.0';
}

export function formatSummary(summary: ImportSummary): string {
  const megabytes = (summary.bytes / (1024 * 1024)).toFixed(1);
  const lines = [
    `Import finished: ${summary.transcripts} transcript(s) from ${summary.files} file(s), ${megabytes} MB in ${(summary.elapsedMs / 1000).toFixed(1)} s (${rate(summary.bytes, summary.elapsedMs)} MB/s)`,
    `  imported    ${summary.counts.imported}${summary.stillQueued > 0 ? ` (${summary.stillQueued} still queued for the intake worker)` : ''}`,
    `  attached    ${summary.counts.attached}`,
    `  duplicates  ${summary.counts.duplicate}`,
    `  failed      ${summary.counts.failed}`,
  ];
  if (summary.attachments.length > 0) {
    lines.push('Attached to existing complaints:');
    for (const attachment of summary.attachments) lines.push(`  ${attachment.source} → ${attachment.reference}`);
  }
  if (summary.failures.length > 0) {
    lines.push('Failed:');
    for (const failure of summary.failures) lines.push(`  ${failure.source}: ${failure.reason}`);
  }
  return lines.join('\n');
}

/** The file an item came from: `a.zip!x.json` → `a.zip`, `calls.jsonl:12` → `calls.jsonl`. */
export function fileOf(source: string): string {
  const bang = source.indexOf('!');
  if (bang !== -1) return source.slice(0, bang);
  return source.replace(/:\d+$/, '');
}
