import { randomUUID } from 'node:crypto';
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/databases.js';
import { ComplaintEventType, type StaffRole } from '../contracts/index.js';
import { fixedClock } from '../shared/clock.js';
import { generateApiKey } from '../shared/crypto.js';
import { createLogger } from '../shared/logger.js';
import { insertStaff } from '../store/index.js';
import { createAuthenticator } from './authentication.js';
import { createErrorHandler, notFoundHandler } from './errors.js';
import { webhookRoutes } from './webhook-routes.js';
import { NOT_PUBLIC_URLS } from '../../test/support/not-public-urls.js';

const AT = new Date('2026-12-01T08:00:00.000Z');
const BODY_LIMIT = 4096;

describe('webhook subscription routes', () => {
  let test: TestDatabase;
  let app: express.Express;
  /** OUTBOUND_ALLOW_PRIVATE_NETWORKS off, as in production. */
  let publicOnly: express.Express;
  const keys: Record<StaffRole, string> = { admin: '', supervisor: '', agent: '' };

  beforeAll(async () => {
    test = await createTestDatabase('pglite');
    const clock = fixedClock(AT);
    for (const role of ['admin', 'supervisor', 'agent'] as const) {
      const key = generateApiKey('staff');
      await insertStaff(test.database, { id: randomUUID(), username: `${role}-1`, displayName: role, role, teams: ['cards'], keyPrefix: key.prefix, keyHash: key.hash });
      keys[role] = key.key;
    }
    const mount = (allowPrivateNetworks: boolean) => {
      const mounted = express();
      mounted.use(webhookRoutes({ database: test.database, authenticator: createAuthenticator({ database: test.database, cacheTtlMs: 0, clock }), bodyLimitBytes: BODY_LIMIT, clock, allowPrivateNetworks }));
      mounted.use(notFoundHandler);
      mounted.use(createErrorHandler({ logger: createLogger({ level: 'silent' }), bodyLimitBytes: BODY_LIMIT }));
      return mounted;
    };
    // OUTBOUND_ALLOW_PRIVATE_NETWORKS on (development): private addresses such as 10.0.0.5 are accepted.
    app = mount(true);
    publicOnly = mount(false);
  });
  afterAll(async () => {
    await test.drop();
  });

  const as = (role: StaffRole) => `Bearer ${keys[role]}`;

  it('creates a subscription for every event by default and shows its secret once', async () => {
    const created = await request(app).post('/v1/webhooks').set('Authorization', as('admin')).send({ url: 'https://helpdesk.example/ombuds' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      url: 'https://helpdesk.example/ombuds',
      events: ComplaintEventType.options,
      signingSecret: expect.stringMatching(/^whsec_[A-Za-z0-9_-]{43}$/),
    });
    const stored = await test.database.query<{ secret: string }>('SELECT secret FROM webhook_subscriptions WHERE id = $1', [created.body.id]);
    expect(stored.rows[0]?.secret).toBe(created.body.signingSecret);

    const listed = await request(app).get('/v1/webhooks').set('Authorization', as('admin'));
    expect(listed.status).toBe(200);
    expect(listed.body.items).toContainEqual({ id: created.body.id, url: 'https://helpdesk.example/ombuds', events: ComplaintEventType.options, createdAt: AT.toISOString(), disabledAt: null });
    expect(listed.text).not.toContain(created.body.signingSecret);
    expect(listed.text).not.toContain('whsec_');

    const another = await request(app).post('/v1/webhooks').set('Authorization', as('admin')).send({ url: 'https://helpdesk.example/ombuds' });
    expect(another.body.signingSecret).not.toBe(created.body.signingSecret);
  });

  it('subscribes to the events asked for, without repeats', async () => {
    const created = await request(app)
      .post('/v1/webhooks')
      .set('Authorization', as('admin'))
      .send({ url: 'http://10.0.0.5:8080/hook', events: ['complaint.breached', 'complaint.closed', 'complaint.breached'] });
    expect(created.status).toBe(201);
    expect(created.body.events).toEqual(['complaint.breached', 'complaint.closed']);
  });

  it('disables a subscription with DELETE: 204, then shown disabled; 404 for an unknown or malformed id', async () => {
    const created = await request(app).post('/v1/webhooks').set('Authorization', as('admin')).send({ url: 'https://helpdesk.example/delete-me' });
    const deleted = await request(app).delete(`/v1/webhooks/${created.body.id as string}`).set('Authorization', as('admin'));
    expect(deleted.status).toBe(204);
    const listed = await request(app).get('/v1/webhooks').set('Authorization', as('admin'));
    const item = (listed.body.items as { id: string; disabledAt: string | null }[]).find((entry) => entry.id === created.body.id);
    expect(item?.disabledAt).toBe(AT.toISOString());

    const unknown = await request(app).delete(`/v1/webhooks/${randomUUID()}`).set('Authorization', as('admin'));
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
    expect((await request(app).delete('/v1/webhooks/not-a-uuid').set('Authorization', as('admin'))).status).toBe(404);
  });

  it('answers 403 to supervisors and agents and 401 without a key', async () => {
    for (const role of ['supervisor', 'agent'] as const) {
      const post = await request(app).post('/v1/webhooks').set('Authorization', as(role)).send({ url: 'https://helpdesk.example/x' });
      expect(post.status).toBe(403);
      expect(post.body.error.code).toBe('FORBIDDEN');
      expect((await request(app).get('/v1/webhooks').set('Authorization', as(role))).status).toBe(403);
      expect((await request(app).delete(`/v1/webhooks/${randomUUID()}`).set('Authorization', as(role))).status).toBe(403);
    }
    expect((await request(app).get('/v1/webhooks')).status).toBe(401);
    const count = await test.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_subscriptions WHERE url = 'https://helpdesk.example/x'`);
    expect(count.rows[0]?.n).toBe(0);
  });

  it.each([
    ['no url', {}],
    ['a url that is not http', { url: 'ftp://helpdesk.example/x' }],
    ['not a url', { url: 'helpdesk' }],
    ['an unknown event', { url: 'https://helpdesk.example/x', events: ['complaint.deleted'] }],
    ['no events', { url: 'https://helpdesk.example/x', events: [] }],
    ['an unknown field', { url: 'https://helpdesk.example/x', secret: 'mine' }],
    ['a url too long', { url: `https://helpdesk.example/${'a'.repeat(2100)}` }],
  ])('answers 400 to a body with %s', async (_case, body) => {
    const response = await request(app).post('/v1/webhooks').set('Authorization', as('admin')).send(body);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('PAYLOAD_INVALID');
    expect(response.body.error.details.length).toBeGreaterThan(0);
  });

  it('answers 400 to malformed JSON, 415 to a non-JSON body and 413 to a body over the limit', async () => {
    const malformed = await request(app).post('/v1/webhooks').set('Authorization', as('admin')).set('Content-Type', 'application/json').send('{"url":');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('PAYLOAD_MALFORMED');
    const text = await request(app).post('/v1/webhooks').set('Authorization', as('admin')).set('Content-Type', 'text/plain').send('url=https://x.example');
    expect(text.status).toBe(415);
    const large = await request(app).post('/v1/webhooks').set('Authorization', as('admin')).send({ url: 'https://helpdesk.example/x', padding: 'a'.repeat(BODY_LIMIT) });
    expect(large.status).toBe(413);
  });

  it.each(NOT_PUBLIC_URLS)('refuses %s with 400 WEBHOOK_URL_NOT_PUBLIC when private networks are not allowed, and stores nothing', async (url) => {
    const count = async () => (await test.database.query<{ n: number }>('SELECT count(*)::int AS n FROM webhook_subscriptions')).rows[0]?.n;
    const before = await count();
    const answer = await request(publicOnly).post('/v1/webhooks').set('Authorization', as('admin')).send({ url });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('WEBHOOK_URL_NOT_PUBLIC');
    expect(answer.body.error.details).toEqual([{ path: 'url', message: expect.stringMatching(/localhost|not a public address/) }]);
    expect(answer.text).not.toContain('whsec_');
    expect(await count()).toBe(before);
  });

  it('accepts a public URL when private networks are not allowed, and a private one when they are', async () => {
    const open = await request(publicOnly).post('/v1/webhooks').set('Authorization', as('admin')).send({ url: 'https://93.184.215.14/hooks' });
    expect([open.status, open.body.url]).toEqual([201, 'https://93.184.215.14/hooks']);
    const allowed = await request(app).post('/v1/webhooks').set('Authorization', as('admin')).send({ url: 'http://127.0.0.1:9/hooks' });
    expect([allowed.status, allowed.body.url]).toEqual([201, 'http://127.0.0.1:9/hooks']);
  });
});
