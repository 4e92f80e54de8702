import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/databases.js';
import { resolveCustomerContext } from './customers.js';

describe.each(['pglite', 'postgres'] as const)('customers on %s', (kind) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await test.drop();
  });

  const input = (address: string, conversationKey = `conversation-${address}`) => ({
    channel: 'api',
    address,
    displayName: 'Li Wei',
    conversationKey,
    complaintId: randomUUID(),
  });

  it('creates a customer and conversation once, then finds them again', async () => {
    const address = `customer-${randomUUID()}`;
    const first = await test.database.transaction((tx) => resolveCustomerContext(tx, input(address)));
    const second = await test.database.transaction((tx) => resolveCustomerContext(tx, input(address)));
    expect(second.customerId).toBe(first.customerId);
    expect(second.conversationId).toBe(first.conversationId);
    expect(first.hasOpenComplaint).toBe(false);
    const other = await test.database.transaction((tx) => resolveCustomerContext(tx, input(address, 'another-thread')));
    expect(other.customerId).toBe(first.customerId);
    expect(other.conversationId).not.toBe(first.conversationId);
  });

  it('links phone and e-mail identities to the customer, leaving an address owned by another customer alone', async () => {
    const phone = `+86138${Math.floor(Math.random() * 1e8)}`;
    const first = await test.database.transaction((tx) =>
      resolveCustomerContext(tx, { ...input(`customer-${randomUUID()}`), otherIdentities: [{ channel: 'phone', address: phone }] }),
    );
    const second = await test.database.transaction((tx) =>
      resolveCustomerContext(tx, { ...input(`customer-${randomUUID()}`), otherIdentities: [{ channel: 'phone', address: phone }, { channel: 'email', address: 'x@example.org' }] }),
    );
    const owners = await test.database.query<{ channel: string; customer_id: string }>(
      `SELECT channel, customer_id FROM customer_identities WHERE (channel, address) IN (('phone', $1), ('email', 'x@example.org')) ORDER BY channel`,
      [phone],
    );
    expect(owners.rows).toEqual([
      { channel: 'email', customer_id: second.customerId },
      { channel: 'phone', customer_id: first.customerId },
    ]);
  });

  it('is one customer across channels whose sender id is the same phone number (SMS, then WhatsApp), and only then', async () => {
    const digits = `86139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const phone = { channel: 'phone', address: `+${digits}` };
    const sms = await test.database.transaction((tx) =>
      resolveCustomerContext(tx, { channel: 'sms', address: `+${digits}`, displayName: null, conversationKey: `+${digits}`, complaintId: randomUUID(), otherIdentities: [phone], linkVia: [phone] }),
    );
    const whatsapp = await test.database.transaction((tx) =>
      resolveCustomerContext(tx, { channel: 'whatsapp', address: digits, displayName: 'Wei', conversationKey: digits, complaintId: randomUUID(), otherIdentities: [phone], linkVia: [phone] }),
    );
    expect(whatsapp.customerId).toBe(sms.customerId);
    expect(whatsapp.conversationId).not.toBe(sms.conversationId);
    // The WhatsApp identity now belongs to that customer: the next message finds it directly.
    const again = await test.database.transaction((tx) =>
      resolveCustomerContext(tx, { channel: 'whatsapp', address: digits, displayName: null, conversationKey: digits, complaintId: randomUUID() }),
    );
    expect(again.customerId).toBe(sms.customerId);
    // An app user who merely gives the same number is not linked to them (see the test above).
    const app = await test.database.transaction((tx) => resolveCustomerContext(tx, { ...input(`customer-${randomUUID()}`), otherIdentities: [phone] }));
    expect(app.customerId).not.toBe(sms.customerId);
  });

  it('reports an open complaint of the same customer, but not a closed one or the complaint itself', async () => {
    const address = `customer-${randomUUID()}`;
    const context = await test.database.transaction((tx) => resolveCustomerContext(tx, input(address)));
    const complaintId = randomUUID();
    await test.database.query(
      `INSERT INTO complaints (id, reference, stage, channel, received_at, customer_id) VALUES ($1, $2, 'registered', 'api', now(), $3)`,
      [complaintId, `CMP-2026-9${Math.floor(Math.random() * 1e8)}`, context.customerId],
    );
    const same = await test.database.transaction((tx) => resolveCustomerContext(tx, { ...input(address), complaintId }));
    expect(same.hasOpenComplaint).toBe(false);
    const next = await test.database.transaction((tx) => resolveCustomerContext(tx, input(address)));
    expect(next.hasOpenComplaint).toBe(true);
    await test.database.query(`UPDATE complaints SET stage = 'closed' WHERE id = $1`, [complaintId]);
    expect((await test.database.transaction((tx) => resolveCustomerContext(tx, input(address)))).hasOpenComplaint).toBe(false);
  });

  it('gives concurrent first messages of one customer one customer row', async () => {
    const address = `customer-${randomUUID()}`;
    const contexts = await Promise.all(
      Array.from({ length: 8 }, () => test.database.transaction((tx) => resolveCustomerContext(tx, input(address)))),
    );
    expect(new Set(contexts.map((context) => context.customerId)).size).toBe(1);
    const rows = await test.database.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM customers WHERE id NOT IN (SELECT customer_id FROM customer_identities)`,
    );
    expect(rows.rows[0]?.n).toBe(0);
  });
});
