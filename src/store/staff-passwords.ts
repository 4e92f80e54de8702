/**
 * Staff passwords (migration 0006): the scrypt hash in `staff.password_hash` (src/shared/password.ts makes and checks
 * it) and what a sign-in by username needs to know. A staff member without a password signs in with their API key.
 */
import type { StaffRole } from '../contracts/index.js';
import type { Queryable } from './database.js';

export interface StaffSignInRow {
  id: string;
  username: string;
  displayName: string;
  role: StaffRole;
  teams: string[];
  passwordHash: string | null;
  disabled: boolean;
}

export async function findStaffForSignIn(db: Queryable, username: string): Promise<StaffSignInRow | null> {
  const result = await db.query<{ id: string; username: string; display_name: string; role: StaffRole; teams: string[]; password_hash: string | null; disabled_at: Date | null }>(
    'SELECT id, username, display_name, role, teams, password_hash, disabled_at FROM staff WHERE username = $1',
    [username],
  );
  const row = result.rows[0];
  return row
    ? { id: row.id, username: row.username, displayName: row.display_name, role: row.role, teams: row.teams, passwordHash: row.password_hash, disabled: row.disabled_at !== null }
    : null;
}

/** Sets (or replaces) a staff member's password hash; returns their id, or null when no such username exists. */
export async function setStaffPassword(db: Queryable, username: string, passwordHash: string, at: Date): Promise<string | null> {
  const result = await db.query<{ id: string }>('UPDATE staff SET password_hash = $2, password_changed_at = $3 WHERE username = $1 RETURNING id', [username, passwordHash, at]);
  return result.rows[0]?.id ?? null;
}
