/**
 * Bad input on the API channel: every refusal is a 4xx with `{ error: { code, message } }`, and nothing is
 * written. Runs on both configurations.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { CONFIGURATIONS, startHarness, type Harness } from '../support/ombuds-harness.js';
import { readJsonFixture } from '../support/fixtures.js';

const valid = readJsonFixture('api/api-4-zh-app-crash.json');

describe.each(CONFIGURATIONS)('API channel bad input (%s)', (configuration) => {
  let harness: Harness;
  let staffKey: string;

  beforeAll(async () => {
    harness = await startHarness(configuration, { env: { BODY_LIMIT_BYTES: '4096' } });
    staffKey = (await harness.addStaff('staff-bad-input', 'agent', ['cards'])).key;
  });
  afterAll(async () => {
    await harness.close();
  });

  async function nothingWritten(): Promise<void> {
    const counts = await harness.ombuds.database.query<{ messages: number; complaints: number; events: number }>(
      `SELECT (SELECT count(*)::int FROM messages) AS messages, (SELECT count(*)::int FROM complaints) AS complaints,
              (SELECT count(*)::int FROM complaint_events) AS events`,
    );
    expect(counts.rows[0]).toEqual({ messages: 0, complaints: 0, events: 0 });
  }

  const post = () => request(harness.ombuds.app).post('/v1/messages').set('Authorization', `Bearer ${harness.appKey}`);

  it.each([
    ['malformed JSON', '{"sender": {"id": "x"}, "text": "unterminated', 400, 'PAYLOAD_MALFORMED'],
    ['a JSON array', '[1, 2, 3]', 400, 'PAYLOAD_INVALID'],
    ['a bare string', '"hello"', 400, 'PAYLOAD_MALFORMED'],
    ['missing text', JSON.stringify({ sender: { id: 'c1' } }), 400, 'PAYLOAD_INVALID'],
    ['missing sender', JSON.stringify({ text: 'my card was charged twice' }), 400, 'PAYLOAD_INVALID'],
    ['blank text', JSON.stringify({ sender: { id: 'c1' }, text: '   ' }), 400, 'PAYLOAD_INVALID'],
    ['wrong types', JSON.stringify({ sender: { id: 42 }, text: ['a'] }), 400, 'PAYLOAD_INVALID'],
    ['an unknown field', JSON.stringify({ ...valid, clientMessageId: 'u1', priority: 'vip' }), 400, 'PAYLOAD_INVALID'],
    ['an unknown nested field', JSON.stringify({ ...valid, clientMessageId: 'u2', sender: { id: 'c1', ssn: '1' } }), 400, 'PAYLOAD_INVALID'],
    ['a bad e-mail', JSON.stringify({ ...valid, clientMessageId: 'u3', sender: { id: 'c1', email: 'not-an-email' } }), 400, 'PAYLOAD_INVALID'],
    ['a bad sentAt', JSON.stringify({ ...valid, clientMessageId: 'u4', sentAt: 'yesterday' }), 400, 'PAYLOAD_INVALID'],
    ['a bad currency', JSON.stringify({ ...valid, clientMessageId: 'u5', fields: { amount: { value: 5, currency: 'yuan' } } }), 400, 'PAYLOAD_INVALID'],
  ])('refuses %s', async (_name, body, status, code) => {
    const response = await post().set('Content-Type', 'application/json').send(body);
    expect(response.status).toBe(status);
    expect(response.body.error.code).toBe(code);
    expect(typeof response.body.error.message).toBe('string');
    await nothingWritten();
  });

  it('lists what is wrong with a body that does not match the schema', async () => {
    const response = await post().send({ sender: { id: 42 }, text: 'x', extra: true });
    expect(response.status).toBe(400);
    const paths = (response.body.error.details as { path: string }[]).map((detail) => detail.path);
    expect(paths).toEqual(expect.arrayContaining(['sender.id']));
    await nothingWritten();
  });

  it('refuses a body over the limit with 413', async () => {
    const response = await post().send({ ...valid, clientMessageId: 'big', text: 'x'.repeat(5000) });
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    await nothingWritten();
  });

  it('refuses an oversized chunked body (no Content-Length) with 413', async () => {
    const server = harness.ombuds.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const result = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const outgoing = http.request(
        { host: '127.0.0.1', port, path: '/v1/messages', method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${harness.appKey}`, 'Transfer-Encoding': 'chunked' } },
        (incoming) => {
          let body = '';
          incoming.on('data', (chunk: Buffer) => (body += chunk.toString()));
          incoming.on('end', () => { resolve({ status: incoming.statusCode ?? 0, body }); });
        },
      );
      outgoing.on('error', reject);
      outgoing.write('{"sender":{"id":"c1"},"text":"');
      for (let index = 0; index < 10; index += 1) outgoing.write('y'.repeat(1000));
      outgoing.end('"}');
    });
    server.close();
    expect(result.status).toBe(413);
    expect(JSON.parse(result.body)).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    await nothingWritten();
  });

  it('refuses a body that is not JSON with 415', async () => {
    const response = await post().set('Content-Type', 'text/plain').send('my card was charged twice');
    expect(response.status).toBe(415);
    expect(response.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    await nothingWritten();
  });

  it.each([
    ['no Authorization header', undefined],
    ['a malformed header', 'Basic dXNlcjpwYXNz'],
    ['an unknown key', 'Bearer omb_app_AAAAAAAAAAAA_bm90LWEtcmVhbC1rZXktYnV0LWxvbmctZW5vdWdo'],
    ['a tampered key', 'tampered'],
    ['a staff key on the app channel', 'staff'],
  ])('refuses %s with 401', async (_name, header) => {
    let value = header;
    if (header === 'tampered') value = `Bearer ${harness.appKey.slice(0, -2)}xx`;
    if (header === 'staff') value = `Bearer ${staffKey}`;
    const pending = request(harness.ombuds.app).post('/v1/messages').set('Content-Type', 'application/json');
    const response = await (value ? pending.set('Authorization', value) : pending).send(JSON.stringify(valid));
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('UNAUTHENTICATED');
    await nothingWritten();
  });

  it('refuses staff routes without a staff key, and with an app key', async () => {
    const none = await request(harness.ombuds.app).get('/v1/staff/queue');
    expect(none.status).toBe(401);
    const app = await request(harness.ombuds.app).get('/v1/staff/queue').set('Authorization', `Bearer ${harness.appKey}`);
    expect(app.status).toBe(401);
    const badLimit = await request(harness.ombuds.app).get('/v1/staff/queue?limit=100000').set('Authorization', `Bearer ${staffKey}`);
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.error.code).toBe('PAYLOAD_INVALID');
    const unknown = await request(harness.ombuds.app).get('/v1/complaints/not-a-reference').set('Authorization', `Bearer ${staffKey}`);
    expect(unknown.status).toBe(404);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const response = await request(harness.ombuds.app).get('/v1/nothing-here');
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('ROUTE_NOT_FOUND');
  });

  it('stores API keys only as hashes', async () => {
    const rows = await harness.ombuds.database.query<{ key_hash: string }>('SELECT key_hash FROM api_clients UNION ALL SELECT key_hash FROM staff');
    for (const row of rows.rows) {
      expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.key_hash).not.toContain(harness.appKey);
    }
  });
});
