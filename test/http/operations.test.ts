/**
 * Operations surface: health and readiness, Prometheus metrics, the OpenAPI document and its reference page,
 * Bull Board behind staff authentication, and PII kept out of storage and logs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { startHarness, type Harness } from '../support/ombuds-harness.js';
import { readJsonFixture } from '../support/fixtures.js';

const body = readJsonFixture('api/api-1-zh-card-double-charge.json');
// A Luhn-valid test card number (Visa test range) and a CN mobile number, as a customer might paste them.
const CARD = '4111 1111 1111 1111';
const PHONE = '13912345678';

describe('operations (production configuration)', () => {
  let harness: Harness;
  let supervisorKey: string;
  let agentKey: string;

  beforeAll(async () => {
    harness = await startHarness('production');
    supervisorKey = (await harness.addStaff('ops-supervisor', 'supervisor', [])).key;
    agentKey = (await harness.addStaff('ops-agent', 'agent', ['cards'])).key;
  });
  afterAll(async () => {
    await harness.close();
  });

  it('answers /healthz and /readyz with both dependencies up', async () => {
    expect((await request(harness.ombuds.app).get('/healthz')).body).toEqual({ status: 'ok' });
    const ready = await request(harness.ombuds.app).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ database: { kind: 'postgres', status: 'ok' }, queue: { kind: 'bullmq', status: 'ok' } });
  });

  it('redacts card and phone numbers before storing (the phone kept only as a contact), and keeps them out of the logs', async () => {
    const text = `我的卡号是${CARD}，被重复扣款了，请打我电话${PHONE}联系我`;
    const response = await request(harness.ombuds.app)
      .post('/v1/messages')
      .set('Authorization', `Bearer ${harness.appKey}`)
      .send({ ...body, clientMessageId: 'pii-1', text });
    expect(response.status).toBe(202);
    await harness.waitForIdle();
    const stored = await harness.ombuds.database.query<{ text: string; record: string }>(
      `SELECT m.text, c.record::text AS record FROM messages m JOIN complaints c ON c.id = m.complaint_id WHERE m.id = $1`,
      [response.body.messageId],
    );
    const row = stored.rows[0];
    expect(row?.text).toContain('••••1111');
    // The phone the customer wrote is how to reach them: it is a contact on the record, and nowhere else.
    const record = JSON.parse(row?.record ?? '{}') as { description: string; summary: string; customer: { contacts: unknown[] } };
    expect(record.customer.contacts).toContainEqual({ type: 'phone', value: PHONE });
    const withoutContacts = JSON.stringify({ ...record, customer: { ...record.customer, contacts: [] } });
    for (const column of [row?.text ?? '', row?.record ?? '', withoutContacts]) {
      expect(column).not.toContain(CARD);
      expect(column.replace(/\s/g, '')).not.toContain('4111111111111111');
    }
    for (const column of [row?.text ?? '', withoutContacts]) expect(column).not.toContain(PHONE);
    const log = harness.logLines.join('');
    expect(log).not.toContain('4111');
    expect(log).not.toContain(PHONE);
    expect(log).not.toContain('重复扣款');
  });

  it('exposes Prometheus metrics: accepted, duplicates, rejections, queue depth, processing latency', async () => {
    await request(harness.ombuds.app).post('/v1/messages').set('Authorization', `Bearer ${harness.appKey}`).send({ ...body, clientMessageId: 'metrics-1' });
    await request(harness.ombuds.app).post('/v1/messages').set('Authorization', `Bearer ${harness.appKey}`).send({ ...body, clientMessageId: 'metrics-1' });
    await request(harness.ombuds.app).post('/v1/messages').set('Authorization', 'Bearer nope').send(body);
    await harness.waitForIdle();
    const metrics = await request(harness.ombuds.app).get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/ombuds_messages_accepted_total\{channel="api"\} [2-9]/);
    expect(metrics.text).toMatch(/ombuds_messages_duplicate_total\{channel="api"\} 1/);
    expect(metrics.text).toMatch(/ombuds_requests_rejected_total\{code="UNAUTHENTICATED",status="401"\} 1/);
    expect(metrics.text).toMatch(/ombuds_queue_jobs\{queue="intake",state="waiting"\} 0/);
    expect(metrics.text).toMatch(/ombuds_intake_processing_seconds_count\{channel="api"\} [2-9]/);
    expect(metrics.text).toMatch(/ombuds_intake_batch_size_count [1-9]/);
  });

  it('serves an OpenAPI 3.1 document generated from the contracts, and a browsable reference', async () => {
    const document = await request(harness.ombuds.app).get('/v1/openapi.json');
    expect(document.status).toBe(200);
    expect(document.body.openapi).toBe('3.1.0');
    expect(Object.keys(document.body.paths as object)).toEqual(
      expect.arrayContaining(['/v1/messages', '/v1/staff/queue', '/v1/staff/queue/claim', '/v1/complaints/{id}']),
    );
    const messageBody = document.body.components.schemas.ApiMessageBody;
    expect(messageBody.required).toEqual(expect.arrayContaining(['sender', 'text']));
    expect(messageBody.additionalProperties).toBe(false);

    const page = await request(harness.ombuds.app).get('/v1/docs');
    expect(page.status).toBe(200);
    expect(page.text).toContain('swagger-ui-bundle.js');
    const script = await request(harness.ombuds.app).get('/v1/docs/assets/swagger-ui-bundle.js');
    expect(script.status).toBe(200);
    expect(script.text.length).toBeGreaterThan(100_000);
  });

  it('mounts Bull Board at /admin/queues for supervisors only', async () => {
    expect((await request(harness.ombuds.app).get('/admin/queues')).status).toBe(401);
    expect((await request(harness.ombuds.app).get('/admin/queues').set('Authorization', `Bearer ${agentKey}`)).status).toBe(403);
    const page = await request(harness.ombuds.app).get('/admin/queues').set('Authorization', `Bearer ${supervisorKey}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html');
    const queues = await request(harness.ombuds.app).get('/admin/queues/api/queues').set('Authorization', `Bearer ${supervisorKey}`);
    expect(queues.status).toBe(200);
    expect((queues.body.queues as { name: string }[]).map((queue) => queue.name).sort()).toEqual(['dispatch', 'intake', 'outbound', 'timers']);
  });
});
