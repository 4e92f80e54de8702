/**
 * Verifies the hash chains of every complaint's audit trail (`ombuds audit verify`): complaints in id order with
 * keyset pagination, one query for the events of each batch, {@link verifyChain} on each chain. Memory stays bounded
 * by the batch size whatever the size of the table.
 */
import { EVENT_COLUMNS, eventFromRow, verifyChain, type AuditEvent, type EventRow } from './audit-trail.js';
import type { Queryable } from './database.js';

export interface BrokenChain {
  complaintId: string;
  reference: string;
  /** The first event that does not verify. */
  seq: number;
  reason: string;
}

export interface ChainsVerification {
  complaints: number;
  events: number;
  /** Every broken chain, with its first broken link, in complaint id order. */
  broken: BrokenChain[];
}

export interface VerifyAllChainsOptions {
  /** Complaints per query (default 500). */
  batchSize?: number;
  /** Only this complaint (its id). */
  complaintId?: string;
  /** Called after each batch with the running totals. */
  onProgress?: (progress: { complaints: number; events: number; broken: number }) => void;
}

/**
 * Recomputes every chain. Every complaint is born with its `received` event in the same transaction, so a
 * complaint without events has lost its chain and is reported as broken at seq 1.
 */
export async function verifyAllChains(db: Queryable, options: VerifyAllChainsOptions = {}): Promise<ChainsVerification> {
  const batchSize = options.batchSize ?? 500;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a positive integer.');
  const totals: ChainsVerification = { complaints: 0, events: 0, broken: [] };
  let after: string | null = null;
  for (;;) {
    const batch: { rows: { id: string; reference: string }[] } = await db.query<{ id: string; reference: string }>(
      `SELECT id, reference FROM complaints
       WHERE ($1::uuid IS NULL OR id > $1::uuid) AND ($2::uuid IS NULL OR id = $2::uuid)
       ORDER BY id LIMIT $3`,
      [after, options.complaintId ?? null, batchSize],
    );
    if (batch.rows.length === 0) break;
    const events = await db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM complaint_events
       WHERE complaint_id = ANY($1::uuid[]) ORDER BY complaint_id, seq`,
      [batch.rows.map((row) => row.id)],
    );
    const chains = new Map<string, AuditEvent[]>();
    for (const row of events.rows) {
      const chain = chains.get(row.complaint_id);
      if (chain) chain.push(eventFromRow(row));
      else chains.set(row.complaint_id, [eventFromRow(row)]);
    }
    for (const complaint of batch.rows) {
      const chain = chains.get(complaint.id) ?? [];
      totals.complaints += 1;
      totals.events += chain.length;
      const verdict = chain.length === 0 ? { ok: false as const, brokenAtSeq: 1, reason: 'no events: the chain is missing' } : verifyChain(chain);
      if (!verdict.ok) totals.broken.push({ complaintId: complaint.id, reference: complaint.reference, seq: verdict.brokenAtSeq, reason: verdict.reason });
    }
    options.onProgress?.({ complaints: totals.complaints, events: totals.events, broken: totals.broken.length });
    const last = batch.rows.at(-1);
    if (!last || batch.rows.length < batchSize) break;
    after = last.id;
  }
  return totals;
}
