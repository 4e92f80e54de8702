/**
 * A worker process is killed with SIGKILL while it is processing jobs. Its jobs stay locked in Redis until the
 * lock expires, then another worker picks them up; each job's work is one database transaction, so a killed job
 * left nothing behind and runs again from scratch: every message ends up as exactly one registered complaint.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmptyPostgresDatabase } from '../support/databases.js';
import { readJsonFixture } from '../support/fixtures.js';
import { startHarness } from '../support/ombuds-harness.js';
import { startPrivateRedis } from '../support/private-redis.js';
import { apiChannel } from '../../src/adapters/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MESSAGES = 1500;
const body = readJsonFixture('api/api-5-en-money-leaving-now.json');

function startWorker(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'work'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number, intervalMs = 10): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

describe('a worker killed mid-job', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('completes every job after a restart, with no duplicate record', async () => {
    const redis = await startPrivateRedis();
    cleanups.push(() => redis.stop());
    const database = await createEmptyPostgresDatabase();
    cleanups.push(() => database.drop());
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: 'kill-test',
      QUEUE_LOCK_MS: '2000',
      QUEUE_CONCURRENCY: '16',
      QUEUE_BACKOFF_MS: '50',
      LOG_LEVEL: 'warn',
    };

    // The HTTP side (no workers) accepts the messages; intake is exercised directly for speed.
    const front = await startHarness('production', { databaseUrl: database.url, workers: false, env });
    cleanups.push(() => front.ombuds.stop());
    const client = { id: 'kill-test-app', name: 'kill-test-app' };
    const receivedAt = new Date();
    await Promise.all(
      Array.from({ length: MESSAGES }, (_, index) =>
        front.ombuds.intake.accept(
          apiChannel.normalizeApiMessage(
            { ...(body as { text: string; sender: { id: string } }), clientMessageId: `kill-${index}`, sender: { id: `customer-${index}` } },
            client,
            receivedAt,
          ),
        ),
      ),
    );
    const processed = async () =>
      (await front.ombuds.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE status = 'processed'`)).rows[0]?.n ?? 0;

    const first = startWorker(env);
    const exited = new Promise((resolve) => first.once('exit', resolve));
    await waitFor(async () => ((await processed()) >= 20 ? true : undefined), 60_000);
    const active = (await front.ombuds.queue.counts('intake')).active;
    first.kill('SIGKILL');
    await exited;
    const atKill = await processed();
    expect(atKill).toBeLessThan(MESSAGES);
    expect(active).toBeGreaterThan(0);

    const second = startWorker(env);
    cleanups.push(async () => {
      second.kill('SIGKILL');
      await new Promise((resolve) => second.once('exit', resolve));
    });
    await waitFor(async () => ((await processed()) === MESSAGES ? true : undefined), 120_000, 100);

    const result = await front.ombuds.database.query<{ complaints: number; registered: number; failed: number; duplicates: number }>(
      `SELECT (SELECT count(*)::int FROM complaints WHERE stage = 'registered') AS complaints,
              (SELECT count(*)::int FROM complaint_events WHERE type = 'registered') AS registered,
              (SELECT count(*)::int FROM messages WHERE direction = 'inbound' AND status = 'failed') AS failed,
              (SELECT count(*)::int FROM (SELECT complaint_id FROM complaint_events WHERE type = 'classified'
                 GROUP BY complaint_id HAVING count(*) > 1) AS twice) AS duplicates`,
    );
    expect(result.rows[0]).toEqual({ complaints: MESSAGES, registered: MESSAGES, failed: 0, duplicates: 0 });
  });
});
