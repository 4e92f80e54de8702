import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/databases.js';
import { appendEvents } from '../store/index.js';
import { runAuditVerification } from './audit-verification.js';

describe('ombuds audit verify (runAuditVerification)', () => {
  let test: TestDatabase;
  const references: string[] = [];
  const ids: string[] = [];

  async function run(options: Parameters<typeof runAuditVerification>[1]): Promise<{ code: number; lines: string[] }> {
    const lines: string[] = [];
    const code = await runAuditVerification(test.database, options, (line) => lines.push(line));
    return { code, lines };
  }

  beforeAll(async () => {
    test = await createTestDatabase('pglite');
    for (let index = 1; index <= 3; index += 1) {
      const id = randomUUID();
      const reference = `CMP-2026-00000${String(index)}`;
      await test.database.query(`INSERT INTO complaints (id, reference, stage, channel, received_at) VALUES ($1, $2, 'registered', 'api', now())`, [id, reference]);
      await test.database.transaction((tx) =>
        appendEvents(tx, [
          { complaintId: id, type: 'received', actor: 'channel:api', data: {}, at: new Date('2026-03-01T00:00:00Z') },
          { complaintId: id, type: 'registered', actor: 'system:handling', data: { team: 'cards' }, at: new Date('2026-03-01T00:00:01Z') },
        ]),
      );
      ids.push(id);
      references.push(reference);
    }
  });
  afterAll(async () => {
    await test.drop();
  });

  it('prints "intact" and exits 0 when every chain verifies', async () => {
    expect(await run({})).toEqual({ code: 0, lines: ['checked 3 complaints, 6 events: intact'] });
  });

  it('prints progress lines on large runs', async () => {
    const { code, lines } = await run({ batchSize: 1, progressEvery: 2 });
    expect(code).toBe(0);
    expect(lines).toEqual(['… 2 complaints, 4 events checked, 0 broken chains', 'checked 3 complaints, 6 events: intact']);
  });

  it('verifies one complaint by reference or id, and exits 2 for an unknown one', async () => {
    expect(await run({ complaint: references[1] ?? '' })).toEqual({ code: 0, lines: ['checked 1 complaint, 2 events: intact'] });
    expect(await run({ complaint: ids[2] ?? '' })).toEqual({ code: 0, lines: ['checked 1 complaint, 2 events: intact'] });
    expect(await run({ complaint: 'CMP-1999-999999' })).toEqual({ code: 2, lines: ['complaint CMP-1999-999999 was not found'] });
    expect(await run({ complaint: 'not-an-id' })).toEqual({ code: 2, lines: ['complaint not-an-id was not found'] });
  });

  it('names the broken chain, its first broken link and what is wrong, and exits 1', async () => {
    const id = ids[1] ?? '';
    await test.database.transaction(async (tx) => {
      await tx.query('ALTER TABLE complaint_events DISABLE TRIGGER complaint_events_no_update');
      await tx.query(`UPDATE complaint_events SET actor = 'staff:someone-else' WHERE complaint_id = $1 AND seq = 2`, [id]);
      await tx.query('ALTER TABLE complaint_events ENABLE TRIGGER complaint_events_no_update');
    });
    expect(await run({})).toEqual({
      code: 1,
      lines: [`BROKEN ${references[1] ?? ''} (${id}): first broken link at seq 2: content does not match hash`, 'checked 3 complaints, 6 events: 1 broken chain'],
    });
    expect((await run({ complaint: references[1] ?? '' })).code).toBe(1);
    expect((await run({ complaint: references[0] ?? '' })).code).toBe(0);
  });
});
