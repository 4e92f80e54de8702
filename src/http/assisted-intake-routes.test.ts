/**
 * Assisted intake through a whole Ombuds (both configurations: PGlite + in-process queue, PostgreSQL + Redis): a
 * walk-in complaint back-dated ten days gets the regime's clocks from that date; bad dates and files are refused
 * with nothing stored; an Idempotency-Key repeat creates nothing twice; the same phone as an SMS customer is the
 * same customer; attachments are served as safe downloads to those who may see the complaint.
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssistedComplaintCreated, ComplaintAttachmentList, ComplaintView, type ComplaintRecord } from '../contracts/index.js';
import { computeClocks } from '../handling/index.js';
import { CONFIGURATIONS, startHarness, type Harness } from '../../test/support/ombuds-harness.js';

const DAY_MS = 86_400_000;
const TZ = 'Asia/Shanghai';
/** The smallest real PDF header, a JPEG's SOI marker and a PNG's signature, each followed by some bytes. */
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(64, 0x20)]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32, 1)]);

function complaint(overrides: Record<string, unknown> = {}) {
  return {
    channel: 'branch',
    receivedAt: new Date(Date.now() - 10 * DAY_MS).toISOString(),
    customer: { name: 'Li Wei', phone: '+86 138 0013 8000', language: 'en' },
    consent: { contact: true, dataProcessing: true },
    text: 'My credit card was charged twice for the same purchase of 300 yuan and the branch could not reverse it.',
    sourceReference: 'branch 0217',
    ...overrides,
  };
}

