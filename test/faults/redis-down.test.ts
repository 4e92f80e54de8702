/**
 * Redis goes away while messages keep arriving: the API still answers 202 once each message is committed (within
 * the enqueue timeout), readiness reports the queue down, and when Redis is back (empty) the reconciler enqueues
 * every stored message, each processed once.
 */
import { afterAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createEmptyPostgresDatabase } from '../support/databases.js';
import { readJsonFixture } from '../support/fixtures.js';
import { startHarness } from '../support/ombuds-harness.js';
import { startPrivateRedis } from '../support/private-redis.js';

const body = readJsonFixture('api/api-4-zh-app-crash.json');

describe('Redis down while messages arrive', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('stores and answers 202 during the outage, and processes everything once Redis is back', async () => {
    const redis = await startPrivateRedis();
    cleanups.push(() => redis.stop());
    const database = await createEmptyPostgresDatabase();
    cleanups.push(() => database.drop());
    const harness = await startHarness('production', {
      databaseUrl: database.url,
      env: { REDIS_URL: redis.url, QUEUE_PREFIX: 'redis-down', QUEUE_ENQUEUE_TIMEOUT_MS: '300', RECONCILE_INTERVAL_MS: '1000' },
    });
    cleanups.push(() => harness.ombuds.stop());
    const post = (clientMessageId: string) =>
      request(harness.ombuds.app).post('/v1/messages').set('Authorization', `Bearer ${harness.appKey}`).send({ ...body, clientMessageId });

    expect((await post('before')).status).toBe(202);
    await harness.waitForIdle();

    await redis.kill();
    const during = await Promise.all(['during-1', 'during-2', 'during-3'].map(post));
    expect(during.map((response) => response.status)).toEqual([202, 202, 202]);
    const ready = await request(harness.ombuds.app).get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.checks.queue.status).toBe('unavailable');
    const pending = await harness.ombuds.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE status = 'pending'`);
    expect(pending.rows[0]?.n).toBe(3);
    const metrics = await request(harness.ombuds.app).get('/metrics');
    expect(metrics.text).toMatch(/ombuds_enqueue_failures_total [1-9]/);

    await redis.start();
    await harness.waitForIdle(60_000);
    const result = await harness.ombuds.database.query<{ registered: number; events: number }>(
      `SELECT (SELECT count(*)::int FROM complaints WHERE stage = 'registered') AS registered,
              (SELECT count(*)::int FROM complaint_events WHERE type = 'registered') AS events`,
    );
    expect(result.rows[0]).toEqual({ registered: 4, events: 4 });
  });
});
