import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/databases.js';
import { isOmbudsError } from '../shared/index.js';
import { appendEvents, type AuditEventInput, type Queryable } from '../store/index.js';
import { csvCell, reportWindow, reportWindowDates, summaryReport, toCsv, type SummaryReport } from './reports.js';

const TZ = 'Asia/Shanghai'; // UTC+8, no daylight saving
const HOUR = 3_600_000;

interface ComplaintSeed {
  reference: string;
  stage: string;
  channel: string;
  product: string;
  issue: string;
  urgency: string;
  team: string;
  receivedAt: string;
  respondedAt?: string;
  closedAt?: string;
  mergedInto?: string;
}

async function complaint(db: Queryable, seed: ComplaintSeed): Promise<string> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO complaints (id, reference, stage, channel, product, issue, urgency, team, received_at, responded_at, closed_at, merged_into)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [id, seed.reference, seed.stage, seed.channel, seed.product, seed.issue, seed.urgency, seed.team, seed.receivedAt, seed.respondedAt ?? null, seed.closedAt ?? null, seed.mergedInto ?? null],
  );
  return id;
}

/** `registered` at `start`, then `stage.changed` into each later stage `hours` after `start` (a note in between). */
async function stages(db: TestDatabase['database'], complaintId: string, start: string, path: [string, number][]): Promise<void> {
  const base = new Date(start).getTime();
  const events: AuditEventInput[] = [{ complaintId, type: 'received', actor: 'channel:api', data: {}, at: new Date(base - HOUR) }];
  let previous: string | null = null;
  for (const [stage, hours] of path) {
    const at = new Date(base + hours * HOUR);
    events.push(
      previous === null
        ? { complaintId, type: 'registered', actor: 'system:handling', data: { team: 'cards' }, at }
        : { complaintId, type: 'stage.changed', actor: 'staff:x', data: { from: previous, to: stage }, at },
    );
    events.push({ complaintId, type: 'note.added', actor: 'staff:x', data: {}, at: new Date(at.getTime() + 60_000) });
    previous = stage;
  }
  await db.transaction((tx) => appendEvents(tx, events));
}

async function deadline(
  db: Queryable,
  complaintId: string,
  clock: { clock: string; due: string; status: string; metAt?: string; breachedAt?: string; optional?: boolean },
): Promise<void> {
  await db.query(
    `INSERT INTO complaint_deadlines (id, complaint_id, regime, clock, starts_at, due_at, status, rule, met_at, breached_at)
     VALUES ($1, $2, 'cn_nfra', $3, '2026-03-01T00:00:00Z', $4, $5, $6, $7, $8)`,
    [randomUUID(), complaintId, clock.clock, clock.due, clock.status, JSON.stringify(clock.optional ? { optional: true } : {}), clock.metAt ?? null, clock.breachedAt ?? null],
  );
}

async function resolution(
  db: Queryable,
  staff: readonly [string, string],
  complaintId: string,
  r: { upheld: boolean; status: string; requiresApproval: boolean; proposedAt: string },
): Promise<void> {
  const decided = r.status === 'approved' || r.status === 'rejected';
  await db.query(
    `INSERT INTO resolutions (id, complaint_id, summary, upheld, proposed_by, proposed_at, requires_approval, status, decided_by, decided_at)
     VALUES ($1, $2, 'summary', $3, $4, $5, $6, $7, $8, $9)`,
    [randomUUID(), complaintId, r.upheld, staff[0], r.proposedAt, r.requiresApproval, r.status, decided ? staff[1] : null, decided ? r.proposedAt : null],
  );
}

async function survey(db: Queryable, complaintId: string, s: { answered: boolean; score?: number; resolved?: boolean }): Promise<void> {
  await db.query(
    `INSERT INTO surveys (complaint_id, sent_at, expires_at, answered_at, score, resolved) VALUES ($1, '2026-03-04T00:00:00Z', '2026-03-11T00:00:00Z', $2, $3, $4)`,
    [complaintId, s.answered ? '2026-03-05T00:00:00Z' : null, s.score ?? null, s.resolved ?? null],
  );
}

