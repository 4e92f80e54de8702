/**
 * `GET /v1/staff/members?team=` on PGlite and PostgreSQL: supervisors and admins see any team's assignable staff
 * (its members, and every supervisor and admin), agents only their own teams' (403 for another); disabled staff are
 * left out; no key or password material is ever in the answer; a console session works as a key does; bad queries
 * and missing credentials are refused with their codes.
 */
import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/databases.js';
import { SESSION_COOKIE, StaffMemberList, type StaffRole } from '../contracts/index.js';
import { fixedClock } from '../shared/clock.js';
import { generateApiKey } from '../shared/crypto.js';
import { createLogger } from '../shared/logger.js';
import { insertStaff, setStaffPassword } from '../store/index.js';
import { createAuthenticator, type Authenticator } from './authentication.js';
import { createErrorHandler, notFoundHandler } from './errors.js';
import { staffMemberRoutes } from './staff-member-routes.js';

const NOW = new Date('2026-03-10T04:00:00Z');
/** Looks like a stored scrypt hash; it must never come back. */
const PASSWORD_HASH = 'scrypt$32768$8$1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g';

describe.each(['pglite', 'postgres'] as const)('GET /v1/staff/members (%s)', (kind) => {
  let test: TestDatabase;
  let app: Express;
  let authenticator: Authenticator;
  const staff = new Map<string, { id: string; key: string; keyHash: string; keyPrefix: string }>();

  async function add(username: string, displayName: string, role: StaffRole, teams: string[]): Promise<void> {
    const key = generateApiKey('staff');
    const id = randomUUID();
    await insertStaff(test.database, { id, username, displayName, role, teams, keyPrefix: key.prefix, keyHash: key.hash });
    staff.set(username, { id, key: key.key, keyHash: key.hash, keyPrefix: key.prefix });
  }

  const idOf = (username: string) => staff.get(username)?.id ?? '';
  const get = (query: string, username: string) => request(app).get(`/v1/staff/members${query}`).set('Authorization', `Bearer ${staff.get(username)?.key ?? ''}`);
  const usernames = (body: unknown) => StaffMemberList.parse(body).items.map((item) => item.username);

  beforeAll(async () => {
    test = await createTestDatabase(kind);
    await add('sam', 'Sam Supervisor', 'supervisor', []);
    await add('ada', 'Ada Admin', 'admin', []);
    await add('ann', 'Ann Agent', 'agent', ['cards']);
    await add('bob', 'Bob Agent', 'agent', ['cards', 'loans']);
    await add('lea', 'Lea Agent', 'agent', ['loans']);
    await add('gone', 'Gone Agent', 'agent', ['cards']);
    await add('old-boss', 'Old Supervisor', 'supervisor', []);
    await test.database.query('UPDATE staff SET disabled_at = $1 WHERE username IN ($2, $3)', [NOW, 'gone', 'old-boss']);
    await setStaffPassword(test.database, 'ann', PASSWORD_HASH, NOW);

    authenticator = createAuthenticator({ database: test.database, cacheTtlMs: 0, clock: fixedClock(NOW) });
    app = express();
    app.set('query parser', 'simple');
    app.use(staffMemberRoutes({ database: test.database, authenticator }));
    app.use(notFoundHandler);
    app.use(createErrorHandler({ logger: createLogger({ level: 'silent' }), bodyLimitBytes: 1024 }));
  }, 60_000);
  afterAll(async () => {
    await test.drop();
  });

  it('gives a supervisor every enabled staff member, by display name, as id, username, displayName, role and teams', async () => {
    const response = await get('', 'sam');
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('private, no-cache');
    const list = StaffMemberList.parse(response.body);
    expect(list.items.map((item) => item.username)).toEqual(['ada', 'ann', 'bob', 'lea', 'sam']);
    expect(list.items.find((item) => item.username === 'bob')).toEqual({ id: idOf('bob'), username: 'bob', displayName: 'Bob Agent', role: 'agent', teams: ['cards', 'loans'] });
    for (const item of response.body.items as Record<string, unknown>[]) expect(Object.keys(item).sort()).toEqual(['displayName', 'id', 'role', 'teams', 'username']);
  });

  it('never answers a key, its hash or prefix, or a password hash', async () => {
    for (const [username, query] of [['sam', ''], ['ada', '?team=cards'], ['ann', '']] as const) {
      const response = await get(query, username);
      expect(response.status).toBe(200);
      expect(response.text).not.toContain(PASSWORD_HASH);
      for (const credentials of staff.values()) {
        expect(response.text).not.toContain(credentials.keyHash);
        expect(response.text).not.toContain(credentials.keyPrefix);
        expect(response.text).not.toContain(credentials.key);
      }
      expect(response.text).not.toMatch(/hash|password|key_?prefix|secret/i);
    }
  });

  it('for a team: its enabled members and every enabled supervisor and admin (whom the workflow lets own any complaint)', async () => {
    expect(usernames((await get('?team=cards', 'sam')).body)).toEqual(['ada', 'ann', 'bob', 'sam']);
    expect(usernames((await get('?team=loans', 'ada')).body)).toEqual(['ada', 'bob', 'lea', 'sam']);
    // A team nobody is in still has its supervisors and admins.
    expect(usernames((await get('?team=wealth', 'sam')).body)).toEqual(['ada', 'sam']);
  });

  it('an agent sees their own teams only, and is refused another team with 403 FORBIDDEN', async () => {
    expect(usernames((await get('', 'ann')).body)).toEqual(['ada', 'ann', 'bob', 'sam']);
    expect(usernames((await get('?team=cards', 'ann')).body)).toEqual(['ada', 'ann', 'bob', 'sam']);
    expect(usernames((await get('', 'lea')).body)).toEqual(['ada', 'bob', 'lea', 'sam']);
    const refused = await get('?team=loans', 'ann');
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
    expect(refused.body.items).toBeUndefined();
  });

  it('refuses a disabled staff member’s key, a missing or wrong key, and bad queries', async () => {
    expect((await get('', 'gone')).status).toBe(401);
    const anonymous = await request(app).get('/v1/staff/members');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('UNAUTHENTICATED');
    expect((await request(app).get('/v1/staff/members').set('Authorization', 'Bearer omb_staff_nope_nope')).status).toBe(401);
    for (const query of ['?team=Cards', '?team=', '?team=a%20b', '?role=agent', `?team=${'x'.repeat(65)}`]) {
      const response = await get(query, 'sam');
      expect(response.status, query).toBe(400);
      expect(response.body.error.code, query).toBe('PAYLOAD_INVALID');
      expect(response.body.error.details.length, query).toBeGreaterThan(0);
    }
  });

  it('accepts the console session cookie (a GET needs no CSRF token), and not an ended one', async () => {
    const { token } = await authenticator.startSession({ id: idOf('sam'), username: 'sam', displayName: 'Sam Supervisor', role: 'supervisor', teams: [] });
    const response = await request(app).get('/v1/staff/members?team=loans').set('Cookie', `${SESSION_COOKIE}=${token}`);
    expect(response.status).toBe(200);
    expect(usernames(response.body)).toEqual(['ada', 'bob', 'lea', 'sam']);
    expect(await authenticator.endSession(token)).toBe(true);
    expect((await request(app).get('/v1/staff/members').set('Cookie', `${SESSION_COOKIE}=${token}`)).status).toBe(401);
  });
});
