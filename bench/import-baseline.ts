/**
 * The import bench's baseline (issue 7): run as its own process, it reads every transcript under the given paths
 * through the importer's own streaming reader (src/adapters/hotline/sources.ts: folders, `.gz`, `.zip` entry by
 * entry, JSONL line by line — the same bytes `ombuds import` gets), decodes each as UTF-8 and JSON.parses it when it
 * is JSON (touching the result), and stops there: no format detection, no parsing into a Transcript, no database.
 * Prints one JSON line `{"baseline": {calls, bytes, failed, seconds}}` on stdout. Owns nothing else.
 */
import { transcriptSources } from '../src/adapters/hotline/sources.js';

const LIMITS = { maxTranscriptBytes: 50 * 1024 * 1024, maxExpansionRatio: 100 };

async function main(paths: readonly string[]): Promise<void> {
  const started = performance.now();
  let calls = 0;
  let bytes = 0;
  let failed = 0;
  let touched = 0;
  for await (const item of transcriptSources(paths, LIMITS)) {
    if ('error' in item) {
      failed += 1;
      continue;
    }
    calls += 1;
    bytes += item.bytes.length;
    const text = item.bytes.toString('utf8');
    const start = text.trimStart().charAt(0);
    if (start === '{' || start === '[') {
      const value: unknown = JSON.parse(text);
      if (typeof value === 'object' && value !== null) touched += Object.keys(value).length;
    } else touched += text.length > 0 ? 1 : 0;
  }
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`${JSON.stringify({ baseline: { calls, bytes, failed, seconds, touched } })}\n`);
}

await main(process.argv.slice(2));
