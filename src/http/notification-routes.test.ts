import { randomUUID } from 'node:crypto';
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/databases.js';
import type { StaffRole } from '../contracts/index.js';
import { fixedClock } from '../shared/clock.js';
import { generateApiKey } from '../shared/crypto.js';
import { createLogger } from '../shared/logger.js';
import { insertNotification, insertStaff } from '../store/index.js';
import { createAuthenticator } from './authentication.js';
import { createErrorHandler, notFoundHandler } from './errors.js';
import { notificationRoutes } from './notification-routes.js';

const AT = new Date('2026-12-01T08:00:00.000Z');

describe('notification feed route', () => {
  let test: TestDatabase;
  let app: express.Express;
  const staff: Record<string, { id: string; key: string }> = {};
  const ids: number[] = [];

  async function addStaff(name: string, role: StaffRole, teams: string[]): Promise<void> {
    const id = randomUUID();
    const key = generateApiKey('staff');
    await insertStaff(test.database, { id, username: name, displayName: name, role, teams, keyPrefix: key.prefix, keyHash: key.hash });
    staff[name] = { id, key: key.key };
  }

  beforeAll(async () => {
    test = await createTestDatabase('pglite');
    await addStaff('ann', 'agent', ['cards', 'accounts']);
    await addStaff('bob', 'agent', ['lending']);
    await addStaff('sue', 'supervisor', []);
    await addStaff('ada', 'admin', []);
    const audiences = ['supervisors', 'team:cards', 'team:lending', `staff:${staff.ann?.id ?? ''}`, 'team:accounts', `staff:${staff.bob?.id ?? ''}`];
    for (const [index, audience] of audiences.entries()) {
      ids.push(await insertNotification(test.database, { kind: 'deadline.warning', complaintId: null, audience, data: { index }, at: new Date(AT.getTime() + index * 1000) }));
    }
    const clock = fixedClock(AT);
    app = express();
    app.use(notificationRoutes({ database: test.database, authenticator: createAuthenticator({ database: test.database, cacheTtlMs: 0, clock }) }));
    app.use(notFoundHandler);
    app.use(createErrorHandler({ logger: createLogger({ level: 'silent' }), bodyLimitBytes: 4096 }));
  });
  afterAll(async () => {
    await test.drop();
  });

  const feed = (name: string, query = '') => request(app).get(`/v1/notifications${query}`).set('Authorization', `Bearer ${staff[name]?.key ?? ''}`);
  const indexes = (body: unknown) => (body as { items: { data: { index: number } }[] }).items.map((item) => item.data.index);

  it('shows supervisors and admins everything, in order, with the last id as next', async () => {
    for (const name of ['sue', 'ada']) {
      const response = await feed(name);
      expect(response.status).toBe(200);
      expect(indexes(response.body)).toEqual([0, 1, 2, 3, 4, 5]);
      expect(response.body.next).toBe(ids.at(-1));
    }
    const first = (await feed('sue')).body.items[0];
    expect(first).toEqual({ id: ids[0], kind: 'deadline.warning', complaintId: null, audience: 'supervisors', data: { index: 0 }, createdAt: AT.toISOString() });
  });

  it("shows an agent their teams' notifications and their own", async () => {
    expect(indexes((await feed('ann')).body)).toEqual([1, 3, 4]);
    expect(indexes((await feed('bob')).body)).toEqual([2, 5]);
  });

  it('pages with after and limit; next stays put when nothing is new', async () => {
    const page = await feed('sue', `?after=${ids[1] ?? 0}&limit=2`);
    expect(indexes(page.body)).toEqual([2, 3]);
    expect(page.body.next).toBe(ids[3]);
    const rest = await feed('sue', `?after=${page.body.next as number}&limit=200`);
    expect(indexes(rest.body)).toEqual([4, 5]);
    const none = await feed('sue', `?after=${rest.body.next as number}`);
    expect(none.body).toEqual({ items: [], next: rest.body.next });
  });

  it.each(['?limit=0', '?limit=201', '?limit=ten', '?after=-1', '?after=1.5', '?after=abc', '?after=1&after=2', '?since=3'])('answers 400 to %s', async (query) => {
    const response = await feed('sue', query);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('PAYLOAD_INVALID');
  });

  it('answers 401 without a valid staff key', async () => {
    expect((await request(app).get('/v1/notifications')).status).toBe(401);
    expect((await request(app).get('/v1/notifications').set('Authorization', 'Bearer omb_staff_nope')).status).toBe(401);
  });
});