/**
 * The cohort, received in the window 2026-03-01 … 2026-03-03 Shanghai = [02-28T16:00Z, 03-03T16:00Z):
 *   A 03-01T02:00Z (local 03-01 10:00) api      cards            unauthorized_fraud high     closed
 *   B 03-01T15:00Z (local 03-01 23:00) api      cards            fees_interest      low      responded
 *   C 03-01T17:00Z (local 03-02 01:00) telegram loans            fees_interest      medium   investigating
 *   D 03-02T03:00Z (local 03-02 11:00) telegram cards            fees_interest      low      closed
 *   E 03-03T01:00Z (local 03-03 09:00) sms      deposit_accounts account_access     critical registered
 * Left out: F (stage intake), G (merged into A), H (03-03T16:00Z = local 03-04 00:00), I (02-28T15:59Z = local 02-28).
 */
async function seed(db: TestDatabase['database']): Promise<void> {
  const staff = [randomUUID(), randomUUID()] as const;
  for (const [index, id] of staff.entries()) {
    await db.query(`INSERT INTO staff (id, username, display_name, role, key_prefix, key_hash) VALUES ($1, $2, $2, 'agent', $3, 'x')`, [
      id,
      `agent-${String(index)}`,
      `prefix-${String(index)}`,
    ]);
  }
  const base = { product: 'cards', issue: 'fees_interest', urgency: 'low', team: 'cards' };
  const a = await complaint(db, { ...base, reference: 'CMP-A', stage: 'closed', channel: 'api', issue: 'unauthorized_fraud', urgency: 'high', receivedAt: '2026-03-01T02:00:00Z', respondedAt: '2026-03-01T18:30:00Z', closedAt: '2026-03-02T18:30:00Z' });
  const b = await complaint(db, { ...base, reference: 'CMP-B', stage: 'responded', channel: 'api', receivedAt: '2026-03-01T15:00:00Z', respondedAt: '2026-03-02T14:00:00Z' });
  const c = await complaint(db, { ...base, reference: 'CMP-C', stage: 'investigating', channel: 'telegram', product: 'loans', urgency: 'medium', team: 'loans', receivedAt: '2026-03-01T17:00:00Z' });
  const d = await complaint(db, { ...base, reference: 'CMP-D', stage: 'closed', channel: 'telegram', receivedAt: '2026-03-02T03:00:00Z', respondedAt: '2026-03-03T17:00:00Z', closedAt: '2026-03-04T17:00:00Z' });
  const e = await complaint(db, { ...base, reference: 'CMP-E', stage: 'registered', channel: 'sms', product: 'deposit_accounts', issue: 'account_access', urgency: 'critical', team: 'accounts', receivedAt: '2026-03-03T01:00:00Z' });
  await complaint(db, { ...base, reference: 'CMP-F', stage: 'intake', channel: 'api', receivedAt: '2026-03-01T05:00:00Z' });
  const g = await complaint(db, { ...base, reference: 'CMP-G', stage: 'closed', channel: 'api', receivedAt: '2026-03-01T06:00:00Z', respondedAt: '2026-03-01T07:00:00Z', mergedInto: a });
  const h = await complaint(db, { ...base, reference: 'CMP-H', stage: 'registered', channel: 'api', receivedAt: '2026-03-03T16:00:00Z' });
  await complaint(db, { ...base, reference: 'CMP-I', stage: 'registered', channel: 'api', receivedAt: '2026-02-28T15:59:00Z' });

  // Stays per stage (hours):          registered triaged escalated investigating resolution_proposed responded
  //   A                                  2.5       2                  10              2                 24
  //   B                                  1         1                  20              1              (running)
  //   C                                  4         1                (running)
  //   D                                  3         1        2         30              2                 24
  //   E                               (running)
  //   G (excluded)                      100
  await stages(db, a, '2026-03-01T02:00:00Z', [['registered', 0], ['triaged', 2.5], ['investigating', 4.5], ['resolution_proposed', 14.5], ['responded', 16.5], ['closed', 40.5]]);
  await stages(db, b, '2026-03-01T15:00:00Z', [['registered', 0], ['triaged', 1], ['investigating', 2], ['resolution_proposed', 22], ['responded', 23]]);
  await stages(db, c, '2026-03-01T17:00:00Z', [['registered', 0], ['triaged', 4], ['investigating', 5]]);
  await stages(db, d, '2026-03-02T03:00:00Z', [['registered', 0], ['triaged', 3], ['escalated', 4], ['investigating', 6], ['resolution_proposed', 36], ['responded', 38], ['closed', 62]]);
  await stages(db, e, '2026-03-03T01:00:00Z', [['registered', 0]]);
  await stages(db, g, '2026-03-01T06:00:00Z', [['registered', 0], ['triaged', 100]]);

  // Mandatory clocks: A met in time (its breached optional clock does not count) → within; B breached, then met → breached;
  // C breached; D both met in time → within; E acknowledgement met after its due time (no timer fired) → breached.
  // Decided: A B C D E (5); within: A D (2) → 0.4; breached: B C E (3).
  await deadline(db, a, { clock: 'final_response', due: '2026-03-16T16:00:00Z', status: 'met', metAt: '2026-03-01T18:30:00Z' });
  await deadline(db, a, { clock: 'quick', due: '2026-03-01T03:00:00Z', status: 'breached', breachedAt: '2026-03-01T03:00:00Z', optional: true });
  await deadline(db, b, { clock: 'final_response', due: '2026-03-02T00:00:00Z', status: 'met', metAt: '2026-03-02T14:00:00Z', breachedAt: '2026-03-02T00:00:00Z' });
  await deadline(db, c, { clock: 'final_response', due: '2026-03-02T00:00:00Z', status: 'breached', breachedAt: '2026-03-02T00:00:00Z' });
  await deadline(db, d, { clock: 'acknowledge', due: '2026-03-03T00:00:00Z', status: 'met', metAt: '2026-03-02T04:00:00Z' });
  await deadline(db, d, { clock: 'final_response', due: '2026-03-17T16:00:00Z', status: 'met', metAt: '2026-03-03T17:00:00Z' });
  await deadline(db, e, { clock: 'acknowledge', due: '2026-03-03T02:00:00Z', status: 'met', metAt: '2026-03-03T05:00:00Z' });
  await deadline(db, e, { clock: 'final_response', due: '2026-03-18T16:00:00Z', status: 'open' });
  await deadline(db, g, { clock: 'final_response', due: '2026-03-01T07:00:00Z', status: 'breached', breachedAt: '2026-03-01T07:00:00Z' });

  // Responded: A B D. A: rejected upheld, then approved not upheld → not upheld. B: proposed, no approval needed, upheld.
  // D: approved upheld, then a later proposal awaiting approval (never sent) → upheld. C (not responded) does not count.
  // upheld 2 of 3 → 0.6667.
  await resolution(db, staff, a, { upheld: true, status: 'rejected', requiresApproval: true, proposedAt: '2026-03-01T12:00:00Z' });
  await resolution(db, staff, a, { upheld: false, status: 'approved', requiresApproval: true, proposedAt: '2026-03-01T16:00:00Z' });
  await resolution(db, staff, b, { upheld: true, status: 'proposed', requiresApproval: false, proposedAt: '2026-03-02T13:00:00Z' });
  await resolution(db, staff, d, { upheld: true, status: 'approved', requiresApproval: true, proposedAt: '2026-03-03T12:00:00Z' });
  await resolution(db, staff, d, { upheld: false, status: 'proposed', requiresApproval: true, proposedAt: '2026-03-03T18:00:00Z' });
  await resolution(db, staff, c, { upheld: true, status: 'approved', requiresApproval: true, proposedAt: '2026-03-02T12:00:00Z' });
  await resolution(db, staff, g, { upheld: true, status: 'approved', requiresApproval: true, proposedAt: '2026-03-01T06:30:00Z' });

  // Surveys: A 5 resolved, B 2 not resolved, D unanswered; G's (excluded) and H's (outside) do not count.
  // sent 3, answered 2 (0.6667), average 3.5, resolved 1 of 2 (0.5).
  await survey(db, a, { answered: true, score: 5, resolved: true });
  await survey(db, b, { answered: true, score: 2, resolved: false });
  await survey(db, d, { answered: false });
  await survey(db, g, { answered: true, score: 1, resolved: false });
  await survey(db, h, { answered: true, score: 1, resolved: false });
}

