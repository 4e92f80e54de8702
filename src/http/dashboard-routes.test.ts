/**
 * `GET /v1/reports/dashboard` on PGlite and PostgreSQL, over a seeded set at a fixed "now": volumes per day and
 * channel (an empty day included), share within deadline, a breached and an about-to-breach complaint, team load,
 * satisfaction per day; agents are refused; the CSV has one section per table.
 */
import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/databases.js';
import { DashboardView, type StaffRole } from '../contracts/index.js';
import { fixedClock } from '../shared/clock.js';
import { generateApiKey } from '../shared/crypto.js';
import { createLogger } from '../shared/logger.js';
import { insertStaff } from '../store/index.js';
import { createAuthenticator } from './authentication.js';
import { dashboardRoutes } from './dashboard-routes.js';
import { createErrorHandler, notFoundHandler } from './errors.js';

const TZ = 'Asia/Shanghai';
const NOW = new Date('2026-03-10T04:00:00Z');

describe.each(['pglite', 'postgres'] as const)('GET /v1/reports/dashboard (%s)', (kind) => {
  let test: TestDatabase;
  let app: Express;
  const keys = new Map<string, string>();
  const ids = { breached: randomUUID(), warned: randomUUID(), closed: randomUUID(), calm: randomUUID() };

  async function staff(username: string, role: StaffRole, teams: string[]): Promise<string> {
    const key = generateApiKey('staff');
    const id = randomUUID();
    await insertStaff(test.database, { id, username, displayName: username, role, teams, keyPrefix: key.prefix, keyHash: key.hash });
    keys.set(username, key.key);
    return id;
  }

  async function complaint(id: string, values: { reference: string; stage: string; channel: string; team: string; receivedAt: string; assignee?: string }) {
    await test.database.query(
      `INSERT INTO complaints (id, reference, stage, channel, product, issue, urgency, team, assignee, summary, received_at)
       VALUES ($1, $2, $3, $4, 'cards', 'fees_interest', 'medium', $5, $6, 'seeded', $7)`,
      [id, values.reference, values.stage, values.channel, values.team, values.assignee ?? null, values.receivedAt],
    );
  }

  async function clock(complaintId: string, startsAt: string, dueAt: string, status: string) {
    await test.database.query(
      `INSERT INTO complaint_deadlines (id, complaint_id, regime, clock, starts_at, due_at, status) VALUES ($1, $2, 'cn_nfra', 'final_response', $3, $4, $5)`,
      [randomUUID(), complaintId, startsAt, dueAt, status],
    );
  }

  beforeAll(async () => {
    test = await createTestDatabase(kind);
    await staff('agent', 'agent', ['cards']);
    await staff('supervisor', 'supervisor', []);
    const loansAgent = await staff('loans-agent', 'agent', ['cards', 'loans']);
    // Window 2026-03-01..04 in Shanghai; "now" is 2026-03-10 12:00 there.
    await complaint(ids.breached, { reference: 'CMP-2026-000001', stage: 'investigating', channel: 'sms', team: 'cards', receivedAt: '2026-03-01T02:00:00Z' });
    await clock(ids.breached, '2026-03-01T02:00:00Z', '2026-03-05T00:00:00Z', 'breached');
    // Warning point (80 %) of 03-02 17:00 → 03-10 08:00 is 03-08 19:24 UTC (0.8 × 183 h after the start): past it, not yet due.
    await complaint(ids.warned, { reference: 'CMP-2026-000002', stage: 'registered', channel: 'webchat', team: 'cards', receivedAt: '2026-03-02T17:00:00Z' });
    await clock(ids.warned, '2026-03-02T17:00:00Z', '2026-03-10T08:00:00Z', 'open');
    await complaint(ids.closed, { reference: 'CMP-2026-000003', stage: 'closed', channel: 'sms', team: 'loans', receivedAt: '2026-03-03T01:00:00Z' });
    await clock(ids.closed, '2026-03-03T01:00:00Z', '2026-03-20T00:00:00Z', 'met');
    await test.database.query(
      `INSERT INTO surveys (complaint_id, sent_at, expires_at, answered_at, score, resolved) VALUES ($1, '2026-03-03T03:00:00Z', '2026-03-10T03:00:00Z', '2026-03-03T05:00:00Z', 4, true)`,
      [ids.closed],
    );
    await complaint(ids.calm, { reference: 'CMP-2026-000004', stage: 'investigating', channel: 'api', team: 'loans', receivedAt: '2026-03-02T01:00:00Z', assignee: loansAgent });
    await clock(ids.calm, '2026-03-02T01:00:00Z', '2026-04-01T00:00:00Z', 'open');

    const authenticator = createAuthenticator({ database: test.database, cacheTtlMs: 0, clock: fixedClock(NOW) });
    app = express();
    app.set('query parser', 'simple');
    app.use(dashboardRoutes({ database: test.database, authenticator, timeZone: TZ, clock: fixedClock(NOW), warningPoints: [0.5, 0.8] }));
    app.use(notFoundHandler);
    app.use(createErrorHandler({ logger: createLogger({ level: 'silent' }), bodyLimitBytes: 1024 }));
  }, 60_000);
  afterAll(async () => {
    await test.drop();
  });

  const get = (query: string, username = 'supervisor') => request(app).get(`/v1/reports/dashboard${query}`).set('Authorization', `Bearer ${keys.get(username) ?? ''}`);

  it('gives the seeded figures', async () => {
    const response = await get('?from=2026-03-01&to=2026-03-04');
    expect(response.status).toBe(200);
    const view = DashboardView.parse(response.body);
    expect(view).toMatchObject({ from: '2026-02-28T16:00:00.000Z', to: '2026-03-04T16:00:00.000Z', timeZone: TZ, interval: 'day', withinDeadlineShare: 0.5 });
    expect(view.volumes).toEqual([
      { bucket: '2026-03-01', byChannel: [{ key: 'sms', count: 1 }, { key: 'api', count: 0 }, { key: 'webchat', count: 0 }], total: 1 },
      { bucket: '2026-03-02', byChannel: [{ key: 'sms', count: 0 }, { key: 'api', count: 1 }, { key: 'webchat', count: 0 }], total: 1 },
      { bucket: '2026-03-03', byChannel: [{ key: 'sms', count: 1 }, { key: 'api', count: 0 }, { key: 'webchat', count: 1 }], total: 2 },
      { bucket: '2026-03-04', byChannel: [{ key: 'sms', count: 0 }, { key: 'api', count: 0 }, { key: 'webchat', count: 0 }], total: 0 },
    ]);
    expect(view.byProduct).toEqual([{ key: 'cards', count: 4 }]);
    expect(view.openBreaches.map((item) => item.reference)).toEqual(['CMP-2026-000001']);
    expect(view.aboutToBreach).toEqual([expect.objectContaining({ reference: 'CMP-2026-000002', warnAt: '2026-03-08T19:24:00.000Z', dueAt: null })]);
    expect(view.teamLoad).toEqual([
      { team: 'cards', open: 2, unassigned: 2, breached: 1, agents: 2 },
      { team: 'loans', open: 1, unassigned: 0, breached: 0, agents: 1 },
    ]);
    expect(view.satisfaction).toEqual([
      { bucket: '2026-03-01', answered: 0, averageScore: null, resolvedShare: null },
      { bucket: '2026-03-02', answered: 0, averageScore: null, resolvedShare: null },
      { bucket: '2026-03-03', answered: 1, averageScore: 4, resolvedShare: 1 },
      { bucket: '2026-03-04', answered: 0, averageScore: null, resolvedShare: null },
    ]);
  });

  it('buckets by ISO week (Monday) and by month', async () => {
    const weekly = DashboardView.parse((await get('?from=2026-03-01&to=2026-03-04&interval=week')).body);
    expect(weekly.volumes.map((bucket) => [bucket.bucket, bucket.total])).toEqual([
      ['2026-02-23', 1],
      ['2026-03-02', 3],
    ]);
    const monthly = DashboardView.parse((await get('?from=2026-03-01&to=2026-03-04&interval=month')).body);
    expect(monthly.volumes.map((bucket) => [bucket.bucket, bucket.total])).toEqual([['2026-03-01', 4]]);
  });

  it('refuses agents (403) and bad queries (400)', async () => {
    const agent = await get('?from=2026-03-01&to=2026-03-04', 'agent');
    expect(agent.status).toBe(403);
    expect(agent.body.error.code).toBe('FORBIDDEN');
    for (const [query, code] of [
      ['?from=2026-03-04&to=2026-03-01', 'REPORT_WINDOW_INVERTED'],
      ['?from=2026-03-01&to=2026-03-04&interval=hour', 'PAYLOAD_INVALID'],
      ['?from=2026-03-01T00:00:00Z&to=2026-03-04', 'PAYLOAD_INVALID'],
    ] as const) {
      const response = await get(query);
      expect({ query, status: response.status, code: response.body.error?.code }).toEqual({ query, status: 400, code });
    }
  });

  it('sends CSV with one section per table, named after the window', async () => {
    const response = await get('?from=2026-03-01&to=2026-03-04&format=csv');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="ombuds-dashboard-2026-03-01-2026-03-04.csv"');
    const sections = response.text.split('\r\n\r\n').map((section) => section.split('\r\n').slice(0, 2));
    expect(sections.map(([name]) => name)).toEqual(['window', 'volumes', 'by_product', 'by_issue', 'open_breaches', 'about_to_breach', 'time_per_stage', 'satisfaction', 'team_load']);
    expect(response.text).toContain('volumes\r\nbucket,channel,count\r\n2026-03-01,sms,1\r\n');
    expect(response.text).toContain('team_load\r\nteam,open,unassigned,breached,agents\r\ncards,2,2,1,2\r\nloans,1,0,0,1\r\n');
    expect(response.text.endsWith('\r\n')).toBe(true);
  });
});
