/**
 * Customers, the identities that reach them (unique channel + address) and their conversations.
 */
import { randomUUID } from 'node:crypto';
import type { Queryable } from './database.js';

export interface IdentityInput {
  channel: string;
  address: string;
  displayName: string | null;
  language: string | null;
}

/** Finds the customer behind (channel, address), creating both when new. Safe under concurrency. */
export async function upsertCustomerByIdentity(tx: Queryable, identity: IdentityInput): Promise<string> {
  const existing = await tx.query<{ customer_id: string }>(
    'SELECT customer_id FROM customer_identities WHERE channel = $1 AND address = $2',
    [identity.channel, identity.address],
  );
  const found = existing.rows[0];
  if (found) {
    if (identity.displayName !== null || identity.language !== null) {
      await tx.query(
        `UPDATE customers SET display_name = COALESCE($2, display_name), language = COALESCE($3, language), updated_at = now()
         WHERE id = $1`,
        [found.customer_id, identity.displayName, identity.language],
      );
    }
    return found.customer_id;
  }
  const customerId = randomUUID();
  await tx.query('INSERT INTO customers (id, display_name, language) VALUES ($1, $2, $3)', [
    customerId,
    identity.displayName,
    identity.language,
  ]);
  const inserted = await tx.query<{ customer_id: string }>(
    `INSERT INTO customer_identities (id, customer_id, channel, address) VALUES ($1, $2, $3, $4)
     ON CONFLICT (channel, address) DO UPDATE SET channel = EXCLUDED.channel
     RETURNING customer_id`,
    [randomUUID(), customerId, identity.channel, identity.address],
  );
  const winner = inserted.rows[0]?.customer_id ?? customerId;
  if (winner !== customerId) await tx.query('DELETE FROM customers WHERE id = $1', [customerId]);
  return winner;
}

/** Adds another way of reaching a known customer (phone, e-mail); an address already owned by someone stays theirs. */
export async function addIdentity(tx: Queryable, customerId: string, channel: string, address: string): Promise<void> {
  await tx.query(
    `INSERT INTO customer_identities (id, customer_id, channel, address) VALUES ($1, $2, $3, $4)
     ON CONFLICT (channel, address) DO NOTHING`,
    [randomUUID(), customerId, channel, address],
  );
}

/** Whether the customer has another complaint that is registered and not closed. */
export async function hasOpenComplaint(db: Queryable, customerId: string, exceptComplaintId: string): Promise<boolean> {
  const result = await db.query(
    `SELECT 1 FROM complaints WHERE customer_id = $1 AND id <> $2 AND stage NOT IN ('intake', 'closed') LIMIT 1`,
    [customerId, exceptComplaintId],
  );
  return result.rowCount > 0;
}

/** The conversation for (channel, key), created when new; returns its id. */
export async function upsertConversation(
  tx: Queryable,
  conversation: { channel: string; conversationKey: string; customerId: string },
): Promise<string> {
  const result = await tx.query<{ id: string }>(
    `INSERT INTO conversations (id, channel, conversation_key, customer_id) VALUES ($1, $2, $3, $4)
     ON CONFLICT (channel, conversation_key) DO UPDATE SET updated_at = now(),
       customer_id = COALESCE(conversations.customer_id, EXCLUDED.customer_id)
     RETURNING id`,
    [randomUUID(), conversation.channel, conversation.conversationKey, conversation.customerId],
  );
  const row = result.rows[0];
  if (!row) throw new Error('conversation upsert returned no row');
  return row.id;
}

export interface CustomerContext {
  customerId: string;
  conversationId: string;
  /** Another complaint of this customer is registered and not closed. */
  hasOpenComplaint: boolean;
}

