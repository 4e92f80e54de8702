/**
 * What one system's run consists of. The baseline: start, measure, count rows. Ombuds: start (in the chosen
 * topology), measure, wait until the workers processed every message, count rows, work out the end-to-end rate.
 * Each gets its own throw-away database and BullMQ prefix, given back at the end.
 */
import type { ApiMessageBody } from '../src/contracts/index.js';
import { defer } from './cleanup.js';
import { cpuBetween, cpuSnapshot } from './cpu.js';
import { checkpoint, createThrowawayDatabase, deleteRedisPrefix, uniquePrefix } from './infrastructure.js';
import { allAcceptedIds, log, measure, waitForQuiet } from './measure.js';
import { batchSizesBetween, eventLoopLag } from './metrics.js';
import type { BenchOptions } from './options.js';
import { summarize, type EndToEnd, type SystemResult } from './report.js';
import { startBaseline, startOmbuds, type Placement } from './systems.js';
import { checkStorage, processingProgress, waitForProcessing } from './verify.js';

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

export async function benchBaseline(options: BenchOptions, fixtures: readonly ApiMessageBody[]): Promise<SystemResult> {
  const placement = await place('baseline', options);
  await checkpoint();
  const notes = await waitForQuiet('the baseline');
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
    processes: system.pids,
    notes: ['naive baseline: no API-key check, no dedupe, no complaint shell or audit event, one INSERT + one Queue.add per request; no workers.', ...notes],
    warmup: run.warmup ? summarize(run.warmup) : null,
    measured: summarize(run.measured),
    storage,
    cpu: run.cpu,
  };
}

export async function benchOmbuds(options: BenchOptions, fixtures: readonly ApiMessageBody[]): Promise<SystemResult> {
  const placement = await place('ombuds', options);
  await checkpoint();
  const notes = await waitForQuiet('Ombuds');
  const system = await startOmbuds(placement, options.topology);
  const stop = defer(system.name, () => system.stop());
  const run = await measure(system, options, fixtures);
  await system.afterLoad();

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
    processes: system.pids,
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
