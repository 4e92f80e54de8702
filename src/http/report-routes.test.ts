import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/databases.js';
import type { StaffRole } from '../contracts/index.js';
import { generateApiKey } from '../shared/crypto.js';
import { systemClock } from '../shared/clock.js';
import { createLogger } from '../shared/logger.js';
import { insertStaff } from '../store/index.js';
import { createAuthenticator } from './authentication.js';
import { createErrorHandler, notFoundHandler } from './errors.js';
import { reportRoutes } from './report-routes.js';

const TZ = 'Asia/Shanghai';

describe('GET /v1/reports/summary', () => {
  let test: TestDatabase;
  let app: Express;
  const keys = new Map<StaffRole, string>();

  beforeAll(async () => {
    test = await createTestDatabase('pglite');
    for (const role of ['agent', 'supervisor', 'admin'] as const) {
      const key = generateApiKey('staff');
      await insertStaff(test.database, { id: randomUUID(), username: role, displayName: role, role, teams: ['cards'], keyPrefix: key.prefix, keyHash: key.hash });
      keys.set(role, key.key);
    }
    // One complaint on 2026-03-02 in Shanghai (03-01 17:00 UTC).
    await test.database.query(
      `INSERT INTO complaints (id, reference, stage, channel, product, issue, urgency, team, received_at)
       VALUES ($1, 'CMP-2026-000001', 'registered', 'api', 'cards', 'fees_interest', 'low', 'cards', '2026-03-01T17:00:00Z')`,
      [randomUUID()],
    );
    const authenticator = createAuthenticator({ database: test.database, cacheTtlMs: 0, clock: systemClock });
    app = express();
    app.set('query parser', 'simple');
    app.use(reportRoutes({ database: test.database, authenticator, timeZone: TZ }));
    app.use(notFoundHandler);
    app.use(createErrorHandler({ logger: createLogger({ level: 'silent' }), bodyLimitBytes: 1024 }));
  });
  afterAll(async () => {
    await test.drop();
  });

  const get = (query: string, role: StaffRole | null = 'supervisor') => {
    const call = request(app).get(`/v1/reports/summary${query}`);
    const key = role ? keys.get(role) : undefined;
    return key ? call.set('Authorization', `Bearer ${key}`) : call;
  };

  it('answers supervisors and admins with the JSON report', async () => {
    for (const role of ['supervisor', 'admin'] as const) {
      const response = await get('?from=2026-03-01&to=2026-03-02&groupBy=day', role);
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.body).toMatchObject({
        from: '2026-02-28T16:00:00.000Z',
        to: '2026-03-02T16:00:00.000Z',
        timeZone: TZ,
        groupBy: 'day',
        totals: { received: 1, open: 1 },
        byChannel: [{ key: 'api', count: 1 }],
        groups: [
          { key: '2026-03-01', received: 0 },
          { key: '2026-03-02', received: 1 },
        ],
      });
    }
  });

  it('refuses agents (403) and callers without a staff key (401)', async () => {
    const agent = await get('?from=2026-03-01&to=2026-03-02', 'agent');
    expect(agent.status).toBe(403);
    expect(agent.body.error.code).toBe('FORBIDDEN');
    const anonymous = await get('?from=2026-03-01&to=2026-03-02', null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('sends CSV as an attachment for format=csv or Accept: text/csv', async () => {
    const byFormat = await get('?from=2026-03-01&to=2026-03-31&format=csv');
    expect(byFormat.status).toBe(200);
    expect(byFormat.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(byFormat.headers['content-disposition']).toBe('attachment; filename="ombuds-report-2026-03-01-2026-03-31.csv"');
    expect(byFormat.text.split('\r\n')[0]).toBe('section,key,metric,value');
    expect(byFormat.text).toContain('totals,all,received,1\r\n');

    const byAccept = await get('?from=2026-03-01T00:00:00Z&to=2026-03-02T12:00:00Z').set('Accept', 'text/csv');
    expect(byAccept.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(byAccept.headers['content-disposition']).toBe('attachment; filename="ombuds-report-2026-03-01-2026-03-02.csv"');

    const jsonWins = await get('?from=2026-03-01&to=2026-03-02&format=json').set('Accept', 'text/csv');
    expect(jsonWins.headers['content-type']).toMatch(/^application\/json/);
  });

  it('answers 400 with a clear code for bad queries', async () => {
    const cases: [string, string][] = [
      ['?from=2026-03-02&to=2026-03-01', 'REPORT_WINDOW_INVERTED'],
      ['?from=2025-01-01&to=2026-03-01', 'REPORT_WINDOW_TOO_LONG'],
      ['?from=2026-02-30&to=2026-03-01', 'PAYLOAD_INVALID'],
      ['?from=yesterday&to=2026-03-01', 'PAYLOAD_INVALID'],
      ['?to=2026-03-01', 'PAYLOAD_INVALID'],
      ['?from=2026-03-01&to=2026-03-02&groupBy=hour', 'PAYLOAD_INVALID'],
      ['?from=2026-03-01&to=2026-03-02&format=xlsx', 'PAYLOAD_INVALID'],
      ['?from=2026-03-01&to=2026-03-02&team=cards', 'PAYLOAD_INVALID'],
      ['?from=2026-03-01&from=2026-03-02&to=2026-03-03', 'PAYLOAD_INVALID'],
    ];
    for (const [query, code] of cases) {
      const response = await get(query);
      expect({ query, status: response.status, code: response.body.error?.code }).toEqual({ query, status: 400, code });
    }
    const detailed = await get('?from=2026-03-01');
    expect(detailed.body.error.details).toContainEqual(expect.objectContaining({ path: 'to' }));
  });
});
