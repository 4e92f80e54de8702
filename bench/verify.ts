/**
 * What the database says after a load: how many rows there are, whether every accepted message id is stored (no
 * message lost), and, for Ombuds, waiting until the workers have processed every stored message.
 */
import pg from 'pg';

async function withClient<T>(databaseUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface StorageCheck {
  /** Rows in the table. */
  rows: number;
  /** 2xx answers (warm-up included). */
  accepted: number;
  /** Accepted message ids not found in the table. */
  lost: number;
  /** Rows no 2xx answer named: requests still in flight when the load generator stopped (≤ connections per phase). */
  unanswered: number;
}

const CHUNK = 10_000;

/** `table` is a fixed identifier from the bench (`messages` or `baseline_messages`), never user input. */
export function checkStorage(databaseUrl: string, table: 'messages' | 'baseline_messages', acceptedIds: readonly string[]): Promise<StorageCheck> {
  return withClient(databaseUrl, async (client) => {
    const rows = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n ?? 0);
    let found = 0;
    for (let start = 0; start < acceptedIds.length; start += CHUNK) {
      const ids = acceptedIds.slice(start, start + CHUNK);
      const result = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE id = ANY($1::uuid[])`, [ids]);
      found += Number(result.rows[0]?.n ?? 0);
    }
    const distinct = new Set(acceptedIds).size;
    return { rows, accepted: acceptedIds.length, lost: distinct - found, unanswered: rows - found };
  });
}

export interface ProcessingProgress {
  processed: number;
  failed: number;
  pending: number;
  /** When the last message was processed (ms since the epoch), if any was. */
  lastProcessedAt: number | null;
}

export function processingProgress(databaseUrl: string): Promise<ProcessingProgress> {
  return withClient(databaseUrl, async (client) => {
    const result = await client.query<{ processed: string; failed: string; pending: string; last: Date | null }>(
      `SELECT count(*) FILTER (WHERE status = 'processed') AS processed,
              count(*) FILTER (WHERE status = 'failed') AS failed,
              count(*) FILTER (WHERE status = 'pending') AS pending,
              max(processed_at) AS last
       FROM messages WHERE direction = 'inbound'`,
    );
    const row = result.rows[0];
    return {
      processed: Number(row?.processed ?? 0),
      failed: Number(row?.failed ?? 0),
      pending: Number(row?.pending ?? 0),
      lastProcessedAt: row?.last ? row.last.getTime() : null,
    };
  });
}

export interface Drain extends ProcessingProgress {
  /** Every stored message processed or failed. */
  complete: boolean;
}

/**
 * Polls until no message is pending. Gives up when the processed count has not moved for `stallMs` (the workers
 * are stuck; the report says how many were left).
 */
export async function waitForProcessing(databaseUrl: string, stallMs: number, onProgress: (progress: ProcessingProgress) => void): Promise<Drain> {
  let progress = await processingProgress(databaseUrl);
  let lastChange = Date.now();
  let lastDone = progress.processed + progress.failed;
  let lastReport = 0;
  while (progress.pending > 0) {
    if (Date.now() - lastChange > stallMs) return { ...progress, complete: false };
    await new Promise((resolve) => setTimeout(resolve, 500));
    progress = await processingProgress(databaseUrl);
    const done = progress.processed + progress.failed;
    if (done !== lastDone) {
      lastDone = done;
      lastChange = Date.now();
    }
    if (Date.now() - lastReport > 5_000) {
      lastReport = Date.now();
      onProgress(progress);
    }
  }
  return { ...progress, complete: true };
}
