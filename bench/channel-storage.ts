/**
 * What the database of one channels-bench run says once its workers drained: per channel, whether every message
 * answered 2xx is stored (the API channel by the `messageId` it answered, a webhook by the vendor's message id it
 * was sent with), how many inbound messages are still pending or failed, and what became of the replies Ombuds wrote
 * (sent, failed, or still queued / retrying — which would mean the fake vendor APIs did not answer as they should).
 * Waits, too, for the replies to be sent: the outbound queue runs after the inbound one.
 */
import pg from 'pg';
import type { ChannelName } from './channel-requests.js';

export interface ChannelStorage {
  channel: ChannelName;
  /** 2xx answers (warm-up included), and of those, ids not found in `messages`. */
  accepted: number;
  lost: number;
  /** Inbound rows of the channel; rows no 2xx answer named (in flight when the load generator stopped). */
  rows: number;
  unanswered: number;
  inbound: { processed: number; pending: number; failed: number };
  /** Outbound messages on the channel by status (acknowledgements, dialog questions, registrations …). */
  outbound: Record<string, number>;
}

const CHUNK = 10_000;

async function withClient<T>(databaseUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** `ids`: message ids (uuid) for the API channel, channel message ids for a webhook channel. */
export function checkChannelStorage(databaseUrl: string, channel: ChannelName, ids: readonly string[]): Promise<ChannelStorage> {
  return withClient(databaseUrl, async (client) => {
    let found = 0;
    for (let start = 0; start < ids.length; start += CHUNK) {
      const chunk = ids.slice(start, start + CHUNK);
      const result =
        channel === 'api'
          ? await client.query<{ n: string }>(`SELECT count(*) AS n FROM messages WHERE direction = 'inbound' AND channel = $1 AND id = ANY($2::uuid[])`, [channel, chunk])
          : await client.query<{ n: string }>(`SELECT count(*) AS n FROM messages WHERE direction = 'inbound' AND channel = $1 AND channel_message_id = ANY($2::text[])`, [channel, chunk]);
      found += Number(result.rows[0]?.n ?? 0);
    }
    const inbound = await client.query<{ rows: number; processed: number; pending: number; failed: number }>(
      `SELECT count(*)::int AS rows,
              count(*) FILTER (WHERE status = 'processed')::int AS processed,
              count(*) FILTER (WHERE status = 'pending')::int AS pending,
              count(*) FILTER (WHERE status = 'failed')::int AS failed
       FROM messages WHERE direction = 'inbound' AND channel = $1`,
      [channel],
    );
    const outbound = await client.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM messages WHERE direction = 'outbound' AND channel = $1 GROUP BY status ORDER BY status`,
      [channel],
    );
    const row = inbound.rows[0];
    const rows = row?.rows ?? 0;
    return {
      channel,
      accepted: ids.length,
      lost: new Set(ids).size - found,
      rows,
      unanswered: rows - found,
      inbound: { processed: row?.processed ?? 0, pending: row?.pending ?? 0, failed: row?.failed ?? 0 },
      outbound: Object.fromEntries(outbound.rows.map((entry) => [entry.status, entry.n])),
    };
  });
}

/** Outbound messages still to be delivered (queued, or waiting for a retry). */
export function unsentReplies(databaseUrl: string): Promise<{ unsent: number; retrying: number }> {
  return withClient(databaseUrl, async (client) => {
    const result = await client.query<{ unsent: number; retrying: number }>(
      `SELECT count(*) FILTER (WHERE status IN ('queued', 'retrying'))::int AS unsent, count(*) FILTER (WHERE status = 'retrying')::int AS retrying
       FROM messages WHERE direction = 'outbound'`,
    );
    return { unsent: result.rows[0]?.unsent ?? 0, retrying: result.rows[0]?.retrying ?? 0 };
  });
}

/**
 * Polls until no reply is queued or retrying, or until the count has not moved for `stallMs` (then returns what
 * is left).
 */
export async function waitForReplies(databaseUrl: string, stallMs: number): Promise<{ unsent: number; retrying: number; complete: boolean }> {
  let state = await unsentReplies(databaseUrl);
  let lastChange = Date.now();
  let last = state.unsent;
  while (state.unsent > 0) {
    if (Date.now() - lastChange > stallMs) return { ...state, complete: false };
    await new Promise((resolve) => setTimeout(resolve, 500));
    state = await unsentReplies(databaseUrl);
    if (state.unsent !== last) {
      last = state.unsent;
      lastChange = Date.now();
    }
  }
  return { ...state, complete: true };
}
