/**
 * The timer-recovery bench (issue 4): 10,000 open complaints with a running clock each, seeded straight into a
 * throw-away PostgreSQL database, and BullMQ on a private redis-server. `reconcileTimers` sets every clock's timers
 * once (cold); then the private Redis is flushed (FLUSHALL: only this bench uses it), a fresh driver is made (the
 * restart) and the time until every timer is back as a delayed job is measured. Prints ms and jobs/s.
 * Runs in `npm run bench`, or alone as `npx tsx bench/timers.ts`.
 */
import { fileURLToPath } from 'node:url';
import { reconcileTimers } from '../src/handling/timers.js';
import { createBullmqDriver, type BullmqDriver } from '../src/queue/index.js';
import { createPostgresDatabase, migrate, type Database } from '../src/store/index.js';
import { startPrivateRedis } from '../test/support/private-redis.js';
import { defer, releaseAll } from './cleanup.js';
import { createThrowawayDatabase } from './infrastructure.js';
import { log } from './measure.js';

const WARNING_POINTS = [0.5, 0.8];

export interface TimerBenchResult {
  clocks: number;
  /** Timer jobs per recovery (warnings + due for every clock). */
  jobs: number;
  coldMilliseconds: number;
  /** FLUSHALL → fresh driver → every timer back as a delayed job. */
  recoveryMilliseconds: number;
  recoveryJobsPerSecond: number;
  /** A third run with every timer present: nothing new is added. */
  noopMilliseconds: number;
  delayedAfterRecovery: number;
  pass: boolean;
}

function newDriver(redisUrl: string): BullmqDriver {
  return createBullmqDriver({ redisUrl, prefix: 'ombuds', attempts: 8, backoffMs: 1000, concurrency: 16, enqueueTimeoutMs: 30_000 });
}

async function seed(database: Database, clocks: number, now: Date): Promise<void> {
  // Received over the last ten hours, due in 15 days: every warning point and the due time are still ahead.
  await database.query(
    `WITH c AS (
       INSERT INTO complaints (id, reference, stage, channel, received_at, queued_at, team, urgency, urgency_rank, summary)
       SELECT gen_random_uuid(), 'CMP-BENCH-' || lpad(n::text, 6, '0'), 'registered', 'api',
              $1::timestamptz - (n % 600) * interval '1 minute', $1::timestamptz, 'cards', 'low', 0, 'bench'
       FROM generate_series(1, $2::int) AS n
       RETURNING id, received_at
     )
     INSERT INTO complaint_deadlines (id, complaint_id, regime, clock, starts_at, due_at)
     SELECT gen_random_uuid(), id, 'cn_nfra', 'final_response', received_at, received_at + interval '15 days' FROM c`,
    [now, clocks],
  );
  await database.query('ANALYZE complaints');
  await database.query('ANALYZE complaint_deadlines');
}

export async function benchTimers(clocks = 10_000): Promise<TimerBenchResult> {
  // Everything this bench takes is given back when it ends (not only at the end of `npm run bench`).
  const undo: (() => Promise<void>)[] = [];
  try {
    return await run(clocks, undo);
  } finally {
    for (const release of undo.reverse()) await release();
  }
}

async function run(clocks: number, undo: (() => Promise<void>)[]): Promise<TimerBenchResult> {
  const throwaway = await createThrowawayDatabase('timers');
  undo.push(defer(`database ${throwaway.name}`, () => throwaway.drop()));
  const database = createPostgresDatabase({ connectionString: throwaway.url, maxConnections: 4, connectTimeoutMs: 5_000, statementTimeoutMs: 120_000 });
  undo.push(defer('timer bench pool', () => database.close()));
  await migrate(database);
  const redis = await startPrivateRedis();
  undo.push(defer('private redis-server', () => redis.stop()));
  log(`timers: database ${throwaway.name}, private Redis ${redis.url}; seeding ${clocks} open clocks`);
  await seed(database, clocks, new Date());

  let driver = newDriver(redis.url);
  let closeDriver = defer('timer bench driver', () => driver.close());
  const coldStart = performance.now();
  const jobs = await reconcileTimers(database, driver, WARNING_POINTS, new Date());
  const coldMilliseconds = performance.now() - coldStart;
  const cold = await driver.counts('timers');
  if (cold.delayed !== jobs) throw new Error(`cold run: ${cold.delayed} delayed timers in Redis, expected ${jobs}`);

  // The Redis loss: everything gone, the process restarts with a fresh connection.
  await closeDriver();
  await redis.flushAll();
  const recoveryStart = performance.now();
  driver = newDriver(redis.url);
  closeDriver = defer('timer bench driver', () => driver.close());
  const recovered = await reconcileTimers(database, driver, WARNING_POINTS, new Date());
  const delayedAfterRecovery = (await driver.counts('timers')).delayed;
  const recoveryMilliseconds = performance.now() - recoveryStart;

  const noopStart = performance.now();
  await reconcileTimers(database, driver, WARNING_POINTS, new Date());
  const noopMilliseconds = performance.now() - noopStart;
  const afterNoop = (await driver.counts('timers')).delayed;
  await closeDriver();

  return {
    clocks,
    jobs,
    coldMilliseconds: Math.round(coldMilliseconds),
    recoveryMilliseconds: Math.round(recoveryMilliseconds),
    recoveryJobsPerSecond: Math.round(recovered / (recoveryMilliseconds / 1000)),
    noopMilliseconds: Math.round(noopMilliseconds),
    delayedAfterRecovery,
    pass: recovered === jobs && delayedAfterRecovery === jobs && afterNoop === jobs,
  };
}

export function formatTimerBench(result: TimerBenchResult): string {
  return [
    `Timer recovery: ${result.clocks} open clocks, ${result.jobs} timer jobs (warn50, warn80, due), BullMQ on a private redis-server, PostgreSQL`,
    `  cold reconcile              ${String(result.coldMilliseconds).padStart(7)} ms`,
    `  FLUSHALL → restart → all back ${String(result.recoveryMilliseconds).padStart(5)} ms  (${result.recoveryJobsPerSecond} jobs/s; ${result.delayedAfterRecovery} delayed)`,
    `  reconcile again (no-op)     ${String(result.noopMilliseconds).padStart(7)} ms`,
    `${result.pass ? 'PASS' : 'FAIL'}  every timer recreated after a Redis loss, none twice: ${result.delayedAfterRecovery} / ${result.jobs}`,
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    console.log(formatTimerBench(await benchTimers()));
  } finally {
    await releaseAll();
  }
}
