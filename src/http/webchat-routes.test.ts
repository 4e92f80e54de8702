/**
 * The web chat routes on their own express app (over real HTTP), with Ombuds' embedded harness behind them for
 * the database, intake and the workers: the page's security headers and framing, the widget and assets, the
 * session answer, the per-session message rate limit and stream cap, a stream that gets its reply by polling when
 * no signal ever arrives, a stream ended at the token's expiry; the OpenAPI document covering exactly the routes
 * mounted; and the channel switched off with WEBCHAT_ENABLED=false.
 */
import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settle } from '../../test/support/chat-driver.js';
import { startHarness, type Harness } from '../../test/support/ombuds-harness.js';
import { openEventStream, postFrame, say, startSession, type EventStream } from '../../test/support/webchat-client.js';
import { createWebChatAdapter } from '../adapters/webchat/index.js';
import { WebChatSessionStarted } from '../contracts/webchat.js';
import type { Broadcast } from '../queue/index.js';
import { systemClock } from '../shared/clock.js';
import { createErrorHandler, notFoundHandler } from './errors.js';
import { buildOpenApiDocument } from './openapi.js';
import { webChatRoutes, type WebChatRouteOptions } from './webchat-routes.js';

const SECRET = 'routes-webchat-session-secret-0123456789ab';
const ASSETS = new URL('../../web/chat/', import.meta.url);

/** A broadcast that takes every signal and never delivers one: only polling can bring news. */
const deafBroadcast: Broadcast = {
  kind: 'in-process',
  publish: () => Promise.resolve(),
  subscribe: () => ({ ready: Promise.resolve(), close: () => undefined }),
  close: () => Promise.resolve(),
};

interface Layer {
  route?: { path: unknown; methods: Record<string, boolean> };
}

