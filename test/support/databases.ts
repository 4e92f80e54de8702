/**
 * Test databases: a fresh PostgreSQL database per test file (created on the machine's server, dropped after), or a
 * fresh in-memory PGlite. Both migrated. The same suites run on both kinds.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPgliteDatabase } from '../../src/store/pglite-database.js';
import { createPostgresDatabase } from '../../src/store/postgres-database.js';
import { migrate } from '../../src/store/migrate.js';
import type { Database } from '../../src/store/database.js';

/** The server tests create their databases on (trust auth on the CI machine). */
export const ADMIN_DATABASE_URL = process.env.OMBUDS_TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type DatabaseKind = 'postgres' | 'pglite';

export interface TestDatabase {
  database: Database;
  /** Connection string (PostgreSQL only). */
  url: string | null;
  drop(): Promise<void>;
}

export function databaseUrlFor(name: string): string {
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates an empty, unmigrated PostgreSQL database and returns its URL and a dropper. */
export async function createEmptyPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `ombuds_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    url: databaseUrlFor(name),
    drop: async () => {
      const dropper = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const database = await createPgliteDatabase({ dataDir: 'memory://' });
    await migrate(database);
    return { database, url: null, drop: () => database.close() };
  }
  const empty = await createEmptyPostgresDatabase();
  const database = createPostgresDatabase({
    connectionString: empty.url,
    maxConnections: 10,
    connectTimeoutMs: 2_000,
    statementTimeoutMs: 10_000,
  });
  await migrate(database);
  return {
    database,
    url: empty.url,
    drop: async () => {
      await database.close();
      await empty.drop();
    },
  };
}
