/**
 * Shared infrastructure the bench borrows and gives back: a throw-away PostgreSQL database per system (created on
 * the machine's server like test/support/databases.ts, dropped at the end) and the keys of one BullMQ prefix on
 * the shared Redis (deleted with SCAN + UNLINK of that prefix only, never FLUSHDB). Both names carry the bench's
 * process id, so that what a killed bench left behind can be told apart and swept (bench/sweep.ts).
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';

/** The server the bench creates its databases on (trust auth, as for the tests). */
export const ADMIN_DATABASE_URL =
  process.env.OMBUDS_BENCH_ADMIN_DATABASE_URL ?? process.env.OMBUDS_TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface ThrowawayDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** `ombuds_bench_<bench pid>_<label>_<random>`. */
export const DATABASE_NAME = /^ombuds_bench_(\d+)_[a-z]+_[0-9a-f]{8}$/;
/** `bench-<bench pid>-<label>-<random>`, then `:` and BullMQ's own key. */
export const PREFIX_OF_KEY = /^(bench-(\d+)-[a-z]+-[0-9a-f]{8}):/;

/** Creates an empty database (named as DATABASE_NAME says). */
export async function createThrowawayDatabase(label: string): Promise<ThrowawayDatabase> {
  const name = `ombuds_bench_${process.pid}_${label}_${randomBytes(4).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => dropDatabase(name),
  };
}

export async function dropDatabase(name: string): Promise<void> {
  if (!DATABASE_NAME.test(name)) throw new Error(`refusing to drop the database "${name}"`);
  await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/** The bench databases on the server (from any bench run, live or dead). */
export async function listBenchDatabases(): Promise<string[]> {
  const result = await withAdmin((client) => client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'ombuds\\_bench\\_%'`));
  return result.rows.map((row) => row.datname).filter((name) => DATABASE_NAME.test(name));
}

/** Flushes dirty pages now, so one system's writes are not checkpointed during the next system's measurement. */
export async function checkpoint(): Promise<void> {
  await withAdmin((client) => client.query('CHECKPOINT'));
}

/** A BullMQ prefix unique to this run (letters, digits and dashes only, so it is never a glob pattern). */
export function uniquePrefix(label: string): string {
  return `bench-${process.pid}-${label}-${randomBytes(4).toString('hex')}`;
}

/** The bench prefixes that have keys on the shared Redis (from any bench run, live or dead). */
export async function listBenchPrefixes(redisUrl: string): Promise<string[]> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  await redis.connect();
  const prefixes = new Set<string>();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', 'bench-*', 'COUNT', 1000);
      cursor = next;
      for (const key of keys) {
        const prefix = PREFIX_OF_KEY.exec(key)?.[1];
        if (prefix !== undefined) prefixes.add(prefix);
      }
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return [...prefixes];
}

/** Deletes every key under `<prefix>:`; returns how many. */
export async function deleteRedisPrefix(redisUrl: string, prefix: string): Promise<number> {
  if (!/^[A-Za-z0-9_-]+$/.test(prefix)) throw new Error(`refusing to delete keys of the prefix "${prefix}"`);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  await redis.connect();
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}
