/**
 * Parts of messages that arrive in pieces (concatenated SMS), until they are joined (migration 0004). A group row
 * is the lock that serialises the parts of one message across processes: `lockWaitingPartGroup` creates or
 * locks it, so the transaction that stores the last part sees every earlier one. Redelivered parts are stored
 * once (unique channel message id); the joined message itself goes into `messages` (inbound-messages.ts).
 */
import type { Queryable } from './database.js';

/** A group still waiting for parts. */
export interface WaitingPartGroup {
  id: string;
  channel: string;
  groupKey: string;
  total: number;
}

export interface StoredMessagePart {
  id: string;
  index: number;
  channelMessageId: string;
  receivedAt: Date;
  /** The part as intake stored it (cleared once the group is joined). */
  message: unknown;
}

/** A part seen before, and what became of its group. */
export interface KnownMessagePart {
  partId: string;
  groupId: string;
  /** The joined message, once the group is complete or handed over. */
  joinedMessageId: string | null;
  complaintId: string | null;
  reference: string | null;
}

export async function findMessagePart(db: Queryable, channel: string, channelMessageId: string): Promise<KnownMessagePart | null> {
  const result = await db.query<{ id: string; group_id: string; message_id: string | null; complaint_id: string | null; reference: string | null }>(
    `SELECT p.id, p.group_id, g.message_id, m.complaint_id, c.reference
     FROM message_parts p JOIN message_part_groups g ON g.id = p.group_id
     LEFT JOIN messages m ON m.id = g.message_id
     LEFT JOIN complaints c ON c.id = m.complaint_id
     WHERE p.channel = $1 AND p.channel_message_id = $2`,
    [channel, channelMessageId],
  );
  const row = result.rows[0];
  return row
    ? { partId: row.id, groupId: row.group_id, joinedMessageId: row.message_id, complaintId: row.complaint_id, reference: row.reference }
    : null;
}

/**
 * The waiting group of (channel, key), created with `id` when there is none, and locked until the transaction
 * ends: a concurrent part of the same group waits here, then sees this transaction's part.
 */
export async function lockWaitingPartGroup(
  tx: Queryable,
  group: { id: string; channel: string; groupKey: string; total: number; at: Date },
): Promise<WaitingPartGroup> {
  const result = await tx.query<{ id: string; total: number }>(
    `INSERT INTO message_part_groups (id, channel, group_key, total, opened_at, last_part_at)
     VALUES ($1, $2, $3, $4, $5, $5)
     ON CONFLICT (channel, group_key) WHERE completed_at IS NULL
     DO UPDATE SET last_part_at = GREATEST(message_part_groups.last_part_at, EXCLUDED.last_part_at)
     RETURNING id, total`,
    [group.id, group.channel, group.groupKey, group.total, group.at],
  );
  const row = result.rows[0];
  if (!row) throw new Error('message part group upsert returned no row');
  return { id: row.id, channel: group.channel, groupKey: group.groupKey, total: row.total };
}

/** The stored parts of a group, in order. */
export async function listMessageParts(tx: Queryable, groupId: string): Promise<StoredMessagePart[]> {
  const result = await tx.query<{ id: string; part_index: number; channel_message_id: string; received_at: Date; message: unknown }>(
    `SELECT id, part_index, channel_message_id, received_at, message FROM message_parts WHERE group_id = $1 ORDER BY part_index`,
    [groupId],
  );
  return result.rows.map((row) => ({
    id: row.id,
    index: row.part_index,
    channelMessageId: row.channel_message_id,
    receivedAt: row.received_at,
    message: row.message,
  }));
}

/** Stores a part; false when it is already stored (its channel message id, or its position in the group). */
export async function insertMessagePart(
  tx: Queryable,
  part: { id: string; groupId: string; channel: string; channelMessageId: string; index: number; receivedAt: Date; message: unknown },
): Promise<boolean> {
  const result = await tx.query(
    `INSERT INTO message_parts (id, group_id, channel, channel_message_id, part_index, received_at, message)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
    [part.id, part.groupId, part.channel, part.channelMessageId, part.index, part.receivedAt, JSON.stringify(part.message)],
  );
  return result.rowCount > 0;
}

/** Marks a group joined into `messageId` and clears its parts' copies (the joined message holds the text now). */
export async function completePartGroup(tx: Queryable, groupId: string, outcome: { messageId: string; at: Date; incomplete: boolean }): Promise<void> {
  await tx.query(`UPDATE message_part_groups SET completed_at = $2, message_id = $3, incomplete = $4 WHERE id = $1`, [
    groupId,
    outcome.at,
    outcome.messageId,
    outcome.incomplete,
  ]);
  await tx.query(`UPDATE message_parts SET message = NULL WHERE group_id = $1`, [groupId]);
}

/** Waiting groups whose latest part arrived before `before`, oldest first. */
export async function listStalePartGroups(db: Queryable, options: { before: Date; limit: number }): Promise<string[]> {
  const result = await db.query<{ id: string }>(
    `SELECT id FROM message_part_groups WHERE completed_at IS NULL AND last_part_at < $1 ORDER BY last_part_at LIMIT $2`,
    [options.before, options.limit],
  );
  return result.rows.map((row) => row.id);
}

/** Locks a group that is still waiting and still stale; null when another process has it or a part just came in. */
export async function lockStalePartGroup(tx: Queryable, groupId: string, before: Date): Promise<WaitingPartGroup | null> {
  const result = await tx.query<{ id: string; channel: string; group_key: string; total: number }>(
    `SELECT id, channel, group_key, total FROM message_part_groups
     WHERE id = $1 AND completed_at IS NULL AND last_part_at < $2
     FOR UPDATE SKIP LOCKED`,
    [groupId, before],
  );
  const row = result.rows[0];
  return row ? { id: row.id, channel: row.channel, groupKey: row.group_key, total: row.total } : null;
}
