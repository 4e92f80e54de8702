/**
 * `npm run bench` — the intake bench (issue 2). Runs the naive baseline, then Ombuds, each as child processes on
 * its own throw-away PostgreSQL database and BullMQ prefix; drives `POST /v1/messages` with autocannon from this
 * process; waits for Ombuds's workers to process everything; checks that no accepted message is missing; prints
 * the report and writes it as JSON. Exit code 0 when the bench ran (whatever the figures), 1 when it could not.
 */
import { randomBytes } from 'node:crypto';
import { defer, releaseAll, releaseOnSignals } from './cleanup.js';
import { cpuBetween, cpuSnapshot, machineBusyPct } from './cpu.js';
import { checkpoint, createThrowawayDatabase, deleteRedisPrefix, uniquePrefix } from './infrastructure.js';
import { driveLoad, stopLoad, type LoadPhase } from './load.js';
import { batchSizesBetween, eventLoopLag, scrape, type Samples } from './metrics.js';
import { parseOptions, USAGE, type BenchOptions } from './options.js';
import { formatReport, machine, summarize, verdicts, writeJson, type BenchReport, type EndToEnd, type SystemResult } from './report.js';
import { startBaseline, startOmbuds, type Placement, type SystemUnderTest } from './systems.js';
import { checkStorage, processingProgress, waitForProcessing } from './verify.js';
import { createWorkload, loadFixtures } from './workload.js';
import type { ApiMessageBody } from '../src/contracts/index.js';

const log = (message: string) => {
  console.error(`bench: ${message}`);
};

/** A throw-away database and BullMQ prefix, both given back at the end. */
async function place(label: string, options: BenchOptions): Promise<Placement> {
  const { redisUrl, cpuProfileDir } = options;
  const database = await createThrowawayDatabase(label);
  defer(`database ${database.name}`, () => database.drop());
  const queuePrefix = uniquePrefix(label);
  defer(`Redis keys ${queuePrefix}:*`, () => deleteRedisPrefix(redisUrl, queuePrefix));
  log(`${label}: database ${database.name}, BullMQ prefix ${queuePrefix}`);
  // Profiles (named CPU.<date>.<time>.<pid>…) are written when a process exits normally (on the SIGTERM the bench sends).
  const nodeArgs = cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : [];
  return { databaseUrl: database.url, redisUrl, queuePrefix, nodeArgs };
}

interface Measurement {
  warmup: LoadPhase | null;
  measured: LoadPhase;
  cpu: SystemResult['cpu'];
  before: Samples | null;
  after: Samples | null;
}

