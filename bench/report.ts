/**
 * The bench's report: the figures of each system as a plain-text table, the ratio ours / baseline, PASS/FAIL
 * against the issue's targets, and the same figures as JSON in bench/results/intake-<timestamp>.json.
 */
import type { ClassifierBenchResult } from './classifier.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { CpuUsage } from './cpu.js';
import type { LoadPhase } from './load.js';
import type { BatchSizes, EventLoopLag } from './metrics.js';
import type { BenchOptions } from './options.js';
import { PROJECT_ROOT } from './processes.js';
import type { Drain, StorageCheck } from './verify.js';

export type PhaseSummary = Omit<LoadPhase, 'acceptedIds'>;

export interface EndToEnd extends Drain {
  /** Processed messages per second, from the start of the load (warm-up included) to the last one processed. */
  perSecond: number | null;
  secondsToLastProcessed: number | null;
  /** From the end of the load to the last message processed. */
  drainSeconds: number | null;
  /** Processed per second after the load stopped (the workers alone, without HTTP traffic). */
  workersAlonePerSecond: number | null;
}

export interface SystemResult {
  name: string;
  kind: 'ombuds' | 'baseline';
  /** Process ids by role (to match CPU profiles, named CPU.<date>.<time>.<pid>…). */
  processes: Record<string, number[]>;
  notes: string[];
  warmup: PhaseSummary | null;
  measured: PhaseSummary;
  storage: StorageCheck;
  cpu: CpuUsage | null;
  endToEnd?: EndToEnd;
  batchSizes?: BatchSizes | null;
  eventLoopLag?: EventLoopLag | null;
}

export interface Verdict {
  target: string;
  value: string;
  pass: boolean;
}

export interface BenchReport {
  startedAt: string;
  options: Omit<BenchOptions, 'redisUrl'>;
  machine: { cpus: number; cpuModel: string; node: string };
  systems: SystemResult[];
  /** Accepted msg/s of Ombuds over the baseline's. */
  ratio: number | null;
  verdicts: Verdict[];
  /** The offline classifier on one core (issue 3), measured in this process before the HTTP systems. */
  classifier?: ClassifierBenchResult;
}

export function summarize(phase: LoadPhase): PhaseSummary {
  const { acceptedIds: _ids, ...summary } = phase;
  return summary;
}

export function machine(): BenchReport['machine'] {
  const list = cpus();
  return { cpus: list.length, cpuModel: list[0]?.model ?? 'unknown', node: process.version };
}

export function verdicts(systems: SystemResult[], ratio: number | null): Verdict[] {
  const ours = systems.find((system) => system.kind === 'ombuds');
  const list: Verdict[] = [];
  if (ratio !== null) list.push({ target: 'ratio ours/baseline ≥ 1.0', value: ratio.toFixed(2), pass: ratio >= 1 });
  if (ours) {
    const p99 = ours.measured.latencyMs.p99;
    list.push({ target: 'Ombuds p99 < 100 ms', value: `${p99} ms`, pass: p99 < 100 });
    list.push({ target: 'no message lost (Ombuds)', value: `${ours.storage.lost} lost`, pass: ours.storage.lost === 0 });
    list.push({
      target: 'every accepted message processed',
      value: ours.endToEnd ? `${ours.endToEnd.processed} processed, ${ours.endToEnd.failed} failed, ${ours.endToEnd.pending} pending` : 'not measured',
      pass: ours.endToEnd !== undefined && ours.endToEnd.complete && ours.endToEnd.failed === 0,
    });
    const errors = ours.measured.non2xx + ours.measured.errors;
    list.push({ target: 'no errors under load (Ombuds)', value: `${errors} non-2xx/errors`, pass: errors === 0 });
  }
  return list;
}

const fixed = (value: number | null | undefined, digits = 0) => (value === null || value === undefined ? '—' : value.toFixed(digits));

function table(header: string[], rows: string[][]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ');
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(header), rule, ...rows.map(line)].join('\n');
}

