import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { reply, startFakeReceiver, type FakeReceiver } from '../../test/support/fake-receiver.js';
import { postForDelivery, type DeliveryOptions } from './http-delivery.js';
import { createOutboundAddressGuard, type AddressResolver } from './outbound-address-guard.js';

const AT = new Date('2026-12-01T08:00:00.000Z');
const HOST = 'callbacks.bank.example';

describe('postForDelivery', () => {
  let receiver: FakeReceiver;
  let port: string;
  let resolved: string[];
  /** `callbacks.bank.example` → 127.0.0.1 (where the receiver listens), counting look-ups. */
  const toReceiver: AddressResolver = (hostname) => {
    resolved.push(hostname);
    return Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
  };
  const publicOnly = createOutboundAddressGuard({ allowPrivateNetworks: false, resolve: toReceiver });
  const privateAllowed = createOutboundAddressGuard({ allowPrivateNetworks: true, resolve: toReceiver });
  const post = (url: string, overrides: Partial<DeliveryOptions> = {}) =>
    postForDelivery(url, { body: '{"hello":"世界"}', headers: { 'content-type': 'application/json' }, timeoutMs: 2_000, now: () => AT, ...overrides });

  beforeAll(async () => {
    receiver = await startFakeReceiver();
    port = new URL(receiver.url).port;
  });
  afterAll(async () => {
    await receiver.close();
  });
  beforeEach(() => {
    receiver.requests.length = 0;
    receiver.setFallback(reply.ok());
    resolved = [];
  });

  it('refuses a name that resolves to 127.0.0.1 when private networks are not allowed: permanent, with the reason, nothing sent', async () => {
    const outcome = await post(`http://${HOST}:${port}/cb`, { guard: publicOnly });
    expect(outcome).toEqual({
      ok: false,
      retryable: false,
      error: expect.stringMatching(/^OUTBOUND_ADDRESS_NOT_PUBLIC: callbacks\.bank\.example resolves to 127\.0\.0\.1, which is not a public address/),
    });
    expect(resolved).toEqual([HOST]);
    expect(receiver.requests).toEqual([]);
  });

  it.each(['http://127.0.0.1:PORT/cb', 'http://localhost:PORT/cb', 'http://[::1]:PORT/cb', 'http://0x7f.1:PORT/cb'])(
    'refuses %s on its face when private networks are not allowed, before resolving or connecting',
    async (template) => {
      const outcome = await post(template.replace('PORT', port), { guard: publicOnly });
      expect(outcome).toMatchObject({ ok: false, retryable: false, error: expect.stringMatching(/^OUTBOUND_ADDRESS_NOT_PUBLIC: /) });
      expect(resolved).toEqual([]);
      expect(receiver.requests).toEqual([]);
    },
  );

  it('refuses localhost through the system resolver too (a guard that does not check the URL first still stops it)', async () => {
    const systemResolved = createOutboundAddressGuard({ allowPrivateNetworks: false });
    const outcome = await postForDelivery(`http://localhost:${port}/cb`, { body: '{}', headers: {}, timeoutMs: 2_000, guard: { ...systemResolved, refuseUrl: () => null } });
    expect(outcome).toMatchObject({ ok: false, retryable: false, error: expect.stringMatching(/^OUTBOUND_ADDRESS_NOT_PUBLIC: localhost resolves to /) });
    expect(receiver.requests).toEqual([]);
  });

  it('delivers to a name that resolves to 127.0.0.1 when private networks are allowed, connecting to the address it resolved', async () => {
    receiver.enqueue(reply.ok({ messageId: 'm-1' }));
    const outcome = await post(`http://${HOST}:${port}/cb?x=1`, { guard: privateAllowed });
    expect(outcome).toEqual({ ok: true, retryable: false, status: 200, body: '{"messageId":"m-1"}' });
    // callbacks.bank.example exists in no DNS: the request reached the receiver only through the guard's answer.
    expect(resolved).toEqual([HOST]);
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]).toMatchObject({ method: 'POST', path: '/cb?x=1', rawBody: '{"hello":"世界"}' });
    expect(receiver.requests[0]?.headers).toMatchObject({ host: `${HOST}:${port}`, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength('{"hello":"世界"}')) });
  });

  it('does not follow a redirect: a 3xx is a permanent failure and nothing goes to the Location', async () => {
    receiver.enqueue(reply.status(302, undefined, { location: `http://127.0.0.1:${port}/redirected` }));
    const outcome = await post(`http://${HOST}:${port}/cb`, { guard: privateAllowed });
    expect(outcome).toMatchObject({ ok: false, retryable: false, status: 302, error: 'HTTP 302' });
    expect(receiver.requests.map((request) => request.path)).toEqual(['/cb']);
  });

  it('classifies answers: 429 with Retry-After and 5xx retryable, other 4xx permanent, the body cut to 2 KB', async () => {
    receiver.enqueue(reply.rateLimited(30), reply.serverError(503), reply.status(404, { error: 'x'.repeat(5000) }));
    expect(await post(`${receiver.url}/cb`)).toMatchObject({ ok: false, retryable: true, status: 429, retryAfterMs: 30_000 });
    expect(await post(`${receiver.url}/cb`)).toMatchObject({ ok: false, retryable: true, status: 503 });
    const notFound = await post(`${receiver.url}/cb`);
    expect(notFound).toMatchObject({ ok: false, retryable: false, status: 404 });
    expect(notFound.body).toHaveLength(2048);
  });

  it('retries a timeout, a dropped connection and a name that does not resolve', async () => {
    receiver.enqueue(reply.hang(), reply.drop());
    expect(await post(`http://${HOST}:${port}/cb`, { guard: privateAllowed, timeoutMs: 200 })).toEqual({ ok: false, retryable: true, error: 'timed out after 200 ms' });
    expect(await post(`http://${HOST}:${port}/cb`, { guard: privateAllowed })).toMatchObject({ ok: false, retryable: true, error: expect.any(String) });
    const unresolvable = createOutboundAddressGuard({
      allowPrivateNetworks: false,
      resolve: () => Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${HOST}`), { code: 'ENOTFOUND' })),
    });
    expect(await post(`http://${HOST}:${port}/cb`, { guard: unresolvable })).toEqual({ ok: false, retryable: true, error: `getaddrinfo ENOTFOUND ${HOST}` });
  });

  it('fails a URL that is not http(s) or not a URL at all, permanently', async () => {
    expect(await post('ftp://callbacks.bank.example/cb')).toMatchObject({ ok: false, retryable: false });
    expect(await post('not a url')).toMatchObject({ ok: false, retryable: false });
  });
});
