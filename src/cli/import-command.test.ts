/**
 * The import's window of calls in flight (issue 7, performance): several calls run at once so intake's group
 * commit can write them together, yet outcomes are tallied and shown in the sources' order, one call's fault fails
 * that call only, and the sources are read no further ahead than the window (count and bytes), so memory stays
 * bounded whatever the corpus size.
 */
import { describe, expect, it } from 'vitest';
import { systemClock } from '../shared/clock.js';
import { createImportTally, runImport, type ImportItem } from './import-command.js';
import type { ImportProgress } from './import-progress.js';
import type { PipelineOutcome, TranscriptPipeline } from './transcript-pipeline.js';

function recordingProgress(): ImportProgress & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    item({ source, outcome, detail }) {
      lines.push(`${outcome} ${source}${detail === undefined ? '' : ` ${detail}`}`);
    },
    stop() {
      // Nothing to close.
    },
  };
}

/** A tick of the event loop: lets the calls already started run up to their next wait. */
const tick = () => new Promise((resolve) => setImmediate(resolve));

async function* itemsOf(count: number, bytes = 10, onPull?: (index: number) => void): AsyncGenerator<ImportItem> {
  for (let index = 0; index < count; index += 1) {
    // Reading a file takes a turn of the event loop, as the real sources do.
    await tick();
    onPull?.(index);
    yield { source: `calls/call-${String(index).padStart(3, '0')}.json`, bytes: Buffer.alloc(bytes, index % 256) };
  }
}

function imported(name: string): PipelineOutcome {
  return { outcome: 'imported', messageId: `message-${name}`, complaintId: `complaint-${name}`, reference: `CMP-${name}`, callId: name };
}


describe('the import window', () => {
  it('keeps several calls in flight, reports them in the order read, and fails only the call that broke', async () => {
    const progress = recordingProgress();
    let running = 0;
    let mostAtOnce = 0;
    const pipeline: TranscriptPipeline = async ({ name }) => {
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      const index = Number(/call-(\d+)/.exec(name ?? '')?.[1]);
      // Later calls finish first: the report must still follow the sources' order.
      for (let wait = 0; wait < 20 - (index % 20); wait += 1) await tick();
      running -= 1;
      if (index === 7) throw new Error('connection reset by peer (internal detail)');
      if (index === 12) return { outcome: 'failed', code: 'TRANSCRIPT_INVALID', reason: 'truncated JSON' };
      return imported(String(index));
    };
    const summary = await runImport(itemsOf(40), { pipeline, progress, clock: systemClock, concurrency: 8 });

    expect(mostAtOnce).toBeGreaterThan(1);
    expect(mostAtOnce).toBeLessThanOrEqual(8);
    expect(summary.transcripts).toBe(40);
    expect(summary.counts).toEqual({ imported: 38, attached: 0, duplicate: 0, failed: 2 });
    expect(summary.failures).toEqual([
      { source: 'calls/call-007.json', reason: 'the call could not be imported; import it again later' },
      { source: 'calls/call-012.json', reason: 'truncated JSON' },
    ]);
    expect(progress.lines.map((line) => line.split(' ')[1])).toEqual(Array.from({ length: 40 }, (_, index) => `calls/call-${String(index).padStart(3, '0')}.json`));
    expect(progress.lines[7]).toBe('failed calls/call-007.json the call could not be imported; import it again later');
    // The internal message of an unexpected fault is not shown.
    expect(progress.lines.join('\n')).not.toContain('connection reset');
  });

  it('reads the sources no further ahead than the window (calls and bytes in flight stay bounded)', async () => {
    const progress = recordingProgress();
    let pulled = 0;
    let mostAhead = 0;
    const onPull = () => {
      pulled += 1;
      mostAhead = Math.max(mostAhead, pulled - progress.lines.length);
    };
    const pipeline: TranscriptPipeline = async ({ name }) => {
      await tick();
      return imported(name ?? '');
    };
    const tally = createImportTally({ pipeline, progress, clock: systemClock, concurrency: 4 });
    await tally.importAll(itemsOf(200, 10, onPull));
    const summary = await tally.finish();
    expect(summary.counts.imported).toBe(200);
    expect(mostAhead).toBeLessThanOrEqual(4);

    // By bytes: with 1 KB calls and 3 KB allowed in flight, at most 3 calls are read ahead, however wide the window.
    const byBytes = recordingProgress();
    let pulledBytes = 0;
    let mostBytesAhead = 0;
    const tallyByBytes = createImportTally({ pipeline, progress: byBytes, clock: systemClock, concurrency: 16, maxBytesInFlight: 3 * 1024 });
    await tallyByBytes.importAll(
      itemsOf(50, 1024, () => {
        pulledBytes += 1;
        mostBytesAhead = Math.max(mostBytesAhead, pulledBytes - byBytes.lines.length);
      }),
    );
    expect((await tallyByBytes.finish()).counts.imported).toBe(50);
    expect(mostBytesAhead).toBeLessThanOrEqual(3);
  });

  it('still imports a call bigger than the bytes allowed in flight (one call always fits)', async () => {
    const progress = recordingProgress();
    const pipeline: TranscriptPipeline = ({ name }) => Promise.resolve(imported(name ?? ''));
    const summary = await runImport(itemsOf(3, 4096), { pipeline, progress, clock: systemClock, maxBytesInFlight: 1024 });
    expect(summary.counts.imported).toBe(3);
    expect(summary.bytes).toBe(3 * 4096);
  });

  it('imports one call at a time with concurrency 1', async () => {
    let running = 0;
    let mostAtOnce = 0;
    const pipeline: TranscriptPipeline = async ({ name }) => {
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      await tick();
      running -= 1;
      return imported(name ?? '');
    };
    const summary = await runImport(itemsOf(10), { pipeline, progress: recordingProgress(), clock: systemClock, concurrency: 1 });
    expect(summary.counts.imported).toBe(10);
    expect(mostAtOnce).toBe(1);
  });
});