describe('web chat routes', () => {
  let harness: Harness;
  const servers: Server[] = [];
  const streams: EventStream[] = [];

  beforeAll(async () => {
    harness = await startHarness('embedded', { env: { RETRY_BASE_MS: '10', RETRY_MAX_MS: '200' } });
  });
  afterAll(async () => {
    for (const stream of streams) stream.close();
    for (const server of servers) {
      server.closeAllConnections();
      server.close();
    }
    await harness.close();
  });

  function routeOptions(overrides: Partial<WebChatRouteOptions> & { sessionTtlMs?: number } = {}): WebChatRouteOptions {
    const { sessionTtlMs, ...rest } = overrides;
    return {
      adapter: createWebChatAdapter({ sessionSecret: SECRET, sessionTtlMs: sessionTtlMs ?? 3_600_000, clock: systemClock, publish: () => Promise.resolve() }),
      intake: harness.ombuds.intake,
      database: harness.ombuds.database,
      broadcast: deafBroadcast,
      clock: systemClock,
      logger: harness.ombuds.logger,
      assetsDirectory: ASSETS,
      allowedOrigins: [],
      pollIntervalMs: 600_000,
      ...rest,
    };
  }

  async function serve(overrides: Parameters<typeof routeOptions>[0] = {}): Promise<string> {
    const app = express();
    app.use(webChatRoutes(routeOptions(overrides)));
    app.use(notFoundHandler);
    app.use(createErrorHandler({ logger: harness.ombuds.logger, bodyLimitBytes: 1024 }));
    const server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => {
        resolve(listening);
      });
    });
    servers.push(server);
    const address = server.address();
    return `http://127.0.0.1:${String(typeof address === 'object' && address ? address.port : 0)}`;
  }

  it('serves the page under a strict CSP, framable only by Ombuds and the allowed origins', async () => {
    const baseUrl = await serve({ allowedOrigins: ['https://www.bank.example', 'https://app.bank.example:8443'] });
    const page = await fetch(`${baseUrl}/chat`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp.split('; ')).toEqual(
      expect.arrayContaining(["default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'self' https://www.bank.example https://app.bank.example:8443"]),
    );
    expect(csp).not.toContain('unsafe-inline');
    const html = await page.text();
    expect(html).toContain('role="log"');
    expect(html).not.toMatch(/<script>|style="/);
    const ownOnly = await fetch(`${await serve()}/chat`);
    expect(ownOnly.headers.get('content-security-policy')).toMatch(/; frame-ancestors 'self'$/);
  });

  it('serves the embeddable script to any origin, the page’s assets, and nothing outside the folder', async () => {
    const baseUrl = await serve();
    const widget = await fetch(`${baseUrl}/chat/widget.js`);
    expect(widget.status).toBe(200);
    expect(widget.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(widget.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(await widget.text()).toContain('ombuds-chat:close');
    for (const asset of ['chat.js', 'chat.css']) expect((await fetch(`${baseUrl}/chat/assets/${asset}`)).status).toBe(200);
    for (const escape of ['/chat/assets/../../package.json', '/chat/assets/%2e%2e/%2e%2e/package.json', '/chat/assets/.env']) {
      expect((await fetch(`${baseUrl}${escape}`)).status, escape).toBe(404);
    }
  });

  it('starts a session with a token that is never cached', async () => {
    const baseUrl = await serve();
    const response = await fetch(`${baseUrl}/chat/session`, { method: 'POST' });
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body: unknown = await response.json();
    expect(WebChatSessionStarted.safeParse(body).success).toBe(true);
  });

  it('slows a session that sends too fast with 429 and Retry-After, leaving other sessions alone', async () => {
    const baseUrl = await serve({ messagesPerMinute: 3 });
    const fast = await startSession(baseUrl);
    for (let index = 1; index <= 3; index += 1) await say(baseUrl, fast, `r-${String(index)}`, 'skip');
    const refused = await fetch(`${baseUrl}/chat/messages`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${fast.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ clientMessageId: 'r-4', text: 'skip' }),
    });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
    const calm = await startSession(baseUrl);
    expect((await say(baseUrl, calm, 'c-1', 'skip')).status).toBe(202);
    const stored = await harness.ombuds.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE channel_message_id = $1`, [`${fast.sessionId}:r-4`]);
    expect(stored.rows[0]?.n).toBe(0);
    await settle(harness);
  });

  it('caps the streams one session holds open', async () => {
    const baseUrl = await serve({ maxStreamsPerSession: 1 });
    const session = await startSession(baseUrl);
    const first = await openEventStream(baseUrl, session.token);
    streams.push(first);
    expect(first.status).toBe(200);
    const second = await fetch(`${baseUrl}/chat/events`, { headers: { Authorization: `Bearer ${session.token}` } });
    expect(second.status).toBe(429);
    first.close();
    await first.ended;
    // The slot is given back when the browser leaves (the server sees the close shortly after).
    let third: EventStream | undefined;
    for (let attempt = 0; attempt < 100 && third?.status !== 200; attempt += 1) {
      third?.close();
      third = await openEventStream(baseUrl, session.token);
      if (third.status !== 200) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    if (third) streams.push(third);
    expect(third?.status).toBe(200);
  });

  it('brings the reply by polling the mailbox when no signal ever arrives', async () => {
    const baseUrl = await serve({ broadcast: deafBroadcast, pollIntervalMs: 200 });
    const session = await startSession(baseUrl);
    const stream = await openEventStream(baseUrl, session.token);
    streams.push(stream);
    await say(baseUrl, session, 'p-1', 'My card was charged twice for ¥300 at a supermarket yesterday');
    const reply = await stream.waitFor('a reply found by polling', (event) => event.event === 'message' && event.data.author === 'bot');
    expect(String(reply.data.text).length).toBeGreaterThan(0);
    await settle(harness);
  });

  it('ends the stream with `expired` when the session’s token runs out', async () => {
    const baseUrl = await serve({ sessionTtlMs: 1_500 });
    const session = await startSession(baseUrl);
    const stream = await openEventStream(baseUrl, session.token);
    streams.push(stream);
    await stream.waitFor('the expiry', (event) => event.event === 'expired');
    await stream.ended;
    const after = await fetch(`${baseUrl}/chat/events`, { headers: { Authorization: `Bearer ${session.token}` } });
    expect(after.status).toBe(401);
    expect(((await after.json()) as { error: { code: string } }).error.code).toBe('SESSION_EXPIRED');
  });

  it('is described in the OpenAPI document: every route it mounts, and only those', () => {
    const router = webChatRoutes(routeOptions());
    const mounted = (router.stack as Layer[])
      .flatMap((layer) => (layer.route ? Object.keys(layer.route.methods).map((method) => `${method.toUpperCase()} ${String(layer.route?.path)}`) : []))
      .sort();
    const documented = (document: Record<string, unknown>) =>
      Object.entries(document.paths as Record<string, Record<string, unknown>>)
        .filter(([path]) => path.startsWith('/chat'))
        .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`))
        .sort();
    expect(mounted).toEqual(['GET /chat', 'GET /chat/events', 'GET /chat/widget.js', 'POST /chat/messages', 'POST /chat/receipts', 'POST /chat/session']);
    expect(documented(buildOpenApiDocument({ version: '1.0.0', webChat: true }))).toEqual(mounted);
    expect(documented(buildOpenApiDocument({ version: '1.0.0' }))).toEqual([]);
  });
});

describe('web chat switched off', () => {
  it('mounts no /chat route and documents none with WEBCHAT_ENABLED=false', async () => {
    const harness = await startHarness('embedded', { env: { WEBCHAT_ENABLED: 'false' } });
    try {
      const baseUrl = await harness.ombuds.listen(0, '127.0.0.1');
      expect((await fetch(`${baseUrl}/chat`)).status).toBe(404);
      expect((await postFrame(baseUrl, '/chat/messages', null, { clientMessageId: 'm', text: 'x' })).status).toBe(404);
      const document = (await (await fetch(`${baseUrl}/v1/openapi.json`)).json()) as { paths: Record<string, unknown> };
      expect(Object.keys(document.paths).filter((path) => path.startsWith('/chat'))).toEqual([]);
    } finally {
      await harness.close();
    }
  });
});
