/**
 * The optional LLM layer wired into a running Ombuds (embedded configuration) against a local fake of the OpenAI
 * Chat Completions API: an answer adds what the offline layers missed (source `llm`) and only redacted text leaves;
 * a failing endpoint changes nothing but the metrics — the complaint is registered on the offline result.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { ComplaintView } from '../../src/contracts/index.js';
import { exampleClassificationAnswer, startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai.js';
import { startHarness, type Harness } from '../support/ombuds-harness.js';

// A Luhn-valid test card number and a phone number: neither may reach the LLM.
const TEXT = 'They keep charging my card 4111 1111 1111 1111 a monthly fee I never agreed to. Call me on +44 7700 900123. I will tell the newspapers.';

describe('LLM layer in a running Ombuds', () => {
  let fake: FakeOpenAi;
  let harness: Harness;
  let staffKey: string;

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    harness = await startHarness('embedded', { env: { OPENAI_BASE_URL: fake.baseURL, LLM_TIMEOUT_MS: '3000', LLM_BREAKER_FAILURES: '50' } });
    staffKey = (await harness.addStaff('llm-supervisor', 'supervisor', [])).key;
  });
  afterAll(async () => {
    await harness.close();
    await fake.close();
  });

  async function post(clientMessageId: string): Promise<string> {
    const response = await request(harness.ombuds.app)
      .post('/v1/messages')
      .set('Authorization', `Bearer ${harness.appKey}`)
      .send({ clientMessageId, sender: { id: `customer-${clientMessageId}` }, text: TEXT });
    expect(response.status).toBe(202);
    await harness.waitForIdle();
    const view = await request(harness.ombuds.app).get(`/v1/complaints/${response.body.complaintReference as string}`).set('Authorization', `Bearer ${staffKey}`);
    expect(view.status).toBe(200);
    return JSON.stringify(ComplaintView.parse(view.body).record);
  }

  it('merges an LLM answer and sends only redacted text', async () => {
    const answer = exampleClassificationAnswer();
    fake.enqueue({
      type: 'answer',
      body: { ...answer, issue: { value: 'fees_interest', confidence: 0.9, reason: 'a fee never agreed' }, flags: [{ flag: 'staff_misconduct', reason: 'test-only flag from the LLM' }] },
    });
    const record = JSON.parse(await post('llm-ok')) as { flags: string[]; flagReasons: { flag: string; source: string }[] };
    expect(record.flags).toContain('staff_misconduct');
    expect(record.flagReasons).toContainEqual(expect.objectContaining({ flag: 'staff_misconduct', source: 'llm' }));
    expect(fake.requests.length).toBeGreaterThanOrEqual(1);
    const sent = fake.sentText();
    expect(sent).toContain('••••1111');
    expect(sent.replace(/\s/g, '')).not.toContain('4111111111111111');
    expect(sent).not.toContain('7700 900123');
    const metrics = await request(harness.ombuds.app).get('/metrics');
    expect(metrics.text).toMatch(/ombuds_llm_calls_total\{outcome="ok"\} 1/);
  });

  it('registers the complaint on the offline result when the LLM fails', async () => {
    fake.enqueue({ type: 'server_error' }, { type: 'server_error' });
    const record = JSON.parse(await post('llm-500')) as { flagReasons: { source: string }[]; stage: string };
    expect(record.stage).toBe('registered');
    expect(record.flagReasons.every((reason) => reason.source !== 'llm')).toBe(true);
    const metrics = await request(harness.ombuds.app).get('/metrics');
    expect(metrics.text).toMatch(/ombuds_llm_calls_total\{outcome="server_error"\} 1/);
  });
});
