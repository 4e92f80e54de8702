/**
 * The BullMQ driver against the real Redis: the shared driver contract, then what only a Redis-backed driver has to
 * promise (an unreachable Redis, a worker that dies mid-job). Each driver gets its own key prefix; the test deletes
 * that prefix's keys afterwards and never flushes the shared database.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { isOmbudsError } from '../shared/errors.js';
import { createBullmqDriver, type BullmqDriver, type BullmqDriverConfig } from './bullmq-driver.js';
import { describeQueueDriverContract, gate } from './driver-contract.test-helper.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const UNREACHABLE_REDIS_URL = 'redis://127.0.0.1:1';

let admin: Redis;
const prefixesToDelete: string[] = [];

function newPrefix(): string {
  const prefix = `test-${randomUUID()}`;
  prefixesToDelete.push(prefix);
  return prefix;
}

async function deleteKeys(prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length > 0) await admin.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

async function deletePrefixes(): Promise<void> {
  for (const prefix of prefixesToDelete.splice(0)) await deleteKeys(prefix);
}

function isQueueUnavailable(error: unknown): boolean {
  return isOmbudsError(error) && error.code === 'QUEUE_UNAVAILABLE';
}

beforeAll(() => {
  admin = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
});

afterAll(async () => {
  await admin.quit();
});

describeQueueDriverContract('bullmq', {
  create: (config) => createBullmqDriver({ ...config, redisUrl: REDIS_URL, prefix: newPrefix() }),
  cleanUp: deletePrefixes,
});

describe('bullmq driver', () => {
  const config = { attempts: 1, backoffMs: 50, concurrency: 1 };
  const opened: BullmqDriver[] = [];
  const releases: (() => void)[] = [];

  function driverWith(overrides: Partial<BullmqDriverConfig> = {}): BullmqDriver {
    const driver = createBullmqDriver({ ...config, redisUrl: REDIS_URL, prefix: newPrefix(), ...overrides });
    opened.push(driver);
    return driver;
  }

  afterEach(async () => {
    for (const release of releases.splice(0)) release();
    await Promise.all(opened.splice(0).map((driver) => driver.close()));
    await deletePrefixes();
  });

  it('rejects with QueueUnavailable in bounded time when Redis cannot be reached, and closes', async () => {
    const driver = driverWith({ redisUrl: UNREACHABLE_REDIS_URL, enqueueTimeoutMs: 300, pingTimeoutMs: 300 });
    driver.process('intake', () => Promise.resolve());
    await driver.start();
    const messageId = randomUUID();
    const startedAt = Date.now();

    await expect(driver.enqueue('intake', { messageId }, { jobId: `intake-${messageId}` })).rejects.toSatisfy(
      isQueueUnavailable,
    );
    await expect(
      driver.enqueueMany('intake', [{ payload: { messageId }, options: { jobId: `intake-${messageId}` } }]),
    ).rejects.toSatisfy(isQueueUnavailable);
    await expect(driver.counts('intake')).rejects.toSatisfy(isQueueUnavailable);
    await expect(driver.ping()).rejects.toSatisfy(isQueueUnavailable);
    expect(Date.now() - startedAt).toBeLessThan(5_000);

    const closingStartedAt = Date.now();
    await driver.close();
    expect(Date.now() - closingStartedAt).toBeLessThan(5_000);
  });

  it('has another worker run a job whose worker died mid-job, once its lock expires', async () => {
    const prefix = newPrefix();
    const timing = { lockDurationMs: 1_000, stalledIntervalMs: 500, closeGraceMs: 50 };
    const dying = driverWith({ prefix, ...timing });
    const held = gate();
    releases.push(held.open);
    const runsBy: string[] = [];
    dying.process('intake', async () => {
      runsBy.push('dying');
      await held.wait;
    });
    await dying.start();
    const messageId = randomUUID();
    await dying.enqueue('intake', { messageId }, { jobId: `intake-${messageId}` });
    await vi.waitFor(() => {
      expect(runsBy).toEqual(['dying']);
    }, { timeout: 10_000, interval: 20 });

    // The grace period is shorter than the stuck job: the worker is closed by force, its lock left to expire.
    await dying.close();
    const rescuer = driverWith({ prefix, ...timing });
    rescuer.process('intake', (payload) => {
      runsBy.push('rescuer');
      expect(payload).toEqual({ messageId });
      return Promise.resolve();
    });
    await rescuer.start();

    await vi.waitFor(() => {
      expect(runsBy).toEqual(['dying', 'rescuer']);
    }, { timeout: 20_000, interval: 50 });
    await vi.waitFor(async () => {
      expect(await rescuer.counts('intake')).toMatchObject({ waiting: 0, active: 0, failed: 0 });
    }, { timeout: 10_000, interval: 50 });
  });

  it('exposes the BullMQ Queue of each of the four queues for Bull Board', async () => {
    const driver = driverWith();
    const queues = driver.bullQueues();
    expect(queues.map((queue) => queue.name)).toEqual(['intake', 'outbound', 'timers', 'dispatch']);
    expect(driver.bullQueues()[0]).toBe(queues[0]);
    await expect(queues[0]!.getJobCounts('waiting')).resolves.toEqual({ waiting: 0 });
  });

  it('leaves no connection open after close', async () => {
    const prefix = newPrefix();
    const driver = driverWith({ prefix });
    driver.process('intake', () => Promise.resolve());
    await driver.start();
    const messageId = randomUUID();
    await driver.enqueue('intake', { messageId }, { jobId: `intake-${messageId}` });
    await vi.waitFor(async () => {
      expect((await driver.counts('intake')).waiting).toBe(0);
    });
    const clientNames = async () =>
      ((await admin.client('LIST')) as string).split('\n').filter((line) => line.includes(`name=${prefix}`));
    // The producer, the worker's connection and BullMQ's blocking duplicate of it.
    await vi.waitFor(async () => {
      expect(await clientNames()).toHaveLength(3);
    });

    await driver.close();
    await vi.waitFor(async () => {
      expect(await clientNames()).toEqual([]);
    });
  });
});
