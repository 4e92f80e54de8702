/**
 * Progress of `ombuds import`: on a terminal a live line (cli-progress) with files, calls and MB/s; otherwise one
 * plain line per transcript (`imported <source> CMP-…`, `failed <source>: <reason>`), which logs and CI read.
 */
import { SingleBar } from 'cli-progress';
import type { TranscriptImportOutcome } from '../contracts/index.js';

export interface ImportProgress {
  item(entry: { source: string; outcome: TranscriptImportOutcome; bytes: number; files: number; calls: number; elapsedMs: number; totalBytes: number; detail?: string }): void;
  stop(): void;
}

export function createImportProgress(output: NodeJS.WritableStream & { isTTY?: boolean }): ImportProgress {
  if (output.isTTY !== true) {
    return {
      item({ source, outcome, detail }) {
        output.write(`${outcome.padEnd(9)} ${source}${detail === undefined ? '' : outcome === 'failed' ? `: ${detail}` : ` ${detail}`}\n`);
      },
      stop() {
        // Plain lines need no closing.
      },
    };
  }
  const bar = new SingleBar({
    stream: output,
    format: 'files {files} | calls {value} | failed {failed} | {mbps} MB/s | {source}',
    hideCursor: true,
    clearOnComplete: false,
    fps: 5,
  });
  let failed = 0;
  let started = false;
  return {
    item({ source, outcome, files, calls, elapsedMs, totalBytes }) {
      if (outcome === 'failed') failed += 1;
      const payload = { files, failed, mbps: elapsedMs > 0 ? (totalBytes / (1024 * 1024) / (elapsedMs / 1000)).toFixed(1) : '0.0', source: source.length > 60 ? `…${source.slice(-59)}` : source };
      if (!started) {
        bar.start(0, calls, payload);
        started = true;
      } else bar.update(calls, payload);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