describe.each(CONFIGURATIONS)('POST /v1/complaints: assisted intake (%s)', (configuration) => {
  let harness: Harness;
  let agentKey: string;
  let supervisorKey: string;
  let outsiderKey: string;

  beforeAll(async () => {
    harness = await startHarness(configuration, { env: { TIMEZONE: TZ, ASSISTED_ATTACHMENT_MAX_BYTES: '2048', ASSISTED_INTAKE_BODY_LIMIT_BYTES: '65536' } });
    agentKey = (await harness.addStaff(`clerk-${configuration}`, 'agent', ['cards'])).key;
    supervisorKey = (await harness.addStaff(`assisted-supervisor-${configuration}`, 'supervisor', [])).key;
    outsiderKey = (await harness.addStaff(`mortgage-agent-${configuration}`, 'agent', ['mortgages'])).key;
  }, 60_000);
  afterAll(async () => {
    await harness.close();
  });

  const post = (body: unknown, key = agentKey) => request(harness.ombuds.app).post('/v1/complaints').set('Authorization', `Bearer ${key}`).send(body as object);
  const count = async (table: string) => (await harness.ombuds.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]?.n ?? 0;
  const counts = async () => ({ complaints: await count('complaints'), messages: await count('messages'), attachments: await count('complaint_attachments'), customers: await count('customers') });

  it('registers a walk-in complaint back-dated 10 days: an agent may, clocks start at receivedAt, the answer has reference and due date', async () => {
    const incidentDate = new Date(Date.now() - 12 * DAY_MS).toISOString().slice(0, 10);
    const body = complaint({ product: 'cards', amount: { value: 300, currency: 'CNY' }, incidentDate });
    const response = await post({ ...body, attachments: [{ name: 'letter.pdf', contentType: 'application/pdf', dataBase64: PDF.toString('base64') }] });
    expect(response.status).toBe(201);
    const created = AssistedComplaintCreated.parse(response.body);
    expect(created).toMatchObject({ stage: 'registered', team: 'cards', receivedAt: new Date(body.receivedAt).toISOString() });
    expect(created.reference).toMatch(/^CMP-\d{4}-\d{6}$/);
    expect(response.headers.location).toBe(`/v1/complaints/${created.id}`);

    const view = ComplaintView.parse((await request(harness.ombuds.app).get(`/v1/complaints/${created.id}`).set('Authorization', `Bearer ${agentKey}`)).body);
    const record = view.record as ComplaintRecord;
    // Deadlines computed from the complaint date by the regime's own rule, not from today.
    const expected = computeClocks({ regime: record.regime, receivedAt: new Date(body.receivedAt), timeZone: TZ, flags: record.flags, product: record.product });
    const mandatory = expected.filter((clock) => !clock.optional).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
    expect(created.dueAt).toBe(mandatory[0]?.dueAt.toISOString());
    const fromToday = computeClocks({ regime: record.regime, receivedAt: new Date(), timeZone: TZ, flags: record.flags, product: record.product }).filter((clock) => !clock.optional);
    expect(new Date(created.dueAt ?? 0).getTime()).toBeLessThan(Math.min(...fromToday.map((clock) => clock.dueAt.getTime())));
    const clocks = await harness.ombuds.database.query<{ starts_at: Date }>(`SELECT starts_at FROM complaint_deadlines WHERE complaint_id = $1`, [created.id]);
    expect(clocks.rows.length).toBe(expected.length);
    for (const clock of clocks.rows) expect(clock.starts_at.toISOString()).toBe(new Date(body.receivedAt).toISOString());

    // What staff gave wins and says so; the channel cannot be replied on, so the team is asked to acknowledge.
    expect(record.classification.product).toMatchObject({ value: 'cards', source: 'staff' });
    expect(record).toMatchObject({ channels: ['branch'], amount: { value: 300, currency: 'CNY' }, incidentDate });
    // The view masks contacts (decision 0014); the stored record has the number as identities store it.
    const stored = await harness.ombuds.database.query<{ record: ComplaintRecord }>(`SELECT record FROM complaints WHERE id = $1`, [created.id]);
    expect(stored.rows[0]?.record.customer.contacts).toContainEqual({ type: 'phone', value: '+8613800138000' });
    const types = view.events.map((event) => event.type);
    expect(types).toEqual(expect.arrayContaining(['received', 'assisted.recorded', 'classified', 'registered', 'acknowledgement.pending']));
    expect(view.events.find((event) => event.type === 'assisted.recorded')?.data).toMatchObject({ givenByStaff: ['product', 'amount', 'incidentDate'], consent: { contact: true } });
    const outbound = await harness.ombuds.database.query(`SELECT 1 FROM messages WHERE complaint_id = $1 AND direction = 'outbound'`, [created.id]);
    expect(outbound.rowCount).toBe(0);

    // The attachment: listed, served byte for byte as a sandboxed download; hidden from another team's agent.
    const [attachment] = created.attachments;
    expect(attachment).toMatchObject({ name: 'letter.pdf', contentType: 'application/pdf', size: PDF.length });
    const list = ComplaintAttachmentList.parse((await request(harness.ombuds.app).get(`/v1/complaints/${created.id}/attachments`).set('Authorization', `Bearer ${supervisorKey}`)).body);
    expect(list.items).toEqual(created.attachments);
    const file = await request(harness.ombuds.app)
      .get(`/v1/complaints/${created.id}/attachments/${attachment?.id ?? ''}`)
      .set('Authorization', `Bearer ${agentKey}`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
        });
        res.on('end', () => {
          done(null, Buffer.concat(chunks));
        });
      });
    expect(file.status).toBe(200);
    expect(Buffer.compare(file.body as Buffer, PDF)).toBe(0);
    expect(file.headers).toMatchObject({
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="letter.pdf"; filename*=UTF-8''letter.pdf`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': 'sandbox',
    });
    const hidden = await request(harness.ombuds.app).get(`/v1/complaints/${created.id}/attachments/${attachment?.id ?? ''}`).set('Authorization', `Bearer ${outsiderKey}`);
    expect(hidden.status).toBe(404);
    const unknown = await request(harness.ombuds.app).get(`/v1/complaints/${created.id}/attachments/${randomUUID()}`).set('Authorization', `Bearer ${agentKey}`);
    expect(unknown.status).toBe(404);
    const garbage = await request(harness.ombuds.app).get(`/v1/complaints/${created.id}/attachments/not-a-uuid`).set('Authorization', `Bearer ${agentKey}`);
    expect(garbage.status).toBe(404);
  });

  it('refuses a date in the future, one older than the limit, bad and oversized files, without storing anything', async () => {
    const before = await counts();
    const cases: [unknown, number, string][] = [
      [complaint({ receivedAt: new Date(Date.now() + 3_600_000).toISOString() }), 400, 'RECEIVED_AT_IN_FUTURE'],
      [complaint({ receivedAt: new Date(Date.now() - 400 * DAY_MS).toISOString() }), 400, 'RECEIVED_AT_TOO_OLD'],
      [complaint({ attachments: [{ name: 'scan.pdf', contentType: 'application/pdf', dataBase64: PNG.toString('base64') }] }), 400, 'ATTACHMENT_INVALID'],
      [complaint({ attachments: [{ name: 'a.png', contentType: 'image/png', dataBase64: PNG.toString('base64') }, { name: 'b.jpg', contentType: 'image/jpeg', dataBase64: 'not base64!' }] }), 400, 'ATTACHMENT_INVALID'],
      [complaint({ attachments: [{ name: 'big.pdf', contentType: 'application/pdf', dataBase64: Buffer.concat([PDF, Buffer.alloc(4096)]).toString('base64') }] }), 413, 'ATTACHMENT_TOO_LARGE'],
      [complaint({ text: 'x'.repeat(20_000), attachments: Array.from({ length: 10 }, () => ({ name: 'p.pdf', contentType: 'application/pdf', dataBase64: PDF.toString('base64').repeat(60) })) }), 413, 'PAYLOAD_TOO_LARGE'],
      [complaint({ consent: { contact: true, dataProcessing: false } }), 400, 'PAYLOAD_INVALID'],
      [complaint({ channel: 'telegram' }), 400, 'PAYLOAD_INVALID'],
      [complaint({ receivedAt: 'last tuesday' }), 400, 'PAYLOAD_INVALID'],
      [complaint({ receivedAt: new Date(Date.now() - 10 * DAY_MS).toISOString(), incidentDate: new Date(Date.now() - 2 * DAY_MS).toISOString().slice(0, 10) }), 400, 'INCIDENT_DATE_AFTER_RECEIPT'],
    ];
    for (const [body, status, code] of cases) {
      const response = await post(body);
      expect({ status: response.status, code: response.body.error?.code }).toEqual({ status, code });
    }
    const badKey = await post(complaint()).set('Idempotency-Key', 'has spaces');
    expect(badKey.status).toBe(400);
    expect(await counts()).toEqual(before);
    const anonymous = await request(harness.ombuds.app).post('/v1/complaints').send(complaint());
    expect(anonymous.status).toBe(401);
  });

  it('answers a repeated Idempotency-Key with the first answer and creates nothing twice; another body with it is 422', async () => {
    const body = complaint({ channel: 'letter', attachments: [{ name: 'page.png', contentType: 'image/png', dataBase64: PNG.toString('base64') }] });
    const first = await post(body).set('Idempotency-Key', `letter-${configuration}`);
    expect(first.status).toBe(201);
    const after = await counts();
    const again = await post(body).set('Idempotency-Key', `letter-${configuration}`);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await counts()).toEqual(after);
    const other = await post({ ...body, text: 'A different complaint altogether about my mortgage statement.' }).set('Idempotency-Key', `letter-${configuration}`);
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await counts()).toEqual(after);
  });

  it('finds the SMS customer with the same phone number, and keeps no contacts without consent to be contacted', async () => {
    const phone = '+8613900139000';
    await harness.ombuds.intake.accept({
      channel: 'sms_twilio',
      channelMessageId: `SM${randomUUID().replaceAll('-', '')}`,
      conversationKey: phone,
      sender: { id: phone, phone },
      sentAt: new Date(),
      receivedAt: new Date(),
      text: 'My debit card was blocked abroad and nobody answers the hotline.',
      attachments: [],
      replyAddress: phone,
      raw: {},
    });
    await harness.waitForIdle();
    const sms = await harness.ombuds.database.query<{ customer_id: string }>(`SELECT customer_id FROM complaints WHERE channel = 'sms_twilio' AND stage <> 'intake'`);
    expect(sms.rows.length).toBe(1);

    const response = await post(complaint({ channel: 'phone', customer: { name: 'Zhang Min', phone: '+86 139-0013-9000', language: 'zh' }, consent: { contact: false, dataProcessing: true } }));
    expect(response.status).toBe(201);
    const assisted = await harness.ombuds.database.query<{ customer_id: string; record: ComplaintRecord }>(`SELECT customer_id, record FROM complaints WHERE id = $1`, [response.body.id]);
    expect(assisted.rows[0]?.customer_id).toBe(sms.rows[0]?.customer_id);
    expect(assisted.rows[0]?.record.customer).toMatchObject({ contacts: [], language: 'zh' });
    const events = await harness.ombuds.database.query<{ type: string }>(`SELECT type FROM complaint_events WHERE complaint_id = $1`, [response.body.id]);
    expect(events.rows.map((event) => event.type)).toContain('acknowledgement.pending');
  });
});