describe.each(['pglite', 'postgres'] as const)('summary report on %s', (kind) => {
  let test: TestDatabase;
  const window = reportWindow('2026-03-01', '2026-03-03', TZ);

  beforeAll(async () => {
    test = await createTestDatabase(kind);
    await seed(test.database);
  });
  afterAll(async () => {
    await test.drop();
  });

  it('counts volumes, clocks, upholds and satisfaction of the complaints received in the window', async () => {
    const report = await summaryReport(test.database, { ...window, timeZone: TZ });
    expect(report.from).toBe('2026-02-28T16:00:00.000Z');
    expect(report.to).toBe('2026-03-03T16:00:00.000Z');
    expect(report.groupBy).toBeNull();
    expect(report.groups).toBeUndefined();
    expect(report.totals).toEqual({
      received: 5,
      open: 3,
      closed: 2,
      breached: 3,
      withinDeadlineShare: 0.4,
      upheldRate: 0.6667,
      satisfaction: {
        sent: 3,
        answered: 2,
        responseRate: 0.6667,
        averageScore: 3.5,
        distribution: { '1': 0, '2': 1, '3': 0, '4': 0, '5': 1 },
        resolvedShare: 0.5,
      },
    });
    expect(report.byChannel).toEqual([
      { key: 'api', count: 2 },
      { key: 'telegram', count: 2 },
      { key: 'sms', count: 1 },
    ]);
    expect(report.byProduct).toEqual([
      { key: 'cards', count: 3 },
      { key: 'deposit_accounts', count: 1 },
      { key: 'loans', count: 1 },
    ]);
    expect(report.byIssue).toEqual([
      { key: 'fees_interest', count: 3 },
      { key: 'account_access', count: 1 },
      { key: 'unauthorized_fraud', count: 1 },
    ]);
    expect(report.byUrgency).toEqual([
      { key: 'low', count: 2 },
      { key: 'critical', count: 1 },
      { key: 'high', count: 1 },
      { key: 'medium', count: 1 },
    ]);
  });

  it('gives the median and 90th percentile of completed stays per stage', async () => {
    const report = await summaryReport(test.database, { ...window, timeZone: TZ });
    // percentile_cont interpolates at position p × (n − 1) of the sorted stays.
    expect(report.timePerStage).toEqual([
      // [1, 2.5, 3, 4]: median (2.5 + 3) / 2; p90 at 2.7 → 3 + 0.7 × 1
      { stage: 'registered', count: 4, medianHours: 2.75, p90Hours: 3.7 },
      // [1, 1, 1, 2]: median 1; p90 at 2.7 → 1 + 0.7 × 1
      { stage: 'triaged', count: 4, medianHours: 1, p90Hours: 1.7 },
      // [10, 20, 30]: median 20; p90 at 1.8 → 20 + 0.8 × 10
      { stage: 'investigating', count: 3, medianHours: 20, p90Hours: 28 },
      // [1, 2, 2]
      { stage: 'resolution_proposed', count: 3, medianHours: 2, p90Hours: 2 },
      { stage: 'responded', count: 2, medianHours: 24, p90Hours: 24 },
      { stage: 'escalated', count: 1, medianHours: 2, p90Hours: 2 },
    ]);
  });

  it('groups by day in the bank time zone, not in UTC', async () => {
    const report = await summaryReport(test.database, { ...window, timeZone: TZ, groupBy: 'day' });
    // C arrived 03-01 17:00 UTC, which is 03-02 01:00 in Shanghai.
    expect(report.groups).toEqual([
      { key: '2026-03-01', received: 2, closed: 1, breached: 1, withinDeadlineShare: 0.5 }, // A within, B breached
      { key: '2026-03-02', received: 2, closed: 1, breached: 1, withinDeadlineShare: 0.5 }, // C breached, D within
      { key: '2026-03-03', received: 1, closed: 0, breached: 1, withinDeadlineShare: 0 }, // E breached
    ]);
  });

  it('lists empty days of the window, and groups by ISO week, month and dimension', async () => {
    const wider = reportWindow('2026-03-01', '2026-03-05', TZ);
    const days = await summaryReport(test.database, { ...wider, timeZone: TZ, groupBy: 'day' });
    expect(days.groups?.map((group) => [group.key, group.received, group.withinDeadlineShare])).toEqual([
      ['2026-03-01', 2, 0.5],
      ['2026-03-02', 2, 0.5],
      ['2026-03-03', 1, 0],
      ['2026-03-04', 1, null], // H, no clocks decided
      ['2026-03-05', 0, null],
    ]);
    // 2026-03-01 is a Sunday (ISO week 9); the 2nd is the Monday of week 10.
    const weeks = await summaryReport(test.database, { ...window, timeZone: TZ, groupBy: 'week' });
    expect(weeks.groups?.map((group) => [group.key, group.received, group.breached])).toEqual([
      ['2026-W09', 2, 1],
      ['2026-W10', 3, 2],
    ]);
    const months = await summaryReport(test.database, { ...window, timeZone: TZ, groupBy: 'month' });
    expect(months.groups).toEqual([{ key: '2026-03', received: 5, closed: 2, breached: 3, withinDeadlineShare: 0.4 }]);
    const channels = await summaryReport(test.database, { ...window, timeZone: TZ, groupBy: 'channel' });
    expect(channels.groups).toEqual([
      { key: 'api', received: 2, closed: 1, breached: 1, withinDeadlineShare: 0.5 },
      { key: 'telegram', received: 2, closed: 1, breached: 1, withinDeadlineShare: 0.5 },
      { key: 'sms', received: 1, closed: 0, breached: 1, withinDeadlineShare: 0 },
    ]);
  });

  it('answers an empty window with zeros and no shares', async () => {
    const empty = reportWindow('2025-01-01', '2025-01-02', TZ);
    const report = await summaryReport(test.database, { ...empty, timeZone: TZ, groupBy: 'day' });
    expect(report.totals).toMatchObject({ received: 0, open: 0, breached: 0, withinDeadlineShare: null, upheldRate: null });
    expect(report.totals.satisfaction).toMatchObject({ sent: 0, responseRate: null, averageScore: null, resolvedShare: null });
    expect(report.byChannel).toEqual([]);
    expect(report.timePerStage).toEqual([]);
    expect(report.groups?.map((group) => group.key)).toEqual(['2025-01-01', '2025-01-02']);
  });

  it('refuses an inverted or over-long window before querying', async () => {
    const refused = async (from: Date, to: Date) => {
      try {
        await summaryReport(test.database, { from, to, timeZone: TZ });
        return null;
      } catch (error) {
        return isOmbudsError(error) ? [error.code, error.httpStatus] : error;
      }
    };
    expect(await refused(window.to, window.from)).toEqual(['REPORT_WINDOW_INVERTED', 400]);
    const long = { from: new Date('2025-12-31T16:00:00Z'), to: new Date('2027-01-02T16:00:00Z') }; // 367 days
    expect(await refused(long.from, long.to)).toEqual(['REPORT_WINDOW_TOO_LONG', 400]);
    const leapYear = reportWindow('2028-01-01', '2028-12-31', TZ); // 366 days
    expect(await refused(leapYear.from, leapYear.to)).toBeNull();
  });
});