async function measure(system: SystemUnderTest, options: BenchOptions, fixtures: readonly ApiMessageBody[]): Promise<Measurement> {
  const workload = createWorkload(fixtures, `bench-${randomBytes(4).toString('hex')}`, options.customers);
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

function allAcceptedIds(run: Measurement): string[] {
  return [...(run.warmup?.acceptedIds ?? []), ...run.measured.acceptedIds];
}

/** A note when something else keeps the machine busy before a system is measured (its figures are then noisy). */
async function quietCheck(name: string): Promise<string[]> {
  const busy = await machineBusyPct(1_000);
  if (busy === null || busy < 20) return [];
  log(`warning: the machine is ${busy.toFixed(0)} % busy before ${name} starts; other processes will skew the figures`);
  return [`the machine was ${busy.toFixed(0)} % busy (other processes) just before this run: figures are noisy.`];
}

async function benchBaseline(options: BenchOptions, fixtures: readonly ApiMessageBody[]): Promise<SystemResult> {
  const placement = await place('baseline', options);
  await checkpoint();
  const notes = await quietCheck('the baseline');
  const system = await startBaseline(placement);
  const stop = defer(system.name, () => system.stop());
  const run = await measure(system, options, fixtures);
  // Let the requests in flight at the cut-off finish before counting rows.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  await stop();
  const storage = await checkStorage(placement.databaseUrl, 'baseline_messages', allAcceptedIds(run));
  return {
    name: system.name,
    kind: 'baseline',
    notes: ['naive baseline: no API-key check, no dedupe, no complaint shell or audit event, one INSERT + one Queue.add per request; no workers.', ...notes],
    warmup: run.warmup ? summarize(run.warmup) : null,
    measured: summarize(run.measured),
    storage,
    cpu: run.cpu,
  };
}

async function benchOmbuds(options: BenchOptions, fixtures: readonly ApiMessageBody[]): Promise<SystemResult> {
  const placement = await place('ombuds', options);
  await checkpoint();
  const notes = await quietCheck('Ombuds');
  const system = await startOmbuds(placement, options.topology);
  const stop = defer(system.name, () => system.stop());
  const run = await measure(system, options, fixtures);

  const atLoadEnd = await processingProgress(placement.databaseUrl);
  log(`${system.name}: load over, ${atLoadEnd.processed} processed, ${atLoadEnd.pending} pending; waiting for the workers`);
  const drainCpuBefore = cpuSnapshot(system.pids);
  const drain = await waitForProcessing(placement.databaseUrl, options.drainStallS * 1000, (progress) => {
    log(`${system.name}: ${progress.processed} processed, ${progress.pending} pending`);
  });
  const drainCpu = cpuBetween(drainCpuBefore, cpuSnapshot(system.pids));
  await stop();
  const storage = await checkStorage(placement.databaseUrl, 'messages', allAcceptedIds(run));

  const loadStart = run.warmup?.startedAt ?? run.measured.startedAt;
  const last = drain.lastProcessedAt;
  const secondsToLastProcessed = last === null ? null : (last - loadStart) / 1000;
  const drainSeconds = last === null ? null : Math.max(0, (last - run.measured.finishedAt) / 1000);
  const endToEnd: EndToEnd = {
    ...drain,
    secondsToLastProcessed,
    perSecond: secondsToLastProcessed !== null && secondsToLastProcessed > 0 ? drain.processed / secondsToLastProcessed : null,
    drainSeconds,
    workersAlonePerSecond: drainSeconds !== null && drainSeconds >= 1 ? (drain.processed - atLoadEnd.processed) / drainSeconds : null,
  };
  if (!drain.complete) notes.push(`the workers stopped making progress for ${options.drainStallS} s with ${drain.pending} messages pending.`);
  if (drainCpu) {
    const cores = Object.entries(drainCpu.groupCores).map(([group, value]) => `${group} ${value.toFixed(2)}`).join(', ');
    notes.push(`CPU while the workers drained (${drainCpu.seconds.toFixed(1)} s): machine ${drainCpu.machineBusyPct.toFixed(0)} % busy; cores: ${cores}.`);
  }
  return {
    name: system.name,
    kind: 'ombuds',
    notes,
    warmup: run.warmup ? summarize(run.warmup) : null,
    measured: summarize(run.measured),
    storage,
    cpu: run.cpu,
    endToEnd,
    batchSizes: run.before && run.after ? batchSizesBetween(run.before, run.after) : null,
    eventLoopLag: run.after ? eventLoopLag(run.after) : null,
  };
}

async function main(): Promise<number> {
  const parsed = parseOptions(process.argv.slice(2), process.env);
  if (parsed === 'help') {
    console.log(USAGE);
    return 0;
  }
  const options = parsed;
  const startedAt = new Date().toISOString();
  const fixtures = loadFixtures();
  const systems: SystemResult[] = [];
  if (options.systems.baseline) systems.push(await benchBaseline(options, fixtures));
  if (options.systems.ombuds) systems.push(await benchOmbuds(options, fixtures));
  await releaseAll();

  const ours = systems.find((system) => system.kind === 'ombuds');
  const baseline = systems.find((system) => system.kind === 'baseline');
  const ratio = ours && baseline && baseline.measured.acceptedPerSecond > 0 ? ours.measured.acceptedPerSecond / baseline.measured.acceptedPerSecond : null;
  const { redisUrl: _redisUrl, ...shownOptions } = options;
  const report: BenchReport = { startedAt, options: shownOptions, machine: machine(), systems, ratio, verdicts: verdicts(systems, ratio) };
  console.log(formatReport(report));
  console.log(`\nJSON: ${writeJson(report)}`);
  if (options.cpuProfileDir) console.log(`CPU profiles: ${options.cpuProfileDir} (summarise with \`npx tsx bench/profile-summary.ts FILE\`)`);
  return 0;
}

releaseOnSignals(stopLoad);
main()
  .then((code) => {
    process.exitCode = code;
  })
  .catch(async (error: unknown) => {
    console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    await releaseAll();
    process.exitCode = 1;
  });
