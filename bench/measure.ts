/**
 * One measurement of one running system: the warm-up (not counted), then the measured window with the CPU of
 * every process and Ombuds's /metrics read around it. Also waits for a quiet machine before it starts.
 */
import type { ApiMessageBody } from '../src/contracts/index.js';
import { cpuBetween, cpuSnapshot, machineBusyPct, type CpuUsage } from './cpu.js';
import { driveLoad, type LoadPhase } from './load.js';
import { scrape, type Samples } from './metrics.js';
import type { BenchOptions } from './options.js';
import type { SystemUnderTest } from './systems.js';
import { createWorkload } from './workload.js';

export const log = (message: string): void => {
  console.error(`bench: ${message}`);
};

export interface Measurement {
  warmup: LoadPhase | null;
  measured: LoadPhase;
  cpu: CpuUsage | null;
  before: Samples | null;
  after: Samples | null;
}

export async function measure(system: SystemUnderTest, options: BenchOptions, fixtures: readonly ApiMessageBody[]): Promise<Measurement> {
  const workload = createWorkload(fixtures, options.ids, options.customers);
  const target = { url: system.baseUrl, headers: system.headers };
  let warmup: LoadPhase | null = null;
  if (options.warmupS > 0) {
    log(`${system.name}: warm-up ${options.warmupS} s`);
    warmup = await driveLoad(target, workload, { label: 'warm-up', seconds: options.warmupS, connections: options.connections });
  }
  const before = system.hasMetrics ? await scrape(system.baseUrl) : null;
  const cpuBefore = cpuSnapshot(system.pids);
  log(`${system.name}: measuring ${options.durationS} s at ${options.connections} connections`);
  const measured = await driveLoad(target, workload, { label: 'measured', seconds: options.durationS, connections: options.connections });
  const cpu = cpuBetween(cpuBefore, cpuSnapshot(system.pids));
  const after = system.hasMetrics ? await scrape(system.baseUrl) : null;
  log(`${system.name}: ${measured.accepted} accepted in ${measured.seconds.toFixed(1)} s (${measured.acceptedPerSecond.toFixed(0)}/s), p99 ${measured.latencyMs.p99} ms`);
  return { warmup, measured, cpu, before, after };
}

export function allAcceptedIds(run: Measurement): string[] {
  return [...(run.warmup?.acceptedIds ?? []), ...run.measured.acceptedIds];
}

/**
 * Waits (up to a minute) for the machine to be quiet before a system is measured: other processes (another
 * engineer's test run) skew the figures. Returns a note when it never got quiet.
 */
export async function waitForQuiet(name: string): Promise<string[]> {
  const deadline = Date.now() + 60_000;
  let busy = await machineBusyPct(1_000);
  if (busy !== null && busy >= 20) log(`the machine is ${busy.toFixed(0)} % busy before ${name} starts; waiting up to 60 s for it to calm down`);
  while (busy !== null && busy >= 20 && Date.now() < deadline) busy = await machineBusyPct(2_000);
  if (busy === null || busy < 20) return [];
  log(`warning: still ${busy.toFixed(0)} % busy; measuring ${name} anyway`);
  return [`the machine was ${busy.toFixed(0)} % busy (other processes) just before this run: figures are noisy.`];
}