describe('report window', () => {
  it('reads dates as whole days in the bank time zone, the last one included', () => {
    expect(reportWindow('2026-03-01', '2026-03-31', TZ)).toEqual({ from: new Date('2026-02-28T16:00:00Z'), to: new Date('2026-03-31T16:00:00Z') });
    // London changes to summer time on 2026-03-29: the day after it starts at 23:00 UTC.
    expect(reportWindow('2026-03-29', '2026-03-29', 'Europe/London')).toEqual({ from: new Date('2026-03-29T00:00:00Z'), to: new Date('2026-03-29T23:00:00Z') });
    expect(reportWindow('2026-03-01T10:00:00Z', '2026-03-02T10:00:00.500Z', TZ)).toEqual({ from: new Date('2026-03-01T10:00:00Z'), to: new Date('2026-03-02T10:00:00.500Z') });
  });

  it('refuses a window whose start is after the last day it includes', () => {
    const code = (from: string, to: string) => {
      try {
        reportWindow(from, to, TZ);
        return null;
      } catch (error) {
        return isOmbudsError(error) ? error.code : error;
      }
    };
    expect(code('2026-03-02', '2026-03-01')).toBe('REPORT_WINDOW_INVERTED');
    expect(code('2026-03-01T16:00:00Z', '2026-03-01')).toBe('REPORT_WINDOW_INVERTED'); // 03-02 00:00 in Shanghai
    expect(code('2026-03-01T12:00:00Z', '2026-03-01')).toBeNull(); // 20:00 to midnight
    expect(code('2026-03-01T12:00:00Z', '2026-03-01T12:00:00Z')).toBeNull(); // an empty window
    expect(code('2026-03-01T12:00:01Z', '2026-03-01T12:00:00Z')).toBe('REPORT_WINDOW_INVERTED');
    expect(code('2026-01-01', '2027-01-01')).toBeNull(); // 366 days
    expect(code('2026-01-01', '2027-01-02')).toBe('REPORT_WINDOW_TOO_LONG'); // 367
  });

  it('refuses dates that do not exist', () => {
    expect(() => reportWindow('2026-02-30', '2026-03-01', TZ)).toThrow(/not a calendar date/);
    expect(() => reportWindow('2026-02-01', '2026-13-01', TZ)).toThrow(/not a calendar date/);
    expect(() => reportWindow('yesterday', '2026-03-01', TZ)).toThrow(/not a date or date-time/);
  });

  it('names the civil dates a window covers', () => {
    expect(reportWindowDates(reportWindow('2026-03-01', '2026-03-31', TZ), TZ)).toEqual({ from: '2026-03-01', to: '2026-03-31' });
    const instantWindow = { from: new Date('2026-03-01T10:00:00Z'), to: new Date('2026-03-01T10:00:00Z') };
    expect(reportWindowDates(instantWindow, TZ)).toEqual({ from: '2026-03-01', to: '2026-03-01' });
  });
});

