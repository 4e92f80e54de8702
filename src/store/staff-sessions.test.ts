import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from '../../test/support/databases.js';
import { insertStaff } from './credentials.js';
import { findStaffForSignIn, setStaffPassword } from './staff-passwords.js';
import { deleteExpiredStaffSessions, deleteStaffSession, deleteStaffSessionsOf, findAndTouchStaffSession, insertStaffSession } from './staff-sessions.js';

const MINUTE = 60_000;
const IDLE = 30 * MINUTE;
const T0 = new Date('2026-03-02T09:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * MINUTE);

describe.each<DatabaseKind>(['pglite', 'postgres'])('staff sessions and passwords (%s)', (kind) => {
  let test: TestDatabase;
  const staffId = randomUUID();
  const otherId = randomUUID();

  beforeAll(async () => {
    test = await createTestDatabase(kind);
    for (const [id, username] of [[staffId, 'alice'], [otherId, 'bob']] as const) {
      await insertStaff(test.database, { id, username, displayName: username, role: 'agent', teams: ['cards'], keyPrefix: `prefix${username}`, keyHash: 'h'.repeat(64) });
    }
  }, 60_000);
  afterAll(async () => {
    await test.drop();
  });

  const open = async (tokenHash: string, id = staffId, createdMinutes = 0, lifetimeMinutes = 720) => {
    await insertStaffSession(test.database, { id: randomUUID(), tokenHash, staffId: id, csrfToken: `csrf-${tokenHash}`, createdAt: at(createdMinutes), expiresAt: at(createdMinutes + lifetimeMinutes) });
  };
  const find = (tokenHash: string, minutes: number) => findAndTouchStaffSession(test.database, tokenHash, { now: at(minutes), idleTimeoutMs: IDLE, touchAfterMs: MINUTE });
  const lastSeen = async (tokenHash: string) =>
    (await test.database.query<{ last_seen_at: Date }>('SELECT last_seen_at FROM staff_sessions WHERE token_hash = $1', [tokenHash])).rows[0]?.last_seen_at.toISOString();

  it('finds a live session with its staff member, touching last_seen_at at most once a touch interval', async () => {
    await open('live');
    const found = await find('live', 0.5);
    expect(found).toMatchObject({ staffId, csrfToken: 'csrf-live', staff: { username: 'alice', role: 'agent', teams: ['cards'], disabled: false } });
    expect(await lastSeen('live')).toBe(at(0).toISOString());
    expect((await find('live', 20))?.lastSeenAt.toISOString()).toBe(at(20).toISOString());
    expect(await lastSeen('live')).toBe(at(20).toISOString());
    // A touch never moves it backwards (another process touched it later meanwhile).
    await find('live', 19);
    expect(await lastSeen('live')).toBe(at(20).toISOString());
    expect(await find('nope', 20)).toBeNull();
  });

  it('ends a session idle for the timeout, and one past its absolute expiry', async () => {
    await open('idle');
    expect(await find('idle', 29)).not.toBeNull();
    expect(await find('idle', 29 + 30)).toBeNull();
    await open('short', staffId, 0, 45);
    expect(await find('short', 25)).not.toBeNull();
    expect(await find('short', 45)).toBeNull();
  });

  it('deletes one session, the ended ones, and all of one staff member', async () => {
    await open('a1', staffId, 100);
    await open('a2', staffId, 100);
    await open('b1', otherId, 100);
    await open('old', otherId, 0);
    expect(await deleteStaffSession(test.database, 'a1')).toBe(true);
    expect(await deleteStaffSession(test.database, 'a1')).toBe(false);
    expect(await deleteExpiredStaffSessions(test.database, at(110), IDLE)).toBeGreaterThanOrEqual(1);
    expect(await find('old', 110)).toBeNull();
    expect(await find('b1', 110)).not.toBeNull();
    expect(await deleteStaffSessionsOf(test.database, staffId)).toBe(1);
    expect(await find('a2', 110)).toBeNull();
    expect(await find('b1', 110)).not.toBeNull();
  });

  it('sets a password hash and reads what sign-in needs', async () => {
    expect((await findStaffForSignIn(test.database, 'alice'))?.passwordHash).toBeNull();
    expect(await setStaffPassword(test.database, 'alice', 'scrypt$hash', T0)).toBe(staffId);
    expect(await setStaffPassword(test.database, 'nobody', 'scrypt$hash', T0)).toBeNull();
    expect(await findStaffForSignIn(test.database, 'alice')).toEqual({ id: staffId, username: 'alice', displayName: 'alice', role: 'agent', teams: ['cards'], passwordHash: 'scrypt$hash', disabled: false });
    expect(await findStaffForSignIn(test.database, 'Alice')).toBeNull();
  });
});
