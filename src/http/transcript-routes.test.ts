import { readFileSync } from 'node:fs';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../../test/support/fixtures.js';
import { startHarness, type Harness } from '../../test/support/ombuds-harness.js';
import { TranscriptImportResponse } from '../contracts/index.js';

const PLAIN = readFileSync(fixturePath('transcripts/plain-text/zh-bank-hotline-2-plain.txt'));
const CONTACT_LENS = JSON.stringify(JSON.parse(readFileSync(fixturePath('transcripts/contact-lens/contact-lens-2-redacted.json'), 'utf8')));
const TRUNCATED = readFileSync(fixturePath('transcripts/contact-lens/contact-lens-1-original-as-published.json'));
const LIMIT = 64 * 1024;

describe('POST /v1/transcripts', () => {
  let harness: Harness;
  const keys: Record<'agent' | 'supervisor' | 'admin', string> = { agent: '', supervisor: '', admin: '' };

  beforeAll(async () => {
    harness = await startHarness('embedded', { env: { TRANSCRIPT_BODY_LIMIT_BYTES: String(LIMIT) } });
    for (const role of ['agent', 'supervisor', 'admin'] as const) keys[role] = (await harness.addStaff(`${role}-transcripts`, role, ['cards'])).key;
  });
  afterAll(async () => {
    await harness.close();
  });

  const post = (key: string | null) => {
    const call = request(harness.ombuds.app).post('/v1/transcripts');
    return key === null ? call : call.set('Authorization', `Bearer ${key}`);
  };

  it('refuses a missing key, an app key (401) and an agent (403), storing nothing', async () => {
    const before = await harness.ombuds.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages`);
    const anonymous = await post(null).type('text/plain').send(PLAIN);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    expect((await post(harness.appKey).type('text/plain').send(PLAIN)).status).toBe(401);
    const agent = await post(keys.agent).type('text/plain').send(PLAIN);
    expect(agent.status).toBe(403);
    expect(agent.body).toMatchObject({ error: { code: 'FORBIDDEN' } });
    const after = await harness.ombuds.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages`);
    expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
  });

  it('answers 400 PAYLOAD_EMPTY for an empty or blank body and 413 beyond the limit', async () => {
    const empty = await post(keys.admin).type('text/plain').send('');
    expect(empty.status).toBe(400);
    expect(empty.body).toMatchObject({ error: { code: 'PAYLOAD_EMPTY' } });
    expect((await post(keys.admin).type('text/plain').send(' \n\n ')).body).toMatchObject({ error: { code: 'PAYLOAD_EMPTY' } });
    const tooLarge = await post(keys.admin).type('text/plain').send(`Agent: hello\nCustomer: ${'x'.repeat(LIMIT)}`);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    expect((tooLarge.body as { error: { message: string } }).error.message).toContain(String(LIMIT));
  });

  it('imports one transcript of any format (200 with its reference), and answers a repeat as a duplicate', async () => {
    const first = await post(keys.supervisor).type('text/plain').send(PLAIN);
    expect(first.status).toBe(200);
    const answer = TranscriptImportResponse.parse(first.body);
    expect(answer.results).toEqual([{ index: 0, outcome: 'imported', messageId: expect.any(String) as string, reference: expect.stringMatching(/^CMP-\d{4}-\d{6}$/) as string }]);
    const again = TranscriptImportResponse.parse((await post(keys.admin).type('text/plain').send(PLAIN)).body);
    expect(again.results).toEqual([{ index: 0, outcome: 'duplicate', messageId: answer.results[0]?.messageId, reference: answer.results[0]?.reference }]);
    const stored = await harness.ombuds.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE channel = 'hotline' AND direction = 'inbound'`);
    expect(stored.rows[0]?.n).toBe(1);
  });

  it('answers each line of a JSONL body on its own: a bad line fails alone', async () => {
    const body = [CONTACT_LENS, '{"Transcript": [', '', JSON.stringify({ transcript: { sid: 'GT0000000000000000000000000000000c' }, sentences: [{ media_channel: 1, sentence_index: 0, start_time: 0, end_time: 1, transcript: 'Example Bank, how can I help?' }, { media_channel: 2, sentence_index: 1, start_time: 1, end_time: 3, transcript: 'My transfer never arrived.' }] })].join('\n');
    const response = await post(keys.admin).type('application/x-ndjson').send(body);
    expect(response.status).toBe(200);
    const { results } = TranscriptImportResponse.parse(response.body);
    expect(results.map((result) => [result.index, result.outcome])).toEqual([[0, 'imported'], [1, 'failed'], [2, 'imported']]);
    expect(results[1]?.error?.code).toBe('TRANSCRIPT_INVALID');
    expect(results[1]?.messageId).toBeUndefined();
  });

  it('reports a transcript Ombuds cannot read with its reason (truncated JSON), storing nothing', async () => {
    const response = await post(keys.admin).type('application/json').send(TRUNCATED);
    expect(response.status).toBe(200);
    const { results } = TranscriptImportResponse.parse(response.body);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ index: 0, outcome: 'failed', error: { code: 'TRANSCRIPT_INVALID' } });
    expect(results[0]?.error?.message).toMatch(/JSON/);
  });
});
