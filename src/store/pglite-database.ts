/**
 * Embedded PostgreSQL (PGlite, WebAssembly) in a data folder: the default when no DATABASE_URL is set, so that
 * `npm start` works on a fresh machine. One connection: transactions run one at a time (decision 0002).
 */
import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { OmbudsError } from '../shared/errors.js';
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

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

/**
 * PGlite has no server: two processes opening one folder would corrupt it. A lock file with our pid refuses a
 * second opener while the first is alive (a stale lock from a killed process is taken over).
 */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const lockPath = `${dataDir}.lock`;
  try {
    await writeFile(lockPath, String(process.pid), { flag: 'wx' });
  } catch (error) {
    if ((error as { code?: string }).code !== 'EEXIST') throw error;
    const holder = Number((await readFile(lockPath, 'utf8')).trim());
    if (Number.isInteger(holder) && holder !== process.pid && processAlive(holder)) {
      throw new OmbudsError(
        'STORE_LOCKED',
        `The embedded database in ${dataDir} is in use by process ${holder}. PGlite allows one process: stop it first, or set DATABASE_URL to use PostgreSQL.`,
        { httpStatus: 503 },
      );
    }
    await writeFile(lockPath, String(process.pid));
  }
  return async () => {
    await unlink(lockPath).catch(() => undefined);
  };
}

export async function createPgliteDatabase(config: PgliteConfig): Promise<Database> {
  let unlock = (): Promise<void> => Promise.resolve();
  if (!config.dataDir.startsWith('memory://')) {
    await mkdir(config.dataDir, { recursive: true });
    unlock = await lockDataDir(config.dataDir);
  }
  let db: PGlite;
  try {
    db = await PGlite.create(config.dataDir);
  } catch (error) {
    await unlock();
    throw error;
  }
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
      await unlock();
    },
  };
}
