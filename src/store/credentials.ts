/**
 * Staff accounts and API-channel clients, each with an API key stored as a sha256 hash and found by its public
 * prefix. The presented key is compared in constant time by the caller (http/authentication.ts).
 */
import type { StaffRole } from '../contracts/index.js';
import type { Queryable } from './database.js';

export interface StaffRow {
  id: string;
  username: string;
  displayName: string;
  role: StaffRole;
  teams: string[];
  keyHash: string;
  disabled: boolean;
}

export interface ApiClientRow {
  id: string;
  name: string;
  keyHash: string;
  disabled: boolean;
}

export async function insertStaff(
  db: Queryable,
  staff: { id: string; username: string; displayName: string; role: StaffRole; teams: string[]; keyPrefix: string; keyHash: string },
): Promise<void> {
  await db.query(
    `INSERT INTO staff (id, username, display_name, role, teams, key_prefix, key_hash) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [staff.id, staff.username, staff.displayName, staff.role, staff.teams, staff.keyPrefix, staff.keyHash],
  );
}

export async function findStaffByKeyPrefix(db: Queryable, prefix: string): Promise<StaffRow | null> {
  const result = await db.query<{ id: string; username: string; display_name: string; role: StaffRole; teams: string[]; key_hash: string; disabled_at: Date | null }>(
    'SELECT id, username, display_name, role, teams, key_hash, disabled_at FROM staff WHERE key_prefix = $1',
    [prefix],
  );
  const row = result.rows[0];
  return row
    ? { id: row.id, username: row.username, displayName: row.display_name, role: row.role, teams: row.teams, keyHash: row.key_hash, disabled: row.disabled_at !== null }
    : null;
}

export async function insertApiClient(db: Queryable, client: { id: string; name: string; keyPrefix: string; keyHash: string }): Promise<void> {
  await db.query('INSERT INTO api_clients (id, name, key_prefix, key_hash) VALUES ($1, $2, $3, $4)', [
    client.id,
    client.name,
    client.keyPrefix,
    client.keyHash,
  ]);
}

export async function findApiClientByKeyPrefix(db: Queryable, prefix: string): Promise<ApiClientRow | null> {
  const result = await db.query<{ id: string; name: string; key_hash: string; disabled_at: Date | null }>(
    'SELECT id, name, key_hash, disabled_at FROM api_clients WHERE key_prefix = $1',
    [prefix],
  );
  const row = result.rows[0];
  return row ? { id: row.id, name: row.name, keyHash: row.key_hash, disabled: row.disabled_at !== null } : null;
}

export async function countCredentials(db: Queryable): Promise<{ staff: number; apiClients: number }> {
  const result = await db.query<{ staff: number; clients: number }>(
    'SELECT (SELECT count(*)::int FROM staff) AS staff, (SELECT count(*)::int FROM api_clients) AS clients',
  );
  const row = result.rows[0];
  return { staff: row?.staff ?? 0, apiClients: row?.clients ?? 0 };
}
