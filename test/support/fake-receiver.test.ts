import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reply, startFakeReceiver, type FakeReceiver } from './fake-receiver.js';

describe('fake receiver', () => {
  let receiver: FakeReceiver;
  beforeAll(async () => {
    receiver = await startFakeReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });

  it('records requests and answers from its script, then the fallback', async () => {
    receiver.enqueue(reply.rateLimited(7), reply.status(201, 'created', { 'x-vendor-id': 'v-1' }));
    const first = await fetch(`${receiver.url}/hook?a=1`, { method: 'POST', body: '{"n":1}', headers: { 'content-type': 'application/json', 'x-test': 'yes' } });
    expect([first.status, first.headers.get('retry-after')]).toEqual([429, '7']);
    const second = await fetch(`${receiver.url}/hook`, { method: 'PUT', body: 'plain' });
    expect([second.status, second.headers.get('x-vendor-id'), await second.text()]).toEqual([201, 'v-1', 'created']);
    const third = await fetch(receiver.url);
    expect([third.status, await third.json()]).toEqual([200, { ok: true }]);
    expect(receiver.requests.map((request) => [request.method, request.path, request.json])).toEqual([
      ['POST', '/hook?a=1', { n: 1 }],
      ['PUT', '/hook', undefined],
      ['GET', '/', undefined],
    ]);
    expect(receiver.requests[0]?.headers['x-test']).toBe('yes');
    expect(receiver.requests[1]?.rawBody).toBe('plain');
  });

  it('hangs until the client gives up, and drops connections', async () => {
    receiver.enqueue(reply.hang(), reply.drop());
    await expect(fetch(receiver.url, { signal: AbortSignal.timeout(100) })).rejects.toThrow();
    await expect(fetch(receiver.url)).rejects.toThrow();
    receiver.setFallback(reply.serverError(503));
    expect((await fetch(receiver.url)).status).toBe(503);
  });

  it('waits for a number of requests, and says so when they do not come', async () => {
    const before = receiver.requests.length;
    const waiting = receiver.waitForRequests(before + 1, 2_000);
    void fetch(receiver.url).catch(() => undefined);
    expect((await waiting).length).toBeGreaterThanOrEqual(before + 1);
    await expect(receiver.waitForRequests(before + 100, 50)).rejects.toThrow(/requests after 50 ms/);
  });
});
