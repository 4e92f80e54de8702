/**
 * `ombuds import PATH…`: the transcripts the sources yield go through the pipeline a bounded window at a time (16
 * calls in flight by default, so intake's group commit writes them together, while memory holds only the window
 * and the file stream waits for room), each outcome is shown as progress and tallied in the sources' order; then the calls imported in this run are
 * settled — once the intake worker has processed them, those it joined to an existing complaint count as attached
 * — and the summary is made. The sources, the pipeline and the settling query are injected by main.ts.
 */
import type { Clock } from '../shared/clock.js';
import type { ImportProgress } from './import-progress.js';
import { watchFolder } from './import-watch.js';
import { emptySummary, exitCodeOf, fileOf, formatSummary, type ImportSummary } from './import-summary.js';
import type { PipelineOutcome, TranscriptPipeline } from './transcript-pipeline.js';

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
  /** Calls in flight at once (default {@link DEFAULT_IMPORT_CONCURRENCY}); 1 imports one call at a time. */
  concurrency?: number;
  /** Transcript bytes in flight at most (default {@link DEFAULT_IMPORT_MAX_BYTES_IN_FLIGHT}); one call always fits. */
  maxBytesInFlight?: number;
  /** Waits (bounded) for the worker to process these messages; absent: outcomes stay as at import. */
  settle?: (messages: { messageId: string; complaintId: string | null }[]) => Promise<Settled>;
}

/** Calls in flight at once by default: enough for group commit to write them together. */
export const DEFAULT_IMPORT_CONCURRENCY = 16;
/** Transcript bytes held in flight at most (a few 8 MB transcripts must not all sit in memory at once). */
export const DEFAULT_IMPORT_MAX_BYTES_IN_FLIGHT = 32 * 1024 * 1024;

/** Imports items into a running tally (watch mode keeps one across files). */
export function createImportTally(dependencies: ImportRunDependencies): {
  importAll(items: AsyncIterable<ImportItem>): Promise<void>;
  finish(): Promise<ImportSummary>;
} {
  const summary = emptySummary();
  const started = dependencies.clock.now().getTime();
  const imported: { messageId: string; complaintId: string | null; source: string }[] = [];
  const concurrency = Math.max(1, dependencies.concurrency ?? DEFAULT_IMPORT_CONCURRENCY);
  const maxBytesInFlight = Math.max(1, dependencies.maxBytesInFlight ?? DEFAULT_IMPORT_MAX_BYTES_IN_FLIGHT);
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

  /** One item's outcome; never rejects, so one call's fault is that call's failure only. */
  const run = async (item: ImportItem): Promise<PipelineOutcome | null> => {
    if ('error' in item) return null;
    try {
      return await dependencies.pipeline({ bytes: item.bytes, name: item.source });
    } catch {
      return { outcome: 'failed', code: 'IMPORT_FAILED', reason: 'the call could not be imported; import it again later' };
    }
  };

  /** Tallies and shows one item, in the order the sources gave them. */
  const record = (item: ImportItem, result: PipelineOutcome | null) => {
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
      return;
    }
    summary.bytes += item.bytes.length;
    if (result === null || result.outcome === 'failed') {
      const reason = result?.reason ?? 'the call could not be imported';
      summary.counts.failed += 1;
      summary.failures.push({ source: item.source, reason });
      show(item.source, 'failed', item.bytes.length, reason);
      return;
    }
    summary.counts[result.outcome] += 1;
    if (result.outcome === 'imported') imported.push({ messageId: result.messageId, complaintId: result.complaintId, source: item.source });
    show(item.source, result.outcome, item.bytes.length, result.reference ?? undefined);
  };

  return {
    async importAll(items) {
      // A window of calls in flight, reported in order; the next item is read only when the window has room, so
      // memory holds at most `concurrency` transcripts (and about `maxBytesInFlight` of them).
      const window: { item: ImportItem; outcome: Promise<PipelineOutcome | null>; bytes: number }[] = [];
      let bytesInFlight = 0;
      const retireOldest = async () => {
        const oldest = window.shift();
        if (!oldest) return;
        const result = await oldest.outcome;
        bytesInFlight -= oldest.bytes;
        record(oldest.item, result);
      };
      for await (const item of items) {
        const bytes = 'bytes' in item ? item.bytes.length : 0;
        window.push({ item, outcome: run(item), bytes });
        bytesInFlight += bytes;
        while (window.length >= concurrency || (window.length > 0 && bytesInFlight >= maxBytesInFlight)) await retireOldest();
      }
      while (window.length > 0) await retireOldest();
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
