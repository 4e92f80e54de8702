/**
 * The queue loses its jobs after the messages were accepted and before they were processed — Redis flushed
 * (production), or the process restarted with an in-memory queue (embedded). After a restart the reconciler
 * finds every pending message in the database and each is processed exactly once.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createEmptyPostgresDatabase } from '../support/databases.js';
import { readJsonFixture } from '../support/fixtures.js';
import { startHarness, type Harness } from '../support/ombuds-harness.js';
import { startPrivateRedis } from '../support/private-redis.js';

const body = readJsonFixture('api/api-1-zh-card-double-charge.json');
const MESSAGES = 60;

async function acceptMessages(harness: Harness): Promise<string[]> {
  const references: string[] = [];
  for (let index = 0; index < MESSAGES; index += 1) {
    const response = await request(harness.ombuds.app)
      .post('/v1/messages')
      .set('Authorization', `Bearer ${harness.appKey}`)
      .send({ ...body, clientMessageId: `lost-${index}`, sender: { id: `customer-${index}` } });
    expect(response.status).toBe(202);
    references.push(response.body.complaintReference as string);
  }
  return references;
}

async function expectEachProcessedOnce(harness: Harness, references: string[]): Promise<void> {
  await harness.waitForIdle();
  const result = await harness.ombuds.database.query<{ reference: string; stage: string; registered: number }>(
    `SELECT c.reference, c.stage,
            (SELECT count(*)::int FROM complaint_events e WHERE e.complaint_id = c.id AND e.type = 'registered') AS registered
     FROM complaints c ORDER BY c.reference`,
  );
  expect(result.rows.map((row) => row.reference)).toEqual([...references].sort());
  for (const row of result.rows) {
    expect(row.stage).toBe('registered');
    expect(row.registered).toBe(1);
  }
}

describe('jobs lost before processing', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('production: Redis FLUSHALL after accept; a restarted worker processes every message once', async () => {
    const redis = await startPrivateRedis();
    cleanups.push(() => redis.stop());
    const database = await createEmptyPostgresDatabase();
    cleanups.push(() => database.drop());
    const env = { REDIS_URL: redis.url, QUEUE_PREFIX: 'flush-test' };

    const front = await startHarness('production', { databaseUrl: database.url, workers: false, env });
    const references = await acceptMessages(front);
    const waiting = await front.ombuds.queue.counts('intake');
    expect(waiting.waiting).toBe(MESSAGES);
    await redis.flushAll();
    expect((await front.ombuds.queue.counts('intake')).waiting).toBe(0);
    await front.ombuds.stop();

    const worker = await startHarness('production', { databaseUrl: database.url, http: false, workers: true, env });
    cleanups.push(() => worker.ombuds.stop());
    await expectEachProcessedOnce(worker, references);
  });

  it('embedded: the process stops with jobs in its in-memory queue; after a restart each is processed once', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ombuds-embedded-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));

    const first = await startHarness('embedded', { workers: false, env: { DATA_DIR: dataDir } });
    const references = await acceptMessages(first);
    await first.ombuds.stop();

    const second = await startHarness('embedded', { workers: true, env: { DATA_DIR: dataDir } });
    cleanups.push(() => second.ombuds.stop());
    await expectEachProcessedOnce(second, references);
  });
});
