import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/databases.js';
import { insertNotification, listNotifications } from './notifications.js';

const AT = new Date('2026-12-01T08:00:00.000Z');

describe.each(['pglite', 'postgres'] as const)('staff notifications on %s', (kind) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await test.drop();
  });

  it('lists notifications after an id, in order, filtered by audience', async () => {
    const staffId = randomUUID();
    const audiences = ['supervisors', 'team:cards', 'team:lending', `staff:${staffId}`, 'team:cards'];
    const ids: number[] = [];
    for (const [index, audience] of audiences.entries()) {
      ids.push(
        await test.database.transaction((tx) =>
          insertNotification(tx, { kind: 'deadline.warning', complaintId: null, audience, data: { index, note: '到期' }, at: new Date(AT.getTime() + index) }),
        ),
      );
    }
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);

    const all = await listNotifications(test.database, { afterId: 0, limit: 100, audiences: null });
    expect(all.map((row) => row.id)).toEqual(ids);
    expect(all[3]).toEqual({ id: ids[3], kind: 'deadline.warning', complaintId: null, audience: `staff:${staffId}`, data: { index: 3, note: '到期' }, at: new Date(AT.getTime() + 3) });

    const agent = await listNotifications(test.database, { afterId: 0, limit: 100, audiences: ['team:cards', `staff:${staffId}`] });
    expect(agent.map((row) => row.data.index)).toEqual([1, 3, 4]);

    const page = await listNotifications(test.database, { afterId: ids[1] ?? 0, limit: 2, audiences: null });
    expect(page.map((row) => row.id)).toEqual([ids[2], ids[3]]);
    expect(await listNotifications(test.database, { afterId: ids.at(-1) ?? 0, limit: 10, audiences: null })).toEqual([]);
    expect(await listNotifications(test.database, { afterId: 0, limit: 10, audiences: [] })).toEqual([]);
  });

  it('refuses a notification about an unknown complaint', async () => {
    await expect(
      insertNotification(test.database, { kind: 'complaint.escalated', complaintId: randomUUID(), audience: 'supervisors', data: {}, at: AT }),
    ).rejects.toThrow();
  });
});
