/**
 * The SQL seam: one small interface over `pg` (PostgreSQL) and PGlite (embedded), so the same SQL and the same
 * tests run on both (decision 0002). Repositories take a {@link Queryable}, which is either the database or an
 * open transaction.
 */
export interface QueryResult<Row> {
  rows: Row[];
  rowCount: number;
}

export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  /** How many transactions may usefully run at once (pool size; 1 for PGlite). */
  readonly parallelism: number;
  close(): Promise<void>;
}
