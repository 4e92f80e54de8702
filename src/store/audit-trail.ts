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

const INSERT_EVENT = `INSERT INTO complaint_events (complaint_id, seq, type, actor, data, created_at, prev_hash, hash)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`;

/**
 * Appends events to a complaint's chain. Call inside a transaction that holds the complaint row lock
 * (`SELECT … FOR UPDATE`), so two writers cannot fork the chain; the (complaint_id, seq) key refuses a fork anyway.
 */
export async function appendEvents(tx: Queryable, inputs: readonly AuditEventInput[]): Promise<AuditEvent[]> {
  const appended: AuditEvent[] = [];
  const heads = new Map<string, { seq: number; hash: string | null }>();
  for (const input of inputs) {
    let head = heads.get(input.complaintId);
    if (!head) {
      const last = await tx.query<{ seq: number; hash: string }>(
        'SELECT seq, hash FROM complaint_events WHERE complaint_id = $1 ORDER BY seq DESC LIMIT 1',
        [input.complaintId],
      );
      const row = last.rows[0];
      head = row ? { seq: row.seq, hash: row.hash } : { seq: 0, hash: null };
    }
    const unhashed = { ...input, seq: head.seq + 1, prevHash: head.hash };
    const event = { ...unhashed, hash: hashEvent(unhashed) };
    await tx.query(INSERT_EVENT, [
      event.complaintId,
      event.seq,
      event.type,
      event.actor,
      JSON.stringify(event.data),
      event.at,
      event.prevHash,
      event.hash,
    ]);
    heads.set(input.complaintId, { seq: event.seq, hash: event.hash });
    appended.push(event);
  }
  return appended;
}

interface EventRow {
  complaint_id: string;
  seq: number;
  type: string;
  actor: string;
  data: Record<string, unknown>;
  created_at: Date;
  prev_hash: string | null;
  hash: string;
}

export async function listEvents(db: Queryable, complaintId: string): Promise<AuditEvent[]> {
  const result = await db.query<EventRow>(
    'SELECT complaint_id, seq, type, actor, data, created_at, prev_hash, hash FROM complaint_events WHERE complaint_id = $1 ORDER BY seq',
    [complaintId],
  );
  return result.rows.map((row) => ({
    complaintId: row.complaint_id,
    seq: row.seq,
    type: row.type,
    actor: row.actor,
    data: row.data,
    at: row.created_at,
    prevHash: row.prev_hash,
    hash: row.hash,
  }));
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
