/**
 * PostgreSQL becomes unreachable: the API channel answers 503 (with Retry-After) so the sender retries,
 * readiness fails, nothing is half-written; when the database is back, the retried message is accepted once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { ADMIN_DATABASE_URL, createEmptyPostgresDatabase } from '../support/databases.js';
import { readJsonFixture } from '../support/fixtures.js';
import { startHarness, type Harness } from '../support/ombuds-harness.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

const body = readJsonFixture('api/api-2-en-account-blocked.json');

describe('PostgreSQL unreachable', () => {
  let proxy: TcpProxy;
  let harness: Harness;
  let dropDatabase: () => Promise<void>;

  beforeAll(async () => {
    const admin = new URL(ADMIN_DATABASE_URL);
    proxy = await startTcpProxy({ host: admin.hostname, port: Number(admin.port || 5432) });
    const database = await createEmptyPostgresDatabase();
    dropDatabase = database.drop;
    const viaProxy = new URL(database.url);
    viaProxy.port = String(proxy.port);
    harness = await startHarness('production', {
      databaseUrl: viaProxy.toString(),
      env: { PG_CONNECT_TIMEOUT_MS: '500', API_KEY_CACHE_TTL_MS: '60000' },
    });
  });
  afterAll(async () => {
    await harness.ombuds.stop();
    await proxy.close();
    await dropDatabase();
  });

  const post = (clientMessageId: string) =>
    request(harness.ombuds.app).post('/v1/messages').set('Authorization', `Bearer ${harness.appKey}`).send({ ...body, clientMessageId });

  async function counts(): Promise<{ messages: number; complaints: number; received: number }> {
    const result = await harness.ombuds.database.query<{ messages: number; complaints: number; received: number }>(
      `SELECT (SELECT count(*)::int FROM messages WHERE direction = 'inbound') AS messages, (SELECT count(*)::int FROM complaints) AS complaints,
              (SELECT count(*)::int FROM complaint_events WHERE type = 'received') AS received`,
    );
    return result.rows[0] ?? { messages: -1, complaints: -1, received: -1 };
  }

  it('answers 503 while the database is away and accepts the retry once it is back', async () => {
    expect((await post('before-outage')).status).toBe(202);
    await harness.waitForIdle();

    await proxy.cut();
    const during = await post('during-outage');
    expect(during.status).toBe(503);
    expect(during.body.error.code).toBe('STORE_UNAVAILABLE');
    expect(during.headers['retry-after']).toBeDefined();
    const ready = await request(harness.ombuds.app).get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.checks.database.status).toBe('unavailable');

    await proxy.restore();
    const retried = await post('during-outage');
    expect(retried.status).toBe(202);
    const again = await post('during-outage');
    expect(again.status).toBe(200);
    await harness.waitForIdle();

    expect(await counts()).toEqual({ messages: 2, complaints: 2, received: 2 });
    const registered = await harness.ombuds.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM complaints WHERE stage = 'registered'`);
    expect(registered.rows[0]?.n).toBe(2);
  });
});
