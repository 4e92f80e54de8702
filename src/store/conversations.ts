/**
 * Conversations as the intake dialog needs them (decision 0010): the row locked for one turn, so two processes
 * never take turns of the same conversation at once; its dialog state saved in the same transaction; and the
 * conversations still mid-dialog, for the idle-timeout reconciler. The state is opaque JSON here; the dialog owns
 * its schema.
 */
import type { Queryable } from './database.js';

export interface LockedConversation {
  id: string;
  channel: string;
  conversationKey: string;
  customerId: string | null;
  /** The stored dialog state (`{}` for a conversation that never had a turn). */
  state: unknown;
  updatedAt: Date;
}

/** Locks a conversation for a dialog turn; null when there is none. */
export async function lockConversation(tx: Queryable, conversationId: string): Promise<LockedConversation | null> {
  const result = await tx.query<{ id: string; channel: string; conversation_key: string; customer_id: string | null; state: unknown; updated_at: Date }>(
    `SELECT id, channel, conversation_key, customer_id, state, updated_at FROM conversations WHERE id = $1 FOR UPDATE`,
    [conversationId],
  );
  const row = result.rows[0];
  return row
    ? { id: row.id, channel: row.channel, conversationKey: row.conversation_key, customerId: row.customer_id, state: row.state, updatedAt: row.updated_at }
    : null;
}

export async function saveConversationState(tx: Queryable, conversationId: string, state: unknown, at: Date): Promise<void> {
  await tx.query(`UPDATE conversations SET state = $2, updated_at = $3 WHERE id = $1`, [conversationId, JSON.stringify(state), at]);
}

/** Conversations whose dialog is in one of `phases` (keyset-paginated by id), with their last activity. */
export async function listConversationsInDialog(
  db: Queryable,
  options: { phases: readonly string[]; afterId?: string; limit: number },
): Promise<{ id: string; lastActivityAt: string | null }[]> {
  const result = await db.query<{ id: string; last_activity_at: string | null }>(
    `SELECT id, state->>'lastActivityAt' AS last_activity_at FROM conversations
     WHERE state->>'phase' = ANY($1::text[]) AND ($2::uuid IS NULL OR id > $2::uuid)
     ORDER BY id LIMIT $3`,
    [options.phases, options.afterId ?? null, options.limit],
  );
  return result.rows.map((row) => ({ id: row.id, lastActivityAt: row.last_activity_at }));
}
