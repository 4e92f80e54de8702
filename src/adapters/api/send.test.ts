import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { reply, startFakeReceiver, type FakeReceiver } from '../../../test/support/fake-receiver.js';
import type { OutboundDelivery } from '../../contracts/index.js';
import { fixedClock } from '../../shared/clock.js';
import { createOutboundAddressGuard } from '../../shared/outbound-address-guard.js';
import { verifyBodySignature } from '../../shared/signing.js';
import { createApiCallbackSender, parseApiReplyAddress } from './send.js';

const AT = new Date('2026-12-01T08:00:00.000Z');
const APP = '0b9f3c52-9d0e-4c55-8a57-1f2d3c4b5a69';
const SECRET = 'whsec_test-secret';

function delivery(overrides: Partial<OutboundDelivery> = {}): OutboundDelivery {
  return {
    messageId: '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a',
    channel: 'api',
    conversationKey: `${APP}:conv:42`,
    replyAddress: `${APP}:conv:42`,
    text: '您的投诉已登记。',
    quickReplies: [{ label: '1', value: '1' }],
    complaintReference: 'CMP-2026-000042',
    purpose: 'acknowledgement',
    language: 'zh',
    attempt: 3,
    ...overrides,
  };
}

describe('API-channel callback sender', () => {
  let receiver: FakeReceiver;
  let callbacks: Map<string, { url: string; secret: string }>;
  beforeAll(async () => {
    receiver = await startFakeReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });
  beforeEach(() => {
    receiver.requests.length = 0;
    callbacks = new Map([[APP, { url: `${receiver.url}/ombuds/callback?x=1`, secret: SECRET }]]);
  });

  // The receiver listens on 127.0.0.1: allowed here, as OUTBOUND_ALLOW_PRIVATE_NETWORKS=true allows it.
  const addressGuard = createOutboundAddressGuard({ allowPrivateNetworks: true });
  const sender = (timeoutMs = 2_000) =>
    createApiCallbackSender({ callbackOf: (appId) => Promise.resolve(callbacks.get(appId) ?? null), timeoutMs, addressGuard, clock: fixedClock(AT) });

  it('splits reply addresses at the first colon', () => {
    expect(parseApiReplyAddress(`${APP}:a:b`)).toEqual({ appId: APP, conversationId: 'a:b' });
    expect(parseApiReplyAddress('no-colon')).toBeNull();
    expect(parseApiReplyAddress(':x')).toBeNull();
    expect(parseApiReplyAddress('app:')).toBeNull();
  });

  it('POSTs the signed message to the app callback', async () => {
    expect(sender().channel).toBe('api');
    expect(await sender().send(delivery())).toEqual({ ok: true });
    const [request] = receiver.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/ombuds/callback?x=1');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['ombuds-delivery']).toBe('5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a');
    expect(request?.headers['ombuds-attempt']).toBe('3');
    expect(request?.json).toEqual({
      type: 'message',
      messageId: '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a',
      conversationId: 'conv:42',
      complaintReference: 'CMP-2026-000042',
      purpose: 'acknowledgement',
      language: 'zh',
      text: '您的投诉已登记。',
      quickReplies: [{ label: '1', value: '1' }],
      sentAt: AT.toISOString(),
    });
    const signature = request?.headers['ombuds-signature'];
    expect(typeof signature).toBe('string');
    expect(verifyBodySignature(SECRET, request?.rawBody ?? '', signature as string, AT)).toBe(true);
    expect(verifyBodySignature('whsec_other', request?.rawBody ?? '', signature as string, AT)).toBe(false);
    expect(verifyBodySignature(SECRET, `${request?.rawBody ?? ''} `, signature as string, AT)).toBe(false);
  });

  it('classifies the receiver answers', async () => {
    receiver.enqueue(reply.rateLimited(3), reply.serverError(503), reply.badRequest(422), reply.drop());
    expect(await sender().send(delivery())).toEqual({ ok: false, retryable: true, status: 429, error: 'HTTP 429', retryAfterMs: 3000 });
    expect(await sender().send(delivery())).toEqual({ ok: false, retryable: true, status: 503, error: 'HTTP 503' });
    expect(await sender().send(delivery())).toEqual({ ok: false, retryable: false, status: 422, error: 'HTTP 422' });
    expect(await sender().send(delivery())).toMatchObject({ ok: false, retryable: true });
  });

  it('gives up on a receiver that hangs, retryably', async () => {
    receiver.enqueue(reply.hang());
    expect(await sender(200).send(delivery())).toEqual({ ok: false, retryable: true, error: 'timed out after 200 ms' });
  });

  it('waits (retryably) for an app without a callback, and refuses a reply address of another shape', async () => {
    callbacks.clear();
    expect(await sender().send(delivery())).toEqual({ ok: false, retryable: false, error: `no callback registered for app ${APP}` });
    expect(await sender().send(delivery({ replyAddress: 'customer-1' }))).toMatchObject({ ok: false, retryable: false });
    const failing = createApiCallbackSender({ callbackOf: () => Promise.reject(new Error('db down')), timeoutMs: 1000 });
    expect(await failing.send(delivery())).toEqual({ ok: false, retryable: true, error: 'callback lookup failed: db down' });
    expect(receiver.requests).toHaveLength(0);
  });

  it('refuses, permanently and without sending, a callback on a private address when no guard allows it (the default)', async () => {
    const strict = createApiCallbackSender({ callbackOf: (appId) => Promise.resolve(callbacks.get(appId) ?? null), timeoutMs: 2_000, clock: fixedClock(AT) });
    expect(await strict.send(delivery())).toEqual({ ok: false, retryable: false, error: expect.stringMatching(/^OUTBOUND_ADDRESS_NOT_PUBLIC: 127\.0\.0\.1 is not a public address/) });
    const resolvesToLoopback = createOutboundAddressGuard({ allowPrivateNetworks: false, resolve: () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]) });
    callbacks.set(APP, { url: `http://app.bank.example:${new URL(receiver.url).port}/cb`, secret: SECRET });
    const guarded = createApiCallbackSender({ callbackOf: (appId) => Promise.resolve(callbacks.get(appId) ?? null), timeoutMs: 2_000, addressGuard: resolvesToLoopback, clock: fixedClock(AT) });
    expect(await guarded.send(delivery())).toEqual({ ok: false, retryable: false, error: expect.stringMatching(/^OUTBOUND_ADDRESS_NOT_PUBLIC: app\.bank\.example resolves to 127\.0\.0\.1/) });
    expect(receiver.requests).toHaveLength(0);
  });
});
