import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeTwilio, twilioAnswer, type FakeTwilio } from '../../../test/support/fake-twilio.js';
import type { OutboundDelivery } from '../../contracts/handling.js';
import { createTwilioSmsSender, splitSmsText, withTypedOptions } from './send.js';

const ACCOUNT_SID = 'AC00000000000000000000000000000001';
const AUTH_TOKEN = 'feedfacefeedfacefeedfacefeedface';

function delivery(overrides: Partial<OutboundDelivery> = {}): OutboundDelivery {
  return {
    messageId: '6f1c1f3e-8a63-4c55-9a5e-1f2b3c4d5e6f',
    channel: 'sms_twilio',
    conversationKey: '+447700900123|+447700900999',
    replyAddress: '+447700900123|+447700900999',
    text: 'We have received your complaint.',
    quickReplies: [],
    complaintReference: 'CMP-2026-000001',
    purpose: 'acknowledgement',
    language: 'en',
    attempt: 1,
    ...overrides,
  };
}

describe('createTwilioSmsSender', () => {
  let fake: FakeTwilio;
  beforeAll(async () => {
    fake = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.calls.length = 0;
  });

  const sender = (overrides: { authToken?: string; timeoutMs?: number } = {}) =>
    createTwilioSmsSender({
      accountSid: ACCOUNT_SID,
      authToken: overrides.authToken ?? AUTH_TOKEN,
      apiRoot: fake.apiRoot,
      statusCallbackUrl: 'https://sms.bank.example/webhooks/sms/twilio',
      timeoutMs: overrides.timeoutMs ?? 2_000,
    });

  it('posts To, From, Body and the status callback with basic auth, and returns the message sid', async () => {
    const result = await sender().send(delivery());
    expect(result).toEqual({ ok: true, vendorMessageId: fake.sent()[0]?.sid });
    expect(fake.sent()[0]?.params).toEqual({
      To: '+447700900123',
      From: '+447700900999',
      Body: 'We have received your complaint.',
      StatusCallback: 'https://sms.bank.example/webhooks/sms/twilio',
    });
  });

  it('sends through the Messaging Service that received the message, and to a WhatsApp address', async () => {
    await sender().send(delivery({ replyAddress: 'whatsapp:+447700900123|MG0123456789abcdef0123456789abcdef' }));
    expect(fake.sent()[0]?.params).toMatchObject({ To: 'whatsapp:+447700900123', MessagingServiceSid: 'MG0123456789abcdef0123456789abcdef' });
    expect(fake.sent()[0]?.params.From).toBeUndefined();
  });

  it('lists quick replies as lines to type, and splits text over 1600 characters into several messages in order', async () => {
    await sender().send(delivery({ text: 'How satisfied are you?', quickReplies: [{ label: '1 - Very dissatisfied', value: '1' }, { label: 'Yes', value: 'yes' }] }));
    expect(fake.sent()[0]?.params.Body).toBe('How satisfied are you?\n1 - Very dissatisfied\nyes: Yes');
    fake.calls.length = 0;
    const long = `${'a'.repeat(1000)} ${'b'.repeat(1000)}`;
    const result = await sender().send(delivery({ text: long }));
    expect(fake.sent().map((call) => call.params.Body)).toEqual(['a'.repeat(1000), 'b'.repeat(1000)]);
    expect(result).toEqual({ ok: true, vendorMessageId: fake.sent()[1]?.sid });
    expect(splitSmsText('x'.repeat(3201))).toHaveLength(3);
    expect(withTypedOptions('Pick 1 - Very dissatisfied', [{ label: '1 - Very dissatisfied', value: '1' }])).toBe('Pick 1 - Very dissatisfied');
  });

  it('retries 500, 502 HTML and 429 (after Retry-After), timeouts and dropped connections', async () => {
    fake.script(twilioAnswer.serverError(500));
    expect(await sender().send(delivery())).toMatchObject({ ok: false, retryable: true, status: 500, error: expect.stringContaining('20500') as string });
    fake.script(twilioAnswer.badGatewayHtml());
    expect(await sender().send(delivery())).toMatchObject({ ok: false, retryable: true, status: 502 });
    fake.script(twilioAnswer.tooManyRequests(7));
    expect(await sender().send(delivery())).toMatchObject({ ok: false, retryable: true, status: 429, retryAfterMs: 7_000 });
    fake.script(twilioAnswer.hang());
    expect(await sender({ timeoutMs: 200 }).send(delivery())).toMatchObject({ ok: false, retryable: true, error: 'timed out after 200 ms' });
    fake.script(twilioAnswer.drop());
    expect(await sender().send(delivery())).toMatchObject({ ok: false, retryable: true });
  });

  it('gives up at once on an unsubscribed recipient, an invalid number and wrong credentials, never showing the token', async () => {
    fake.script(twilioAnswer.unsubscribed());
    expect(await sender().send(delivery())).toEqual({ ok: false, retryable: false, status: 400, error: 'Twilio HTTP 400 error 21610: Attempt to send to unsubscribed recipient' });
    fake.script(twilioAnswer.invalidNumber());
    expect(await sender().send(delivery())).toMatchObject({ ok: false, retryable: false, error: expect.stringContaining('21211') as string });
    const wrong = await sender({ authToken: '00000000000000000000000000000000' }).send(delivery());
    expect(wrong).toMatchObject({ ok: false, retryable: false, status: 401, error: expect.stringContaining('20003') as string });
    expect(JSON.stringify(wrong)).not.toContain('00000000000000000000000000000000');
  });

  it('refuses what it cannot send without calling Twilio', async () => {
    for (const replyAddress of ['+447700900123', 'not-a-number|+447700900999', '+447700900123|+44 7700', '']) {
      expect(await sender().send(delivery({ replyAddress }))).toMatchObject({ ok: false, retryable: false });
    }
    expect(await sender().send(delivery({ text: '  ' }))).toMatchObject({ ok: false, retryable: false });
    expect(fake.calls).toHaveLength(0);
  });

  it('fails a split message on the part that failed, naming it', async () => {
    fake.script(twilioAnswer.serverError(503));
    // The first part fails: nothing was sent.
    const result = await sender().send(delivery({ text: `${'a'.repeat(1000)} ${'b'.repeat(1000)}` }));
    expect(result).toMatchObject({ ok: false, retryable: true, error: expect.stringMatching(/^part 1 of 2: Twilio HTTP 503/) as string });
  });
});
