/**
 * Console sign-in end to end (decision 0014): a whole Ombuds (HTTP) on PostgreSQL and BullMQ on Redis, with a clock
 * the tests move, called over real HTTP. Sign-in by key and by password, the one 401 for every wrong credential,
 * the rate limits, the cookie's flags, the cookie on the staff API with CSRF and Origin checks, the idle timeout and
 * the absolute lifetime, sign-out, rotation, Bull Board with the cookie, and no staff route without credentials.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEmptyPostgresDatabase, createTestDatabase } from '../../test/support/databases.js';
import { deleteRedisPrefix, TEST_REDIS_URL } from '../../test/support/ombuds-harness.js';
import { loadEnv } from '../config/env.js';
import { createOmbuds, type Ombuds } from '../composition.js';
import { CSRF_HEADER, SessionView, type StaffRole } from '../contracts/index.js';
import { generateApiKey } from '../shared/crypto.js';
import { createLogger } from '../shared/logger.js';
import { hashPassword } from '../shared/password.js';
import { insertStaff, setStaffPassword } from '../store/index.js';
import { createAuthenticator } from './authentication.js';
import { createErrorHandler } from './errors.js';
import { SESSION_PATH, sessionRoutes } from './session-routes.js';

const MINUTE = 60_000;
const PASSWORD = 'correct horse battery staple';
const OURS = 'http://ombuds.test';

describe('console sign-in and sessions', () => {
  let ombuds: Ombuds;
  let dropDatabase: () => Promise<void>;
  const prefix = `test-${randomUUID()}`;
  let offsetMs = 0;
  const clock = { now: () => new Date(Date.now() + offsetMs) };
  const logLines: string[] = [];
  const keys = new Map<string, { id: string; key: string }>();

  async function addStaff(username: string, role: StaffRole, options: { password?: string; disabled?: boolean } = {}): Promise<void> {
    const id = randomUUID();
    const key = generateApiKey('staff');
    await insertStaff(ombuds.database, { id, username, displayName: username, role, teams: ['cards'], keyPrefix: key.prefix, keyHash: key.hash });
    if (options.password) await setStaffPassword(ombuds.database, username, await hashPassword(options.password), clock.now());
    if (options.disabled) await ombuds.database.query('UPDATE staff SET disabled_at = now() WHERE id = $1', [id]);
    keys.set(username, { id, key: key.key });
  }

  const app = () => ombuds.app;
  const keyOf = (username: string) => keys.get(username)?.key ?? '';
  const cookieOf = (response: request.Response): string => {
    const header = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
    const cookie = header.find((line) => line.startsWith('ombuds_session='));
    if (!cookie) throw new Error('no session cookie set');
    return cookie.split(';')[0] ?? '';
  };
  async function signIn(username = 'agent', password = PASSWORD): Promise<{ cookie: string; view: SessionView }> {
    const response = await request(app()).post(SESSION_PATH).send({ username, password });
    expect(response.status).toBe(200);
    return { cookie: cookieOf(response), view: SessionView.parse(response.body) };
  }
  async function queueComplaint(): Promise<string> {
    const id = randomUUID();
    await ombuds.database.query(
      `INSERT INTO complaints (id, reference, stage, channel, product, issue, urgency, team, summary, received_at, queued_at)
       VALUES ($1, $2, 'triaged', 'api', 'cards', 'fees_interest', 'low', 'cards', 'A card fee', $3, $3)`,
      [id, `CMP-2026-${String(Math.floor(Math.random() * 900_000) + 100_000)}`, clock.now()],
    );
    return id;
  }
  const assigneeOf = async (id: string) => (await ombuds.database.query<{ assignee: string | null }>('SELECT assignee FROM complaints WHERE id = $1', [id])).rows[0]?.assignee;

  beforeAll(async () => {
    const database = await createEmptyPostgresDatabase();
    dropDatabase = database.drop;
    const env = loadEnv({ DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, LOG_LEVEL: 'info', PUBLIC_BASE_URL: OURS });
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString('utf8'));
        done();
      },
    });
    ombuds = await createOmbuds({ env, http: true, workers: false, logger: createLogger({ level: 'info' }, sink), clock });
    await addStaff('agent', 'agent', { password: PASSWORD });
    await addStaff('supervisor', 'supervisor', { password: PASSWORD });
    await addStaff('keyonly', 'agent');
    await addStaff('retired', 'agent', { password: PASSWORD, disabled: true });
  }, 60_000);
  afterAll(async () => {
    await ombuds.stop();
    await deleteRedisPrefix(TEST_REDIS_URL, prefix);
    await dropDatabase();
  });
  // Each test starts after the previous one's failed sign-ins have left the rate-limit window (and its sessions idled out).
  beforeEach(() => {
    offsetMs += 16 * MINUTE;
  });

  it('signs in with a password: an HttpOnly, SameSite=Strict session cookie and the session view', async () => {
    const response = await request(app()).post(SESSION_PATH).send({ username: 'agent', password: PASSWORD });
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const view = SessionView.parse(response.body);
    expect(view.staff).toMatchObject({ username: 'agent', role: 'agent', teams: ['cards'] });
    expect(Date.parse(view.idleExpiresAt) - clock.now().getTime()).toBeGreaterThan(29 * MINUTE);
    expect(Date.parse(view.expiresAt) - clock.now().getTime()).toBeGreaterThan(11 * 60 * MINUTE);
    const setCookie = ([] as string[]).concat(response.headers['set-cookie'] ?? []).find((line) => line.startsWith('ombuds_session='));
    expect(setCookie).toMatch(/^ombuds_session=[A-Za-z0-9_-]{43}; /);
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Strict/);
    expect(setCookie).toMatch(/; Path=\//);
    // Plain HTTP and CONSOLE_COOKIE_SECURE unset: not Secure (a browser would drop it).
    expect(setCookie).not.toMatch(/Secure/);
    // Only the token's hash is stored.
    const token = cookieOf(response).split('=')[1] ?? '';
    const stored = await ombuds.database.query<{ token_hash: string }>('SELECT token_hash FROM staff_sessions WHERE id = (SELECT id FROM staff_sessions ORDER BY created_at DESC LIMIT 1)');
    expect(stored.rows[0]?.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.rows[0]?.token_hash).not.toBe(token);

    const current = await request(app()).get(SESSION_PATH).set('Cookie', cookieOf(response));
    expect(current.status).toBe(200);
    expect(SessionView.parse(current.body).csrfToken).toBe(view.csrfToken);
  });

  it('signs in with a staff API key, also for a staff member without a password', async () => {
    const response = await request(app()).post(SESSION_PATH).send({ apiKey: keyOf('keyonly') });
    expect(response.status).toBe(200);
    expect(SessionView.parse(response.body).staff.username).toBe('keyonly');
    const queue = await request(app()).get('/v1/staff/queue').set('Cookie', cookieOf(response));
    expect(queue.status).toBe(200);
  });

  it('answers the same 401 for a wrong password, an unknown user, a disabled account, no password, a wrong key', async () => {
    const attempts = [
      { username: 'agent', password: 'not the password at all' },
      { username: 'nobody', password: PASSWORD },
      { username: 'retired', password: PASSWORD },
      { username: 'keyonly', password: PASSWORD },
      { apiKey: `${keyOf('agent').slice(0, -4)}AAAA` },
      { apiKey: 'omb_app_notastaffkey_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' },
    ];
    const bodies = new Set<string>();
    for (const body of attempts) {
      const response = await request(app()).post(SESSION_PATH).send(body);
      expect(response.status).toBe(401);
      expect(response.headers['set-cookie']).toBeUndefined();
      bodies.add(JSON.stringify(response.body));
    }
    expect([...bodies]).toEqual([JSON.stringify({ error: { code: 'INVALID_CREDENTIALS', message: 'The username and password, or the API key, are not valid.' } })]);
  });

  it('refuses a body that is neither a key nor a username and password, and sign-in from another origin', async () => {
    expect((await request(app()).post(SESSION_PATH).send({ username: 'agent' })).body.error.code).toBe('PAYLOAD_INVALID');
    expect((await request(app()).post(SESSION_PATH).set('Content-Type', 'text/plain').send('username=agent')).status).toBe(415);
    const foreign = await request(app()).post(SESSION_PATH).set('Origin', 'https://evil.example').send({ username: 'agent', password: PASSWORD });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe('CSRF_INVALID');
    expect(foreign.headers['set-cookie']).toBeUndefined();
    expect((await request(app()).post(SESSION_PATH).set('Origin', OURS).send({ username: 'agent', password: PASSWORD })).status).toBe(200);
  });

  it('limits failed sign-ins per username: the 6th attempt in 15 minutes is 429 with Retry-After, even with the right password', async () => {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await request(app()).post(SESSION_PATH).send({ username: 'supervisor', password: `wrong ${String(attempt)}` })).status).toBe(401);
    }
    const limited = await request(app()).post(SESSION_PATH).send({ username: 'supervisor', password: PASSWORD });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(800);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(900);
    // Another username from the same address is not blocked by it (below the per-address limit).
    expect((await request(app()).post(SESSION_PATH).send({ username: 'agent', password: PASSWORD })).status).toBe(200);
    offsetMs += 15 * MINUTE;
    expect((await request(app()).post(SESSION_PATH).send({ username: 'supervisor', password: PASSWORD })).status).toBe(200);
  });

  it('limits failed sign-ins per client address, whatever the usernames', async () => {
    for (let attempt = 0; attempt < 20; attempt += 1) {
      expect((await request(app()).post(SESSION_PATH).send({ username: `guess-${String(attempt)}`, password: PASSWORD })).status).toBe(401);
    }
    expect((await request(app()).post(SESSION_PATH).send({ username: 'agent', password: PASSWORD })).status).toBe(429);
    expect((await request(app()).post(SESSION_PATH).send({ apiKey: keyOf('agent') })).status).toBe(429);
  });

  it('uses the cookie on the staff API; a POST without the CSRF token or from another origin changes nothing', async () => {
    const { cookie, view } = await signIn();
    const complaint = await queueComplaint();
    const queue = (await request(app()).get('/v1/staff/queue').set('Cookie', cookie)).body as { items: { id: string }[] };
    expect(queue.items.map((item) => item.id)).toContain(complaint);

    const withoutToken = await request(app()).post('/v1/staff/queue/claim').set('Cookie', cookie).send({});
    expect(withoutToken.status).toBe(403);
    expect(withoutToken.body.error.code).toBe('CSRF_INVALID');
    const wrongToken = await request(app()).post('/v1/staff/queue/claim').set('Cookie', cookie).set(CSRF_HEADER, `${view.csrfToken}x`).send({});
    expect(wrongToken.body.error.code).toBe('CSRF_INVALID');
    const foreign = await request(app()).post('/v1/staff/queue/claim').set('Cookie', cookie).set(CSRF_HEADER, view.csrfToken).set('Origin', 'https://evil.example').send({});
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe('CSRF_INVALID');
    expect(await assigneeOf(complaint)).toBeNull();

    const claimed = await request(app()).post('/v1/staff/queue/claim').set('Cookie', cookie).set(CSRF_HEADER, view.csrfToken).set('Origin', OURS).send({});
    expect(claimed.status).toBe(200);
    expect(claimed.body.complaint.id).toBe(complaint);
    expect(await assigneeOf(complaint)).toBe(keys.get('agent')?.id);
  });

  it('leaves Bearer requests as they were: no CSRF token, whatever the Origin', async () => {
    const complaint = await queueComplaint();
    const claimed = await request(app()).post('/v1/staff/queue/claim').set('Authorization', `Bearer ${keyOf('agent')}`).set('Origin', 'https://evil.example').send({});
    expect(claimed.status).toBe(200);
    expect(claimed.body.complaint.id).toBe(complaint);
    // A wrong key is not rescued by a session cookie.
    const { cookie } = await signIn();
    expect((await request(app()).get('/v1/staff/queue').set('Authorization', 'Bearer omb_staff_wrong').set('Cookie', cookie)).status).toBe(401);
  });

  it('ends a session left idle for the idle timeout, and slides it with each use', async () => {
    const { cookie } = await signIn();
    for (let step = 0; step < 4; step += 1) {
      offsetMs += 29 * MINUTE;
      const current = await request(app()).get('/v1/staff/queue').set('Cookie', cookie);
      expect(current.status).toBe(200);
    }
    offsetMs += 31 * MINUTE;
    const ended = await request(app()).get(SESSION_PATH).set('Cookie', cookie);
    expect(ended.status).toBe(401);
    expect(ended.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('ends a session at its absolute lifetime however busy it is', async () => {
    const { cookie, view } = await signIn();
    const signedInAt = clock.now().getTime();
    while (clock.now().getTime() + 25 * MINUTE < Date.parse(view.expiresAt)) {
      offsetMs += 25 * MINUTE;
      expect((await request(app()).get('/v1/staff/queue').set('Cookie', cookie)).status).toBe(200);
    }
    offsetMs += 25 * MINUTE;
    expect(clock.now().getTime() - signedInAt).toBeGreaterThanOrEqual(12 * 60 * MINUTE);
    expect((await request(app()).get('/v1/staff/queue').set('Cookie', cookie)).status).toBe(401);
  });

  it('signs out: the CSRF token is needed, then the cookie stops working and is cleared', async () => {
    const { cookie, view } = await signIn();
    expect((await request(app()).delete(SESSION_PATH).set('Cookie', cookie)).body.error.code).toBe('CSRF_INVALID');
    expect((await request(app()).get(SESSION_PATH).set('Cookie', cookie)).status).toBe(200);
    const out = await request(app()).delete(SESSION_PATH).set('Cookie', cookie).set(CSRF_HEADER, view.csrfToken);
    expect(out.status).toBe(204);
    expect(([] as string[]).concat(out.headers['set-cookie'] ?? []).join()).toMatch(/ombuds_session=;.*Expires=Thu, 01 Jan 1970/);
    expect((await request(app()).get(SESSION_PATH).set('Cookie', cookie)).status).toBe(401);
    expect((await request(app()).get('/v1/staff/queue').set('Cookie', cookie)).status).toBe(401);
  });

  it('never reuses a presented session: signing in again ends the old one', async () => {
    const first = await signIn();
    const again = await request(app()).post(SESSION_PATH).set('Cookie', first.cookie).send({ username: 'agent', password: PASSWORD });
    expect(again.status).toBe(200);
    expect(cookieOf(again)).not.toBe(first.cookie);
    expect((await request(app()).get(SESSION_PATH).set('Cookie', first.cookie)).status).toBe(401);
    expect((await request(app()).get(SESSION_PATH).set('Cookie', cookieOf(again))).status).toBe(200);
  });

  it('refuses the session of a staff member disabled after signing in', async () => {
    await addStaff('leaver', 'agent', { password: PASSWORD });
    const { cookie } = await signIn('leaver');
    await ombuds.database.query('UPDATE staff SET disabled_at = now() WHERE username = $1', ['leaver']);
    expect((await request(app()).get('/v1/staff/queue').set('Cookie', cookie)).status).toBe(401);
  });

  it('opens Bull Board with a supervisor’s cookie; its PUTs need Sec-Fetch-Site: same-origin or our Origin', async () => {
    const agent = await signIn('agent');
    expect((await request(app()).get('/admin/queues').set('Cookie', agent.cookie)).status).toBe(403);
    const { cookie } = await signIn('supervisor');
    expect((await request(app()).get('/admin/queues').set('Cookie', cookie)).status).toBe(200);
    const bullQueues = (ombuds.queue as unknown as { bullQueues(): { name: string; isPaused(): Promise<boolean>; resume(): Promise<void> }[] }).bullQueues();
    const intake = bullQueues.find((queue) => queue.name === 'intake');
    if (!intake) throw new Error('no intake queue');

    const bare = await request(app()).put('/admin/queues/api/queues/intake/pause').set('Cookie', cookie);
    expect(bare.status).toBe(403);
    expect(bare.body.error.code).toBe('CSRF_INVALID');
    const crossSite = await request(app()).put('/admin/queues/api/queues/intake/pause').set('Cookie', cookie).set('Sec-Fetch-Site', 'cross-site');
    expect(crossSite.body.error.code).toBe('CSRF_INVALID');
    const foreign = await request(app()).put('/admin/queues/api/queues/intake/pause').set('Cookie', cookie).set('Origin', 'https://evil.example');
    expect(foreign.body.error.code).toBe('CSRF_INVALID');
    expect(await intake.isPaused()).toBe(false);

    const sameOrigin = await request(app()).put('/admin/queues/api/queues/intake/pause').set('Cookie', cookie).set('Sec-Fetch-Site', 'same-origin');
    expect(sameOrigin.status).toBe(200);
    expect(await intake.isPaused()).toBe(true);
    const ourOrigin = await request(app()).put('/admin/queues/api/queues/intake/resume').set('Cookie', cookie).set('Origin', OURS);
    expect(ourOrigin.status).toBe(200);
    expect(await intake.isPaused()).toBe(false);
  });

  it('answers every staff, complaint and report operation of the OpenAPI document 401 without a key or a live session, and 403 to a cookie POST without CSRF', async () => {
    const document = (await request(app()).get('/v1/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.entries(document.paths)
      .filter(([path]) => /^\/v1\/(staff|complaints|reports)(\/|$)/.test(path))
      .flatMap(([path, item]) => ['get', 'post', 'put', 'patch', 'delete'].filter((method) => method in item).map((method) => ({ method, path: path.replace(/\{[^}]+\}/g, randomUUID()) })));
    expect(operations.length).toBeGreaterThanOrEqual(5);
    const { cookie } = await signIn();
    await request(app()).delete(SESSION_PATH).set('Cookie', cookie).set(CSRF_HEADER, (await signInView(cookie)).csrfToken);
    const live = await signIn();
    const call = (method: string, path: string) => request(app())[method as 'get'](path);
    for (const { method, path } of operations) {
      const anonymous = await call(method, path).send({});
      expect(anonymous.status, `${method} ${path}`).toBe(401);
      const ended = await call(method, path).set('Cookie', cookie).send({});
      expect(ended.status, `${method} ${path} (ended session)`).toBe(401);
      const forged = await call(method, path).set('Cookie', 'ombuds_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA').send({});
      expect(forged.status, `${method} ${path} (unknown session)`).toBe(401);
      if (method !== 'get') {
        const noCsrf = await call(method, path).set('Cookie', live.cookie).send({});
        expect(noCsrf.status, `${method} ${path} (no CSRF)`).toBe(403);
        expect(noCsrf.body.error.code).toBe('CSRF_INVALID');
      }
    }
  });

  it('logs sign-ins and failures with who and how, never a password, key or token', async () => {
    const { cookie } = await signIn();
    await request(app()).post(SESSION_PATH).send({ username: 'agent', password: 'a wrong password here' });
    await request(app()).post(SESSION_PATH).send({ apiKey: keyOf('keyonly') });
    const events = logLines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.event === 'console.sign_in');
    expect(events).toEqual(expect.arrayContaining([
      expect.objectContaining({ username: 'agent', method: 'password', outcome: 'signed_in', staffId: keys.get('agent')?.id }),
      expect.objectContaining({ username: 'agent', method: 'password', outcome: 'failed', reason: 'wrong_password' }),
      expect.objectContaining({ method: 'api_key', outcome: 'signed_in', staffId: keys.get('keyonly')?.id }),
    ]));
    const log = logLines.join('');
    for (const secret of [PASSWORD, 'a wrong password here', keyOf('keyonly'), cookie.split('=')[1] ?? '']) expect(log).not.toContain(secret);
  });

  async function signInView(cookie: string): Promise<SessionView> {
    return SessionView.parse((await request(app()).get(SESSION_PATH).set('Cookie', cookie)).body);
  }
});

describe('the session cookie behind a TLS proxy', () => {
  it('is Secure with CONSOLE_COOKIE_SECURE', async () => {
    const test = await createTestDatabase('pglite');
    try {
      const key = generateApiKey('staff');
      await insertStaff(test.database, { id: randomUUID(), username: 'a', displayName: 'a', role: 'agent', teams: [], keyPrefix: key.prefix, keyHash: key.hash });
      const clock = { now: () => new Date() };
      const logger = createLogger({ level: 'silent' });
      const app = express();
      app.use(
        sessionRoutes({
          database: test.database,
          authenticator: createAuthenticator({ database: test.database, cacheTtlMs: 0, clock }),
          clock,
          logger,
          cookieSecure: true,
          signInLimits: { perUsername: 5, perAddress: 20, windowMs: 60_000 },
        }),
      );
      app.use(createErrorHandler({ logger, bodyLimitBytes: 1024 }));
      const response = await request(app).post(SESSION_PATH).send({ apiKey: key.key });
      expect(response.status).toBe(200);
      expect(String(response.headers['set-cookie'])).toMatch(/; Secure/);
    } finally {
      await test.drop();
    }
  });
});
