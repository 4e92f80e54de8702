/**
 * `ombuds import PATH…`: every transcript the sources yield goes through the pipeline one at a time (so memory
 * holds one transcript), each outcome is shown as progress and tallied; then the calls imported in this run are
 * settled — once the intake worker has processed them, those it joined to an existing complaint count as attached
 * — and the summary is made. The sources, the pipeline and the settling query are injected by main.ts.
 */
import type { Clock } from '../shared/clock.js';
import type { ImportProgress } from './import-progress.js';
import { watchFolder } from './import-watch.js';
import { emptySummary, exitCodeOf, fileOf, formatSummary, type ImportSummary } from './import-summary.js';
import type { TranscriptPipeline } from './transcript-pipeline.js';

/** One item of the sources (src/adapters/hotline/sources.ts), stated structurally. */
export type ImportItem = { source: string; bytes: Buffer } | { source: string; error: string };

/** The imported calls the worker has processed, and which of them it attached (message id → complaint reference). */
export interface Settled {
  pending: number;
  attached: Map<string, string>;
}

export interface ImportRunDependencies {
  pipeline: TranscriptPipeline;
  progress: ImportProgress;
  clock: Clock;
  /** Waits (bounded) for the worker to process these messages; absent: outcomes stay as at import. */
  settle?: (messages: { messageId: string; complaintId: string | null }[]) => Promise<Settled>;
}

/** Imports items into a running tally (watch mode keeps one across files). */
export function createImportTally(dependencies: ImportRunDependencies): {
  importAll(items: AsyncIterable<ImportItem>): Promise<void>;
  finish(): Promise<ImportSummary>;
} {
  const summary = emptySummary();
  const started = dependencies.clock.now().getTime();
  const imported: { messageId: string; complaintId: string | null; source: string }[] = [];
  let lastFile: string | null = null;

  const show = (source: string, outcome: 'imported' | 'duplicate' | 'failed', bytes: number, detail?: string) => {
    dependencies.progress.item({
      source,
      outcome,
      bytes,
      files: summary.files,
      calls: summary.transcripts,
      elapsedMs: dependencies.clock.now().getTime() - started,
      totalBytes: summary.bytes,
      ...(detail === undefined ? {} : { detail }),
    });
  };

  return {
    async importAll(items) {
      for await (const item of items) {
        const file = fileOf(item.source);
        if (file !== lastFile) {
          summary.files += 1;
          lastFile = file;
        }
        summary.transcripts += 1;
        if ('error' in item) {
          summary.counts.failed += 1;
          summary.failures.push({ source: item.source, reason: item.error });
          show(item.source, 'failed', 0, item.error);
          continue;
        }
        summary.bytes += item.bytes.length;
        const result = await dependencies.pipeline({ bytes: item.bytes, name: item.source });
        if (result.outcome === 'failed') {
          summary.counts.failed += 1;
          summary.failures.push({ source: item.source, reason: result.reason });
          show(item.source, 'failed', item.bytes.length, result.reason);
          continue;
        }
        summary.counts[result.outcome] += 1;
        if (result.outcome === 'imported') imported.push({ messageId: result.messageId, complaintId: result.complaintId, source: item.source });
        show(item.source, result.outcome, item.bytes.length, result.reference ?? undefined);
      }
    },
    async finish() {
      dependencies.progress.stop();
      if (dependencies.settle && imported.length > 0) {
        const settled = await dependencies.settle(imported);
        summary.stillQueued = settled.pending;
        for (const call of imported) {
          const reference = settled.attached.get(call.messageId);
          if (reference === undefined) continue;
          summary.counts.imported -= 1;
          summary.counts.attached += 1;
          summary.attachments.push({ source: call.source, reference });
        }
      }
      summary.elapsedMs = dependencies.clock.now().getTime() - started;
      return summary;
    },
  };
}

export async function runImport(items: AsyncIterable<ImportItem>, dependencies: ImportRunDependencies): Promise<ImportSummary> {
  const tally = createImportTally(dependencies);
  await tally.importAll(items);
  return tally.finish();
}

export interface ImportCommandDependencies extends ImportRunDependencies {
  /** The items under the given paths (files, folders, globs, archives, JSONL). */
  sources(paths: readonly string[]): AsyncIterable<ImportItem>;
  /** Watch mode: the folder, how long a file must stay unchanged, how often to rescan, and the stop signal. */
  watch?: { directory: string; settleMs: number; rescanMs: number; signal: AbortSignal; onError(message: string): void };
  /** Where the summary goes. */
  print(text: string): void;
}

/** `ombuds import PATH… [--watch DIR]`: resolves to the exit code (0 all imported or duplicates, 1 some failed). */
export async function runImportCommand(paths: readonly string[], dependencies: ImportCommandDependencies): Promise<number> {
  const tally = createImportTally(dependencies);
  if (paths.length > 0) await tally.importAll(dependencies.sources(paths));
  const { watch } = dependencies;
  if (watch) {
    dependencies.print(`Watching ${watch.directory} for transcripts (Ctrl-C to stop)…`);
    await watchFolder({ ...watch, importFile: (path) => tally.importAll(dependencies.sources([path])) });
  }
  const summary = await tally.finish();
  dependencies.print(formatSummary(summary));
  return exitCodeOf(summary);
}
