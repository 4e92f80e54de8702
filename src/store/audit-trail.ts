/**
 * The append-only, hash-chained audit trail of a complaint (`complaint_events`). Each event's hash covers its
 * content and the previous event's hash, so changing or removing a row breaks the chain from there on.
 * The database refuses UPDATE, DELETE and TRUNCATE on the table (trigger); {@link verifyChain} finds tampering
 * by anyone who bypasses that.
 */
import { canonicalJson, sha256Hex } from '../shared/index.js';
import type { Queryable } from './database.js';

export interface AuditEventInput {
  complaintId: string;
  type: string;
  /** `staff:<id>`, `channel:<name>`, `system:<component>`. */
  actor: string;
  data: Record<string, unknown>;
  at: Date;
}

export interface AuditEvent extends AuditEventInput {
  seq: number;
  prevHash: string | null;
  hash: string;
}

/** The last event of a chain (seq 0 and no hash for an empty one). */
export interface ChainHead {
  seq: number;
  hash: string | null;
}

export function hashEvent(event: Omit<AuditEvent, 'hash'>): string {
  return sha256Hex(
    canonicalJson({
      complaintId: event.complaintId,
      seq: event.seq,
      type: event.type,
      actor: event.actor,
      data: event.data,
      at: event.at.toISOString(),
      prevHash: event.prevHash,
    }),
  );
}

/** The first event of a new complaint (no read needed: used on the accept hot path). */
export function firstEvent(input: AuditEventInput): AuditEvent {
  const unhashed = { ...input, seq: 1, prevHash: null };
  return { ...unhashed, hash: hashEvent(unhashed) };
}

/**
 * Appends events to complaints' chains: one read of each chain head, then one multi-row INSERT. Call inside a
 * transaction that holds the complaint row lock (`SELECT … FOR UPDATE`), so two writers cannot fork a chain; the
 * (complaint_id, seq) key refuses a fork anyway.
 */
export async function appendEvents(
  tx: Queryable,
  inputs: readonly AuditEventInput[],
  /** Chain heads the caller already read under the same row lock (skips the read). */
  knownHeads?: ReadonlyMap<string, ChainHead>,
): Promise<AuditEvent[]> {
  if (inputs.length === 0) return [];
  const heads = new Map<string, ChainHead>(knownHeads);
  const unknown = [...new Set(inputs.map((input) => input.complaintId))].filter((id) => !heads.has(id));
  if (unknown.length > 0) {
    const last = await tx.query<{ complaint_id: string; seq: number; hash: string }>(
      `SELECT DISTINCT ON (complaint_id) complaint_id, seq, hash FROM complaint_events
       WHERE complaint_id = ANY($1::uuid[]) ORDER BY complaint_id, seq DESC`,
      [unknown],
    );
    for (const row of last.rows) heads.set(row.complaint_id, { seq: row.seq, hash: row.hash });
  }
  const appended: AuditEvent[] = [];
  for (const input of inputs) {
    const head = heads.get(input.complaintId) ?? { seq: 0, hash: null };
    const unhashed = { ...input, seq: head.seq + 1, prevHash: head.hash };
    const event = { ...unhashed, hash: hashEvent(unhashed) };
    heads.set(input.complaintId, { seq: event.seq, hash: event.hash });
    appended.push(event);
  }
  await tx.query(
    `INSERT INTO complaint_events (complaint_id, seq, type, actor, data, created_at, prev_hash, hash)
     SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::jsonb[], $6::timestamptz[], $7::text[], $8::text[])`,
    [
      appended.map((event) => event.complaintId),
      appended.map((event) => event.seq),
      appended.map((event) => event.type),
      appended.map((event) => event.actor),
      appended.map((event) => JSON.stringify(event.data)),
      appended.map((event) => event.at.toISOString()),
      appended.map((event) => event.prevHash),
      appended.map((event) => event.hash),
    ],
  );
  return appended;
}

/** A `complaint_events` row as selected with {@link EVENT_COLUMNS}. */
export interface EventRow {
  complaint_id: string;
  seq: number;
  type: string;
  actor: string;
  data: Record<string, unknown>;
  created_at: Date;
  prev_hash: string | null;
  hash: string;
}

export const EVENT_COLUMNS = 'complaint_id, seq, type, actor, data, created_at, prev_hash, hash';

export function eventFromRow(row: EventRow): AuditEvent {
  return {
    complaintId: row.complaint_id,
    seq: row.seq,
    type: row.type,
    actor: row.actor,
    data: row.data,
    at: row.created_at,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

export async function listEvents(db: Queryable, complaintId: string): Promise<AuditEvent[]> {
  const result = await db.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM complaint_events WHERE complaint_id = $1 ORDER BY seq`, [complaintId]);
  return result.rows.map(eventFromRow);
}

export type ChainVerdict = { ok: true; length: number } | { ok: false; brokenAtSeq: number; reason: string };

/** Recomputes the chain; names the first event whose content, order or link does not match. */
export function verifyChain(events: readonly AuditEvent[]): ChainVerdict {
  let previous: string | null = null;
  for (const [index, event] of events.entries()) {
    if (event.seq !== index + 1) return { ok: false, brokenAtSeq: index + 1, reason: 'sequence gap' };
    if (event.prevHash !== previous) return { ok: false, brokenAtSeq: event.seq, reason: 'link to previous event broken' };
    if (hashEvent(event) !== event.hash) return { ok: false, brokenAtSeq: event.seq, reason: 'content does not match hash' };
    previous = event.hash;
  }
  return { ok: true, length: events.length };
}
