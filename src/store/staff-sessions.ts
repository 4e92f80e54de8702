/**
 * The staff console's sessions (migration 0006, decision 0014): rows found by the sha256 of the cookie's token.
 * Finding a session checks both lifetimes in SQL (idle: `last_seen_at` + the idle timeout; absolute: `expires_at`)
 * and joins its staff member, so one indexed read answers an authenticated request; `last_seen_at` is moved only
 * when it is older than the caller's touch interval, so the staff API does not write on every request.
 */
import type { StaffRole } from '../contracts/index.js';
import type { Queryable } from './database.js';

export interface NewStaffSession {
  id: string;
  tokenHash: string;
  staffId: string;
  csrfToken: string;
  createdAt: Date;
  expiresAt: Date;
}

export interface StaffSessionRow {
  id: string;
  staffId: string;
  csrfToken: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  staff: { id: string; username: string; displayName: string; role: StaffRole; teams: string[]; disabled: boolean };
}

interface SessionJoinRow {
  id: string;
  staff_id: string;
  csrf_token: string;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  username: string;
  display_name: string;
  role: StaffRole;
  teams: string[];
  disabled_at: Date | null;
}

export async function insertStaffSession(db: Queryable, session: NewStaffSession): Promise<void> {
  await db.query(
    `INSERT INTO staff_sessions (id, token_hash, staff_id, csrf_token, created_at, last_seen_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $5, $6)`,
    [session.id, session.tokenHash, session.staffId, session.csrfToken, session.createdAt, session.expiresAt],
  );
}

/**
 * The live session with this token hash, and its staff member (disabled or not: the caller refuses), or null when
 * there is none or it has ended (idle for `idleTimeoutMs`, or past its absolute expiry). Moves `last_seen_at` to
 * `now` when it is at least `touchAfterMs` old (the sliding idle timeout).
 */
export async function findAndTouchStaffSession(
  db: Queryable,
  tokenHash: string,
  options: { now: Date; idleTimeoutMs: number; touchAfterMs: number },
): Promise<StaffSessionRow | null> {
  const idleSince = new Date(options.now.getTime() - options.idleTimeoutMs);
  const result = await db.query<SessionJoinRow>(
    `SELECT s.id, s.staff_id, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at,
            st.username, st.display_name, st.role, st.teams, st.disabled_at
       FROM staff_sessions s JOIN staff st ON st.id = s.staff_id
      WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3`,
    [tokenHash, options.now, idleSince],
  );
  const row = result.rows[0];
  if (!row) return null;
  let lastSeenAt = row.last_seen_at;
  if (options.now.getTime() - lastSeenAt.getTime() >= options.touchAfterMs) {
    // Never backwards (another process may have touched it with a later instant meanwhile).
    await db.query('UPDATE staff_sessions SET last_seen_at = $2 WHERE id = $1 AND last_seen_at < $2', [row.id, options.now]);
    lastSeenAt = options.now;
  }
  return {
    id: row.id,
    staffId: row.staff_id,
    csrfToken: row.csrf_token,
    createdAt: row.created_at,
    lastSeenAt,
    expiresAt: row.expires_at,
    staff: { id: row.staff_id, username: row.username, displayName: row.display_name, role: row.role, teams: row.teams, disabled: row.disabled_at !== null },
  };
}

/** Ends one session (sign-out, or the session a new sign-in replaces); true when there was one. */
export async function deleteStaffSession(db: Queryable, tokenHash: string): Promise<boolean> {
  const result = await db.query('DELETE FROM staff_sessions WHERE token_hash = $1', [tokenHash]);
  return result.rowCount > 0;
}

/** Removes the sessions that have ended by either lifetime; returns how many. */
export async function deleteExpiredStaffSessions(db: Queryable, now: Date, idleTimeoutMs: number): Promise<number> {
  const result = await db.query('DELETE FROM staff_sessions WHERE expires_at <= $1 OR last_seen_at <= $2', [now, new Date(now.getTime() - idleTimeoutMs)]);
  return result.rowCount;
}

/** Signs one staff member out everywhere (their password changed); returns how many sessions ended. */
export async function deleteStaffSessionsOf(db: Queryable, staffId: string): Promise<number> {
  const result = await db.query('DELETE FROM staff_sessions WHERE staff_id = $1', [staffId]);
  return result.rowCount;
}