const RESOLVE_CONTEXT = `
WITH existing AS (
  -- The channel identity first; else an identity the channel vouches for as the sender's own (the sender id IS
  -- this phone number, on SMS and WhatsApp): one customer across channels.
  SELECT customer_id FROM (
    SELECT customer_id, 0 AS rank FROM customer_identities WHERE channel = $1 AND address = $2
    UNION ALL
    SELECT i.customer_id, 1 FROM customer_identities i JOIN unnest($12::text[], $13::text[]) AS t(channel, address)
      ON i.channel = t.channel AND i.address = t.address
  ) found ORDER BY rank LIMIT 1
), renamed AS (
  UPDATE customers SET display_name = $4, updated_at = now()
  WHERE $4::text IS NOT NULL AND id IN (SELECT customer_id FROM existing) AND display_name IS DISTINCT FROM $4
), created AS (
  INSERT INTO customers (id, display_name) SELECT $3, $4 WHERE NOT EXISTS (SELECT 1 FROM existing) RETURNING id
), identity AS (
  INSERT INTO customer_identities (id, customer_id, channel, address)
  SELECT $5, owner.id, $1, $2 FROM (SELECT id FROM created UNION ALL SELECT customer_id FROM existing) AS owner
  ON CONFLICT (channel, address) DO NOTHING
  RETURNING customer_id
), customer AS (
  SELECT customer_id FROM existing UNION ALL SELECT customer_id FROM identity WHERE NOT EXISTS (SELECT 1 FROM existing)
), conversation AS (
  INSERT INTO conversations (id, channel, conversation_key, customer_id)
  SELECT $6, $1, $7, customer_id FROM customer LIMIT 1
  ON CONFLICT (channel, conversation_key) DO UPDATE SET updated_at = now(),
    customer_id = COALESCE(conversations.customer_id, EXCLUDED.customer_id)
  RETURNING id
), other_identities AS (
  INSERT INTO customer_identities (id, customer_id, channel, address)
  SELECT gen_random_uuid(), (SELECT customer_id FROM customer LIMIT 1), t.channel, t.address
  FROM unnest($9::text[], $10::text[]) AS t(channel, address)
  WHERE EXISTS (SELECT 1 FROM customer)
  ON CONFLICT (channel, address) DO NOTHING
)
SELECT (SELECT customer_id FROM customer LIMIT 1) AS customer_id,
       (SELECT id FROM conversation) AS conversation_id,
       EXISTS (SELECT 1 FROM complaints c JOIN customer ON c.customer_id = customer.customer_id
               WHERE c.id <> $8 AND c.stage NOT IN ('intake', 'closed'))
       OR EXISTS (SELECT 1 FROM complaints c
               WHERE cardinality($11::text[]) > 0 AND c.identifier_hashes && $11::text[]
                 AND c.id <> $8 AND c.stage NOT IN ('intake', 'closed')) AS has_open`;

/**
 * The customer behind (channel, address) — created when new — their conversation for `conversationKey`, and
 * whether they already have an open complaint: one statement in the usual case. When a concurrent writer created
 * the same identity first, falls back to the step-by-step upserts.
 */
export async function resolveCustomerContext(
  tx: Queryable,
  input: {
    channel: string;
    address: string;
    displayName: string | null;
    conversationKey: string;
    complaintId: string;
    /** Other ways to reach the customer (phone, e-mail); an address someone else already owns stays theirs. */
    otherIdentities?: readonly { channel: string; address: string }[];
    /** Salted hashes of identifiers in the text: an open complaint carrying one of them is a repeat too. */
    identifierHashes?: readonly string[];
    /**
     * Identities the channel vouches for as the sender's own (an SMS or WhatsApp sender id is their phone number):
     * a customer who already owns one is this customer. Other identities only attach to the customer.
     */
    linkVia?: readonly { channel: string; address: string }[];
  },
): Promise<CustomerContext> {
  const others = input.otherIdentities ?? [];
  const newCustomerId = randomUUID();
  const result = await tx.query<{ customer_id: string | null; conversation_id: string | null; has_open: boolean }>(RESOLVE_CONTEXT, [
    input.channel,
    input.address,
    newCustomerId,
    input.displayName,
    randomUUID(),
    randomUUID(),
    input.conversationKey,
    input.complaintId,
    others.map((identity) => identity.channel),
    others.map((identity) => identity.address),
    input.identifierHashes ?? [],
    (input.linkVia ?? []).map((identity) => identity.channel),
    (input.linkVia ?? []).map((identity) => identity.address),
  ]);
  const row = result.rows[0];
  if (row?.customer_id && row.conversation_id) {
    return { customerId: row.customer_id, conversationId: row.conversation_id, hasOpenComplaint: row.has_open };
  }
  // Lost a race for the identity: our customers row (if any) is an orphan.
  await tx.query('DELETE FROM customers WHERE id = $1', [newCustomerId]);
  const customerId = await upsertCustomerByIdentity(tx, { channel: input.channel, address: input.address, displayName: input.displayName, language: null });
  const conversationId = await upsertConversation(tx, { channel: input.channel, conversationKey: input.conversationKey, customerId });
  for (const identity of others) await addIdentity(tx, customerId, identity.channel, identity.address);
  const sharedIdentifier =
    (input.identifierHashes?.length ?? 0) > 0 &&
    (
      await tx.query(
        `SELECT 1 FROM complaints WHERE identifier_hashes && $1::text[] AND id <> $2 AND stage NOT IN ('intake', 'closed') LIMIT 1`,
        [input.identifierHashes, input.complaintId],
      )
    ).rowCount > 0;
  return { customerId, conversationId, hasOpenComplaint: sharedIdentifier || (await hasOpenComplaint(tx, customerId, input.complaintId)) };
}
