/**
 * Shared infrastructure the bench borrows and gives back: a throw-away PostgreSQL database per system (created on
 * the machine's server like test/support/databases.ts, dropped at the end) and the keys of one BullMQ prefix on
 * the shared Redis (deleted with SCAN + UNLINK of that prefix only, never FLUSHDB).
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

/** Creates an empty database named `ombuds_bench_<label>_<random>`. */
export async function createThrowawayDatabase(label: string): Promise<ThrowawayDatabase> {
  const name = `ombuds_bench_${label}_${randomBytes(4).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** Flushes dirty pages now, so one system's writes are not checkpointed during the next system's measurement. */
export async function checkpoint(): Promise<void> {
  await withAdmin((client) => client.query('CHECKPOINT'));
}

/** A BullMQ prefix unique to this run (letters, digits and dashes only, so it is never a glob pattern). */
export function uniquePrefix(label: string): string {
  return `bench-${label}-${randomBytes(4).toString('hex')}`;
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
