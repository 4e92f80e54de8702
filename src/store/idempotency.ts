/**
 * Idempotency keys of staff POSTs: the first answer to (staff, key) is kept with a hash of its request, in the same
 * transaction as the action it answers, so a repeat gets the same answer and never acts twice.
 */
import type { Queryable } from './database.js';

export interface StoredResponse {
  requestHash: string;
  statusCode: number;
  response: unknown;
}

export async function findIdempotentResponse(tx: Queryable, staffId: string, key: string): Promise<StoredResponse | null> {
  const result = await tx.query<{ request_hash: string; status_code: number; response: unknown }>(
    `SELECT request_hash, status_code, response FROM idempotency_keys WHERE staff_id = $1 AND key = $2`,
    [staffId, key],
  );
  const row = result.rows[0];
  return row ? { requestHash: row.request_hash, statusCode: row.status_code, response: row.response } : null;
}

export async function saveIdempotentResponse(
  tx: Queryable,
  entry: { staffId: string; key: string; requestHash: string; statusCode: number; response: unknown; at: Date },
): Promise<void> {
  await tx.query(
    `INSERT INTO idempotency_keys (staff_id, key, request_hash, status_code, response, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
    [entry.staffId, entry.key, entry.requestHash, entry.statusCode, JSON.stringify(entry.response), entry.at],
  );
}
