/**
 * The offline classifier bench (issue 3): rules + local model, on one core (this process, one thread), over the
 * labelled texts the project ships — the Ombuds dev set, BANKING77 test and the CFPB narratives. Prints messages/s
 * and the per-message p50/p99/max for each set and overall. Target: ≥ 5,000 messages/s on one core.
 * Runs first in `npm run bench`, or alone as `npx tsx bench/classifier.ts`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createOfflineClassifier, loadLocalModel, parseLabelledJsonl, redactPii } from '../src/classifier/index.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SETS = [
  { name: 'Ombuds dev set', path: 'fixtures/classifier/ombuds-labelled-dev.jsonl' },
  { name: 'BANKING77 test', path: 'corpus/banking77/test.jsonl' },
  { name: 'CFPB narratives', path: 'corpus/cfpb/cfpb_labelled.jsonl' },
];
const TARGET_PER_SECOND = 5_000;

export interface ClassifierSetResult {
  name: string;
  messages: number;
  meanChars: number;
  perSecond: number;
  p50Microseconds: number;
  p99Microseconds: number;
  maxMicroseconds: number;
}

export interface ClassifierBenchResult {
  modelLoadMilliseconds: number;
  sets: ClassifierSetResult[];
  overall: ClassifierSetResult;
  target: number;
  pass: boolean;
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? 0;
}

function summarise(name: string, texts: readonly string[], durations: readonly number[]): ClassifierSetResult {
  const sorted = [...durations].sort((a, b) => a - b);
  const total = durations.reduce((sum, value) => sum + value, 0);
  return {
    name,
    messages: durations.length,
    meanChars: Math.round(texts.reduce((sum, text) => sum + text.length, 0) / Math.max(1, texts.length)),
    perSecond: Math.round(durations.length / (total / 1e6)),
    p50Microseconds: Math.round(percentile(sorted, 0.5)),
    p99Microseconds: Math.round(percentile(sorted, 0.99)),
    maxMicroseconds: Math.round(sorted.at(-1) ?? 0),
  };
}

export async function benchClassifier(rounds = 3): Promise<ClassifierBenchResult> {
  const loadStart = performance.now();
  const model = loadLocalModel(JSON.parse(readFileSync(`${ROOT}src/classifier/model/model.json`, 'utf8')));
  const modelLoadMilliseconds = Math.round(performance.now() - loadStart);
  const classifier = createOfflineClassifier({ model });
  const sets = SETS.map((set) => ({ name: set.name, texts: parseLabelledJsonl(readFileSync(`${ROOT}${set.path}`, 'utf8')).rows.map((row) => row.text) }));

  // Warm-up: let V8 optimise the hot paths before measuring.
  for (const set of sets) for (const text of set.texts.slice(0, 300)) await classifier.classify({ text: redactPii(text).text });

  const results: ClassifierSetResult[] = [];
  const allTexts: string[] = [];
  const allDurations: number[] = [];
  for (const set of sets) {
    const durations: number[] = [];
    for (let round = 0; round < rounds; round += 1) {
      for (const text of set.texts) {
        const start = process.hrtime.bigint();
        // What intake stores is redacted text; classification runs on it.
        await classifier.classify({ text: redactPii(text).text });
        durations.push(Number(process.hrtime.bigint() - start) / 1000);
      }
    }
    results.push(summarise(set.name, set.texts, durations));
    allTexts.push(...set.texts);
    allDurations.push(...durations);
  }
  const overall = summarise('all', allTexts, allDurations);
  return { modelLoadMilliseconds, sets: results, overall, target: TARGET_PER_SECOND, pass: overall.perSecond >= TARGET_PER_SECOND };
}

export function formatClassifierBench(result: ClassifierBenchResult): string {
  const header = 'set                 messages  mean chars   msg/s   p50 µs   p99 µs   max µs';
  const line = (set: ClassifierSetResult) =>
    `${set.name.padEnd(18)} ${String(set.messages).padStart(9)} ${String(set.meanChars).padStart(11)} ${String(set.perSecond).padStart(7)} ${String(set.p50Microseconds).padStart(8)} ${String(set.p99Microseconds).padStart(8)} ${String(set.maxMicroseconds).padStart(8)}`;
  return [
    `Offline classifier (PII redaction + rules + local model), one core; model loaded in ${result.modelLoadMilliseconds} ms`,
    header,
    ...result.sets.map(line),
    line(result.overall),
    `${result.pass ? 'PASS' : 'FAIL'}  offline classifier ≥ ${result.target} msg/s on one core: ${result.overall.perSecond} msg/s (p99 ${result.overall.p99Microseconds} µs)`,
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(formatClassifierBench(await benchClassifier()));
}
