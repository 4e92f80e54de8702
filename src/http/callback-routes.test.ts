import { randomUUID } from 'node:crypto';
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/databases.js';
import { fixedClock } from '../shared/clock.js';
import { generateApiKey } from '../shared/crypto.js';
import { createLogger } from '../shared/logger.js';
import { findApiClientCallback, insertApiClient, insertStaff } from '../store/index.js';
import { createAuthenticator } from './authentication.js';
import { callbackRoutes, generateCallbackSecret } from './callback-routes.js';
import { createErrorHandler, notFoundHandler } from './errors.js';
import { NOT_PUBLIC_URLS } from '../../test/support/not-public-urls.js';

const AT = new Date('2026-12-01T08:00:00.000Z');
const BODY_LIMIT = 4096;

describe('API-channel callback routes', () => {
  let test: TestDatabase;
  let app: express.Express;
  /** OUTBOUND_ALLOW_PRIVATE_NETWORKS off, as in production. */
  let publicOnly: express.Express;
  const apps: { id: string; key: string }[] = [];
  let staffKey = '';

  beforeAll(async () => {
    test = await createTestDatabase('pglite');
    for (let index = 0; index < 2; index += 1) {
      const key = generateApiKey('app');
      const id = randomUUID();
      await insertApiClient(test.database, { id, name: `app-${index}`, keyPrefix: key.prefix, keyHash: key.hash });
      apps.push({ id, key: key.key });
    }
    const staff = generateApiKey('staff');
    await insertStaff(test.database, { id: randomUUID(), username: 'admin-1', displayName: 'Admin', role: 'admin', teams: [], keyPrefix: staff.prefix, keyHash: staff.hash });
    staffKey = staff.key;
    const mount = (allowPrivateNetworks: boolean) => {
      const mounted = express();
      mounted.use(
        callbackRoutes({ database: test.database, authenticator: createAuthenticator({ database: test.database, cacheTtlMs: 0, clock: fixedClock(AT) }), bodyLimitBytes: BODY_LIMIT, allowPrivateNetworks }),
      );
      mounted.use(notFoundHandler);
      mounted.use(createErrorHandler({ logger: createLogger({ level: 'silent' }), bodyLimitBytes: BODY_LIMIT }));
      return mounted;
    };
    // OUTBOUND_ALLOW_PRIVATE_NETWORKS on (development): private addresses such as 10.0.0.7 are accepted.
    app = mount(true);
    publicOnly = mount(false);
  });
  afterAll(async () => {
    await test.drop();
  });

  const as = (index: number) => `Bearer ${apps[index]?.key ?? ''}`;

  it('generates whsec_ secrets of 32 random bytes', () => {
    const secret = generateCallbackSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64url')).toHaveLength(32);
    expect(generateCallbackSecret()).not.toBe(secret);
  });

  it('registers a callback, shows the secret once, and rotates it on every PUT', async () => {
    expect((await request(app).get('/v1/callback').set('Authorization', as(0))).status).toBe(404);
    const put = await request(app).put('/v1/callback').set('Authorization', as(0)).send({ url: 'https://app.example/ombuds' });
    expect(put.status).toBe(200);
    expect(put.headers['cache-control']).toBe('no-store');
    expect(put.body).toEqual({ url: 'https://app.example/ombuds', signingSecret: expect.stringMatching(/^whsec_[A-Za-z0-9_-]{43}$/) });
    expect(await findApiClientCallback(test.database, apps[0]?.id ?? '')).toEqual({ url: 'https://app.example/ombuds', secret: put.body.signingSecret });

    const got = await request(app).get('/v1/callback').set('Authorization', as(0));
    expect(got.status).toBe(200);
    expect(got.body).toEqual({ url: 'https://app.example/ombuds' });
    expect(got.text).not.toContain('whsec_');

    const again = await request(app).put('/v1/callback').set('Authorization', as(0)).send({ url: 'http://10.0.0.7:8080/hook' });
    expect(again.body.signingSecret).not.toBe(put.body.signingSecret);
    expect(await findApiClientCallback(test.database, apps[0]?.id ?? '')).toEqual({ url: 'http://10.0.0.7:8080/hook', secret: again.body.signingSecret });
  });

  it('keeps each app to its own callback and deletes it', async () => {
    await request(app).put('/v1/callback').set('Authorization', as(1)).send({ url: 'https://second.example/cb' });
    expect((await request(app).get('/v1/callback').set('Authorization', as(0))).body.url).not.toBe('https://second.example/cb');
    const deleted = await request(app).delete('/v1/callback').set('Authorization', as(1));
    expect(deleted.status).toBe(204);
    expect((await request(app).get('/v1/callback').set('Authorization', as(1))).status).toBe(404);
    expect(await findApiClientCallback(test.database, apps[1]?.id ?? '')).toBeNull();
    expect(await findApiClientCallback(test.database, apps[0]?.id ?? '')).not.toBeNull();
  });

  it.each([
    [{ url: 'ftp://app.example/x' }],
    [{ url: 'not a url' }],
    [{}],
    [{ url: 'https://app.example/x', extra: true }],
    [{ url: `https://app.example/${'a'.repeat(2100)}` }],
    [['https://app.example/x']],
  ])('refuses the body %j with 400 PAYLOAD_INVALID', async (body) => {
    const answer = await request(app).put('/v1/callback').set('Authorization', as(1)).send(body);
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('PAYLOAD_INVALID');
    expect(answer.body.error.details.length).toBeGreaterThan(0);
  });

  it('refuses malformed JSON, other media types and bodies over the limit', async () => {
    const malformed = await request(app).put('/v1/callback').set('Authorization', as(1)).set('Content-Type', 'application/json').send('{"url":');
    expect([malformed.status, malformed.body.error.code]).toEqual([400, 'PAYLOAD_MALFORMED']);
    const text = await request(app).put('/v1/callback').set('Authorization', as(1)).set('Content-Type', 'text/plain').send('https://app.example');
    expect([text.status, text.body.error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const large = await request(app).put('/v1/callback').set('Authorization', as(1)).send({ url: `https://app.example/${'a'.repeat(5000)}` });
    expect([large.status, large.body.error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
  });

  it('needs an app key: none, a wrong one, a staff key or a disabled app get 401', async () => {
    expect((await request(app).get('/v1/callback')).status).toBe(401);
    expect((await request(app).put('/v1/callback').send({ url: 'https://app.example/x' })).status).toBe(401);
    expect((await request(app).get('/v1/callback').set('Authorization', `${as(0)}x`)).status).toBe(401);
    expect((await request(app).delete('/v1/callback').set('Authorization', `Bearer ${staffKey}`)).status).toBe(401);
    await test.database.query('UPDATE api_clients SET disabled_at = now() WHERE id = $1', [apps[1]?.id]);
    const disabled = await request(app).put('/v1/callback').set('Authorization', as(1)).send({ url: 'https://app.example/x' });
    expect([disabled.status, disabled.body.error.code]).toEqual([401, 'UNAUTHENTICATED']);
  });

  it.each(NOT_PUBLIC_URLS)('refuses %s with 400 CALLBACK_URL_NOT_PUBLIC when private networks are not allowed, and keeps the old callback', async (url) => {
    const before = await findApiClientCallback(test.database, apps[0]?.id ?? '');
    const answer = await request(publicOnly).put('/v1/callback').set('Authorization', as(0)).send({ url });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('CALLBACK_URL_NOT_PUBLIC');
    expect(answer.body.error.details).toEqual([{ path: 'url', message: expect.stringMatching(/localhost|not a public address/) }]);
    expect(answer.text).not.toContain('whsec_');
    expect(await findApiClientCallback(test.database, apps[0]?.id ?? '')).toEqual(before);
  });

  it('accepts public names and public addresses when private networks are not allowed, and private ones when they are', async () => {
    for (const url of ['https://app.example/ombuds', 'https://93.184.215.14/cb', 'https://[2606:4700::1111]/cb', 'https://127.0.0.1.nip.example/cb']) {
      const answer = await request(publicOnly).put('/v1/callback').set('Authorization', as(0)).send({ url });
      expect([answer.status, answer.body.url]).toEqual([200, url]);
    }
    const allowed = await request(app).put('/v1/callback').set('Authorization', as(0)).send({ url: 'http://127.0.0.1:8080/cb' });
    expect([allowed.status, allowed.body.url]).toEqual([200, 'http://127.0.0.1:8080/cb']);
  });
});