export function formatReport(report: BenchReport): string {
  const systems = report.systems;
  const column = (pick: (system: SystemResult) => string) => systems.map(pick);
  const rows: string[][] = [
    ['accepted (2xx) msg/s', ...column((s) => fixed(s.measured.acceptedPerSecond))],
    ['2xx in measured window', ...column((s) => String(s.measured.accepted))],
    ['non-2xx / conn. errors / timeouts', ...column((s) => `${s.measured.non2xx} / ${s.measured.errors} / ${s.measured.timeouts}`)],
    ['latency p50 ms', ...column((s) => fixed(s.measured.latencyMs.p50))],
    ['latency p90 ms', ...column((s) => fixed(s.measured.latencyMs.p90))],
    ['latency p99 ms', ...column((s) => fixed(s.measured.latencyMs.p99))],
    ['latency max ms', ...column((s) => fixed(s.measured.latencyMs.max))],
    ['2xx incl. warm-up / rows stored', ...column((s) => `${s.storage.accepted} / ${s.storage.rows}`)],
    ['lost (2xx not stored)', ...column((s) => String(s.storage.lost))],
    ['stored, no answer at cut-off', ...column((s) => String(s.storage.unanswered))],
    ['end-to-end processed msg/s', ...column((s) => (s.endToEnd ? fixed(s.endToEnd.perSecond) : 'n/a'))],
    ['  load start → last processed s', ...column((s) => (s.endToEnd ? fixed(s.endToEnd.secondsToLastProcessed, 1) : 'n/a'))],
    ['  drain after load s', ...column((s) => (s.endToEnd ? fixed(s.endToEnd.drainSeconds, 1) : 'n/a'))],
    ['  workers alone msg/s', ...column((s) => (s.endToEnd ? fixed(s.endToEnd.workersAlonePerSecond) : 'n/a'))],
    ['group-commit batch, mean', ...column((s) => (s.batchSizes ? fixed(s.batchSizes.mean, 1) : 'n/a'))],
    ['HTTP event-loop lag p99 / max ms', ...column((s) => (s.eventLoopLag ? `${fixed(s.eventLoopLag.p99Ms, 1)} / ${fixed(s.eventLoopLag.maxMs, 1)}` : 'n/a'))],
    ['machine CPU busy %', ...column((s) => (s.cpu ? fixed(s.cpu.machineBusyPct) : 'n/a'))],
  ];
  const groups = [...new Set(systems.flatMap((s) => Object.keys(s.cpu?.groupCores ?? {})))];
  for (const group of groups) rows.push([`  cores: ${group}`, ...column((s) => { const value = s.cpu?.groupCores[group]; return value === undefined ? '' : fixed(value, 2); })]);

  const out: string[] = [];
  const o = report.options;
  out.push(`Intake bench — ${report.startedAt} — ${report.machine.cpus} × ${report.machine.cpuModel}, Node ${report.machine.node}`);
  out.push(`POST /v1/messages, ${o.connections} connections, ${o.warmupS} s warm-up (not counted) + ${o.durationS} s measured per system, ${o.customers} senders, fixtures/api rotated, unique clientMessageId per request (${o.ids === 'uuid' ? 'UUIDs' : 'app-msg-NNNN'}).`);
  const settings = Object.entries(o.ombudsSettings).map(([name, value]) => `${name}=${value}`);
  out.push(`Ombuds settings: ${settings.length > 0 ? `${settings.join(' ')} (from the environment), others default` : 'defaults'}; baseline pg pool ${o.ombudsSettings.PG_POOL_MAX ?? '20'}.`);
  out.push('');
  out.push(table(['', ...systems.map((s) => s.name)], rows));
  out.push('');
  for (const system of systems) {
    for (const note of system.notes) out.push(`${system.name}: ${note}`);
    for (const sample of system.measured.sampleErrors) out.push(`${system.name}: sample error: ${sample}`);
    if (system.batchSizes && system.batchSizes.statements > 0) {
      const histogram = Object.entries(system.batchSizes.histogram).filter(([, count]) => count > 0).map(([bucket, count]) => `${bucket}: ${count}`).join(', ');
      out.push(`${system.name}: ${system.batchSizes.statements} group-commit statements for ${system.batchSizes.messages} messages (${histogram})`);
    }
  }
  out.push('');
  out.push(`ratio ours/baseline (accepted msg/s): ${report.ratio === null ? 'n/a (both systems are needed)' : report.ratio.toFixed(2)}`);
  for (const verdict of report.verdicts) out.push(`${verdict.pass ? 'PASS' : 'FAIL'}  ${verdict.target}: ${verdict.value}`);
  return out.join('\n');
}

/** Writes the report as JSON; returns the file's path. */
export function writeJson(report: BenchReport): string {
  const folder = join(PROJECT_ROOT, 'bench', 'results');
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `intake-${report.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
