/**
 * PostgreSQL through a `pg` Pool. Connection failures become StoreUnavailable (503, retryable), so an HTTP sender
 * retries and a job is retried with backoff.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { StoreUnavailable } from '../shared/errors.js';
import type { Database, Queryable, QueryResult } from './database.js';
import { isConnectionError } from './connection-errors.js';

export interface PostgresConfig {
  connectionString: string;
  maxConnections: number;
  /** Give up connecting after this long (ms), so a dead database answers 503 quickly. */
  connectTimeoutMs: number;
  /** Abort statements running longer than this (ms). */
  statementTimeoutMs: number;
}

// timestamptz → Date (the default), int8 → number where safe: counts and sequences stay below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

function wrap(error: unknown): unknown {
  return isConnectionError(error) ? new StoreUnavailable(error) : error;
}

/**
 * Statements with parameters run as named prepared statements: PostgreSQL parses and plans each once per
 * connection instead of on every call (our SQL is static text, so the set of names is small and fixed).
 */
const statementNames = new Map<string, string>();

function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (!name) {
    name = `ombuds_${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`;
    statementNames.set(sql, name);
  }
  return name;
}

async function run<Row>(client: pg.Pool | pg.PoolClient, sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
  try {
    const result =
      params === undefined || params.length === 0
        ? await client.query(sql)
        : await client.query({ name: statementName(sql), text: sql, values: params as unknown[] });
    return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
  } catch (error) {
    throw wrap(error);
  }
}

export function createPostgresDatabase(config: PostgresConfig): Database {
  const pool = new pg.Pool({
    connectionString: config.connectionString,
    max: config.maxConnections,
    connectionTimeoutMillis: config.connectTimeoutMs,
    statement_timeout: config.statementTimeoutMs,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);

  return {
    kind: 'postgres',
    parallelism: config.maxConnections,
    query: (sql, params) => run(pool, sql, params),
    async exec(sql) {
      await run(pool, sql);
    },
    async transaction(work) {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw wrap(error);
      }
      let broken = false;
      // A checked-out client that loses its connection between two statements (the transaction waiting on the
      // classifier, say) emits 'error' with no query to reject: without a listener that would crash the process.
      // The next statement fails instead, the transaction rolls back, and the client is discarded.
      const onError = () => {
        broken = true;
      };
      client.on('error', onError);
      const tx: Queryable = {
        query: (sql, params) => run(client, sql, params),
        exec: async (sql) => {
          await run(client, sql);
        },
      };
      try {
        await tx.query('BEGIN');
        const result = await work(tx);
        await tx.query('COMMIT');
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
        throw wrap(error);
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    },
    async ping() {
      await run(pool, 'SELECT 1');
    },
    async close() {
      await pool.end();
    },
  };
}
