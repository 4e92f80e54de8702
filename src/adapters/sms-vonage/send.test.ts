import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeVonage, vonageAnswer, type FakeVonage } from '../../../test/support/fake-vonage.js';
import type { OutboundDelivery } from '../../contracts/handling.js';
import { createVonageSmsSender, smsEncodingOf, splitVonageText } from './send.js';

const API_KEY = 'abcd1234';
const API_SECRET = 'Sup3rS3cretApiValue';

function delivery(overrides: Partial<OutboundDelivery> = {}): OutboundDelivery {
  return {
    messageId: '7a1c1f3e-8a63-4c55-9a5e-1f2b3c4d5e6f',
    channel: 'sms_vonage',
    conversationKey: '+447700900123|447700900999',
    replyAddress: '+447700900123|447700900999',
    text: 'We have received your complaint.',
    quickReplies: [],
    complaintReference: 'CMP-2026-000001',
    purpose: 'acknowledgement',
    language: 'en',
    attempt: 1,
    ...overrides,
  };
}

describe('createVonageSmsSender', () => {
  let fake: FakeVonage;
  beforeAll(async () => {
    fake = await startFakeVonage({ apiKey: API_KEY, apiSecret: API_SECRET });
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.calls.length = 0;
  });

  const sender = (overrides: { apiSecret?: string; timeoutMs?: number } = {}) =>
    createVonageSmsSender({ apiKey: API_KEY, apiSecret: overrides.apiSecret ?? API_SECRET, apiRoot: fake.apiRoot, timeoutMs: overrides.timeoutMs ?? 2_000 });

  it('posts from our number to the customer (no +), with our message id as client-ref, and returns the last part\'s id', async () => {
    const result = await sender().send(delivery());
    expect(fake.sent()[0]?.params).toEqual({
      api_key: API_KEY,
      api_secret: API_SECRET,
      from: '447700900999',
      to: '447700900123',
      text: 'We have received your complaint.',
      type: 'text',
      'client-ref': '7a1c1f3e-8a63-4c55-9a5e-1f2b3c4d5e6f',
    });
    expect(result).toEqual({ ok: true, vendorMessageId: fake.sent()[0]?.messageIds.at(-1) });
  });

  it('sends Chinese as unicode, and a text Vonage splits into parts as one request', async () => {
    await sender().send(delivery({ text: '我们已收到您的投诉，编号 CMP-2026-000001。' }));
    expect(fake.sent()[0]?.params.type).toBe('unicode');
    const long = 'x'.repeat(400);
    const result = await sender().send(delivery({ text: long }));
    expect(fake.sent()[1]?.messageIds).toHaveLength(3);
    expect(result).toEqual({ ok: true, vendorMessageId: fake.sent()[1]?.messageIds[2] });
    expect(smsEncodingOf('Hello {world} €5 [ok]')).toBe('text');
    expect(smsEncodingOf('Hello 👋')).toBe('unicode');
    expect(splitVonageText(`${'a'.repeat(1000)}\n${'b'.repeat(1000)}`)).toEqual(['a'.repeat(1000), 'b'.repeat(1000)]);
  });

  it('lists quick replies as lines to type back', async () => {
    await sender().send(delivery({ text: 'How satisfied are you?', quickReplies: [{ label: '5 - Very satisfied', value: '5' }] }));
    expect(fake.sent()[0]?.params.text).toBe('How satisfied are you?\n5 - Very satisfied');
  });

  it('retries HTTP 500 and 429 (after Retry-After), Vonage status 1 (throttled), timeouts and dropped connections', async () => {
    fake.script(vonageAnswer.serverError(500));
    expect(await sender().send(delivery())).toMatchObject({ ok: false, retryable: true, status: 500 });
    fake.script(vonageAnswer.tooManyRequests(3));
    expect(await sender().send(delivery())).toMatchObject({ ok: false, retryable: true, status: 429, retryAfterMs: 3_000 });
    fake.script(vonageAnswer.throttled());
    expect(await sender().send(delivery())).toMatchObject({ ok: false, retryable: true, error: 'Vonage status 1: Throttled' });
    fake.script(vonageAnswer.hang());
    expect(await sender({ timeoutMs: 200 }).send(delivery())).toMatchObject({ ok: false, retryable: true, error: 'timed out after 200 ms' });
    fake.script(vonageAnswer.drop());
    expect(await sender().send(delivery())).toMatchObject({ ok: false, retryable: true });
  });

  it('gives up at once on a barred or non-whitelisted number and on wrong credentials, never showing the secret', async () => {
    fake.script(vonageAnswer.nonWhitelisted());
    expect(await sender().send(delivery())).toMatchObject({ ok: false, retryable: false, error: 'Vonage status 29: Non White-listed Destination - rejected' });
    fake.script(vonageAnswer.barred());
    expect(await sender().send(delivery())).toMatchObject({ ok: false, retryable: false });
    const wrong = await sender({ apiSecret: 'WrongSecretValue123' }).send(delivery());
    expect(wrong).toMatchObject({ ok: false, retryable: false, error: 'Vonage status 4: Bad Credentials' });
    expect(JSON.stringify(wrong)).not.toContain('WrongSecretValue123');
  });

  it('refuses what it cannot send without calling Vonage', async () => {
    for (const replyAddress of ['+447700900123', 'abc|447700900999', '+447700900123|', '']) {
      expect(await sender().send(delivery({ replyAddress }))).toMatchObject({ ok: false, retryable: false });
    }
    expect(await sender().send(delivery({ text: '' }))).toMatchObject({ ok: false, retryable: false });
    expect(fake.calls).toHaveLength(0);
  });
});