describe('report CSV', () => {
  const report: SummaryReport = {
    from: '2026-02-28T16:00:00.000Z',
    to: '2026-03-03T16:00:00.000Z',
    timeZone: TZ,
    groupBy: 'channel',
    totals: {
      received: 5,
      open: 3,
      closed: 2,
      breached: 3,
      withinDeadlineShare: 0.4,
      upheldRate: null,
      satisfaction: { sent: 3, answered: 2, responseRate: 0.6667, averageScore: 3.5, distribution: { '1': 0, '2': 1, '3': 0, '4': 0, '5': 1 }, resolvedShare: 0.5 },
    },
    byChannel: [
      { key: '=HYPERLINK("http://x","y")', count: 1 },
      { key: 'a,b', count: 2 },
      { key: 'line\nbreak', count: 3 },
    ],
    byProduct: [{ key: 'cards', count: 5 }],
    byIssue: [{ key: '@SUM(A1)', count: 5 }],
    byUrgency: [{ key: '-2+3', count: 4 }, { key: '+1', count: 1 }],
    timePerStage: [{ stage: 'registered', count: 4, medianHours: 2.75, p90Hours: 3.7 }],
    groups: [{ key: 'api', received: 2, closed: 1, breached: 1, withinDeadlineShare: 0.5 }],
  };

  it('is one section,key,metric,value table with CRLF lines', () => {
    const csv = toCsv(report);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('section,key,metric,value');
    expect(lines.at(-1)).toBe('');
    expect(lines).toContain('window,all,from,2026-02-28T16:00:00.000Z');
    expect(lines).toContain('window,all,group_by,channel');
    expect(lines).toContain('totals,all,received,5');
    expect(lines).toContain('totals,all,within_deadline_share,0.4');
    expect(lines).toContain('totals,all,upheld_rate,');
    expect(lines).toContain('satisfaction,all,average_score,3.5');
    expect(lines).toContain('satisfaction_score,2,count,1');
    expect(lines).toContain('product,cards,count,5');
    expect(lines).toContain('time_per_stage,registered,median_hours,2.75');
    expect(lines).toContain('time_per_stage,registered,p90_hours,3.7');
    expect(lines).toContain('by_channel,api,within_deadline_share,0.5');
    for (const line of lines.slice(0, -1)) expect(line.split(',').length).toBeGreaterThanOrEqual(4);
  });

  it('quotes per RFC 4180 and defuses formula cells', () => {
    const csv = toCsv(report);
    expect(csv).toContain(`channel,"'=HYPERLINK(""http://x"",""y"")",count,1`);
    expect(csv).toContain('channel,"a,b",count,2');
    expect(csv).toContain('channel,"line\nbreak",count,3');
    expect(csv).toContain(`issue,'@SUM(A1),count,5`);
    expect(csv).toContain(`urgency,'-2+3,count,4`);
    expect(csv).toContain(`urgency,'+1,count,1`);
    expect(csvCell('\tcmd')).toBe(`'\tcmd`);
    expect(csvCell('\rcmd')).toBe(`"'\rcmd"`);
    expect(csvCell(null)).toBe('');
    expect(csvCell(0)).toBe('0');
    expect(csvCell('plain')).toBe('plain');
  });
});
