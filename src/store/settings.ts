/**
 * Deployment settings kept in the database (the identifier-hash secret, say): created once, then read by every
 * process, so all of them agree without configuration.
 */
import type { Queryable } from './database.js';

/** The value of `key`, created with `create()` when absent (the first writer wins under concurrency). */
export async function getOrCreateSetting(db: Queryable, key: string, create: () => string): Promise<string> {
  await db.query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, create()]);
  const result = await db.query<{ value: string }>('SELECT value FROM settings WHERE key = $1', [key]);
  const row = result.rows[0];
  if (!row) throw new Error(`setting ${key} missing after insert`);
  return row.value;
}
