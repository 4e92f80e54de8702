/**
 * Starts a whole Ombuds in the test process on one of the two configurations — embedded (PGlite + in-process
 * queue) or production (PostgreSQL + BullMQ on Redis) — with its own database and queue prefix, an API-channel
 * app and staff accounts, and cleans all of it up afterwards.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { loadEnv } from '../../src/config/env.js';
import { createOmbuds, type Ombuds } from '../../src/main.js';
import { generateApiKey } from '../../src/shared/crypto.js';
import { createLogger } from '../../src/shared/logger.js';
import { insertApiClient, insertStaff } from '../../src/store/index.js';
import type { StaffRole } from '../../src/contracts/index.js';
import { createEmptyPostgresDatabase } from './databases.js';

export type Configuration = 'embedded' | 'production';
export const CONFIGURATIONS: Configuration[] = ['embedded', 'production'];
export const TEST_REDIS_URL = process.env.OMBUDS_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface Harness {
  ombuds: Ombuds;
  appKey: string;
  /** Every log line written, for asserting what logs never contain. */
  logLines: string[];
  addStaff(username: string, role: StaffRole, teams: string[]): Promise<{ id: string; key: string }>;
  /** Waits until every inbound message is processed (or failed). */
  waitForIdle(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function deleteRedisPrefix(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export interface HarnessOptions {
  http?: boolean;
  workers?: boolean;
  env?: Record<string, string>;
  /** Reuse an existing PostgreSQL database (production configuration). */
  databaseUrl?: string;
}

export async function startHarness(configuration: Configuration, options: HarnessOptions = {}): Promise<Harness> {
  const prefix = `test-${randomUUID()}`;
  const database = configuration === 'production' && !options.databaseUrl ? await createEmptyPostgresDatabase() : null;
  const databaseUrl = options.databaseUrl ?? database?.url;
  const env = loadEnv({
    LOG_LEVEL: 'info',
    QUEUE_BACKOFF_MS: '50',
    RECONCILE_INTERVAL_MS: '600000',
    // The fake receivers (a bank's app, a helpdesk) listen on 127.0.0.1; a test turns this off to see it refused.
    OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true',
    ...(configuration === 'production' ? { DATABASE_URL: databaseUrl ?? '', REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix } : { DATA_DIR: 'memory://' }),
    ...options.env,
  });
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = createLogger({ level: env.LOG_LEVEL }, sink);
  const ombuds = await createOmbuds({ env, http: options.http ?? true, workers: options.workers ?? true, logger });
  await ombuds.start();

  const app = generateApiKey('app');
  await insertApiClient(ombuds.database, { id: randomUUID(), name: `test-app-${prefix}`, keyPrefix: app.prefix, keyHash: app.hash });

  return {
    ombuds,
    appKey: app.key,
    logLines,
    async addStaff(username, role, teams) {
      const id = randomUUID();
      const key = generateApiKey('staff');
      await insertStaff(ombuds.database, { id, username, displayName: username, role, teams, keyPrefix: key.prefix, keyHash: key.hash });
      return { id, key: key.key };
    },
    async waitForIdle(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const pending = await ombuds.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE status = 'pending'`);
        if ((pending.rows[0]?.n ?? 0) === 0) return;
        if (Date.now() > deadline) throw new Error(`${pending.rows[0]?.n ?? '?'} messages still pending after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async close() {
      await ombuds.stop();
      if (configuration === 'production') await deleteRedisPrefix(TEST_REDIS_URL, prefix);
      await database?.drop();
    },
  };
}
