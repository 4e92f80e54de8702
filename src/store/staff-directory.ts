/**
 * The staff directory: who a complaint can be assigned to. Enabled staff only, and only what a colleague may see of
 * them (id, username, display name, role, teams) — never the key's hash or prefix, nor the password hash.
 */
import type { StaffRole } from '../contracts/index.js';
import type { Queryable } from './database.js';

export interface StaffDirectoryEntry {
  id: string;
  username: string;
  displayName: string;
  role: StaffRole;
  teams: string[];
}

/**
 * Enabled staff who may own a complaint of one of `teams`: members of those teams, and every supervisor and admin
 * (the workflow lets them own any team's complaint). `teams` null: every enabled staff member. By display name.
 */
export async function listAssignableStaff(db: Queryable, teams: readonly string[] | null): Promise<StaffDirectoryEntry[]> {
  const result = await db.query<{ id: string; username: string; display_name: string; role: StaffRole; teams: string[] }>(
    `SELECT id, username, display_name, role, teams FROM staff
      WHERE disabled_at IS NULL AND ($1::text[] IS NULL OR role <> 'agent' OR teams && $1::text[])
      ORDER BY lower(display_name), username`,
    [teams === null ? null : [...teams]],
  );
  return result.rows.map((row) => ({ id: row.id, username: row.username, displayName: row.display_name, role: row.role, teams: row.teams }));
}
