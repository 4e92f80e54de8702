/**
 * Embedded PostgreSQL (PGlite, WebAssembly) in a data folder: the default when no DATABASE_URL is set, so that
 * `npm start` works on a fresh machine. One connection: transactions run one at a time (decision 0002).
 */
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import type { Database, Queryable, QueryResult } from './database.js';

export interface PgliteConfig {
  /** Folder for the database files; `memory://` for a throw-away database. */
  dataDir: string;
}

async function run<Row>(client: Pick<PGlite, 'query'>, sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
  const result = await client.query<Row>(sql, params as unknown[] | undefined);
  // PGlite reports affectedRows 0 for a SELECT; pg's rowCount is the number of rows returned there.
  return { rows: result.rows, rowCount: result.rows.length > 0 ? result.rows.length : (result.affectedRows ?? 0) };
}

export async function createPgliteDatabase(config: PgliteConfig): Promise<Database> {
  if (!config.dataDir.startsWith('memory://')) await mkdir(config.dataDir, { recursive: true });
  const db = await PGlite.create(config.dataDir);
  return {
    kind: 'pglite',
    parallelism: 1,
    query: (sql, params) => run(db, sql, params),
    async exec(sql) {
      await db.exec(sql);
    },
    transaction: (work) =>
      db.transaction(async (transaction) => {
        const tx: Queryable = {
          query: (sql, params) => run(transaction, sql, params),
          exec: async (sql) => {
            await transaction.exec(sql);
          },
        };
        return work(tx);
      }),
    async ping() {
      await db.query('SELECT 1');
    },
    async close() {
      await db.close();
    },
  };
}
