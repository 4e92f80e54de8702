/**
 * Our web chat widget over HTTP (DESIGN.md §6): the page (`GET /chat`), the script a bank page embeds
 * (`GET /chat/widget.js`) and the page's assets; a session (`POST /chat/session`); customer messages in
 * (`POST /chat/messages`: verify → parse → intake.accept, like every channel) and receipts for what the page
 * displayed (`POST /chat/receipts`); the conversation out as Server-Sent Events (`GET /chat/events`,
 * webchat-stream.ts). Every call but the page, its assets and the session needs the session token.
 *
 * The page runs under a strict Content-Security-Policy (its own scripts and styles only, no inline code; it renders
 * text with textContent) and may be framed only by the bank's origins (WEBCHAT_ALLOWED_ORIGINS, else itself).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { Router, type ErrorRequestHandler, type Request, type RequestHandler } from 'express';
import { clientMessageIdOf, sessionOfRequest, webChatTopic, type WebChatAdapter } from '../adapters/webchat/index.js';
import type { RawWebhookRequest } from '../contracts/channel-adapter.js';
import type { WebChatMessageAccepted, WebChatReceiptsApplied, WebChatSessionStarted } from '../contracts/webchat.js';
import type { Intake } from '../intake/index.js';
import type { Broadcast } from '../queue/index.js';
import type { Clock } from '../shared/clock.js';
import { OmbudsError, PayloadInvalid, PayloadTooLarge, UnsupportedMediaType } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { acknowledgeWebChatMessages, listWebChatMailbox, parseMailboxCursor, type Database } from '../store/index.js';
import { createRateLimiter } from './webchat-rate-limit.js';
import { runWebChatStream } from './webchat-stream.js';

/** JSON frames are small: a 4,000-character message is at most ~12 KB of UTF-8. */
export const WEBCHAT_BODY_LIMIT_BYTES = 16 * 1024;

export interface WebChatRouteOptions {
  adapter: WebChatAdapter;
  intake: Intake;
  database: Database;
  broadcast: Broadcast;
  clock: Clock;
  logger: Logger;
  /** The folder holding index.html, chat.js, chat.css and widget.js (web/chat). */
  assetsDirectory: URL;
  /** Origins allowed to frame the page (`https://www.bank.example`), besides Ombuds' own. */
  allowedOrigins: readonly string[];
  /** How often an open stream re-reads the mailbox without a signal. */
  pollIntervalMs: number;
  heartbeatMs?: number;
  typingTtlMs?: number;
  /** Messages one session may send per minute (a burst of this many, then one every 60/n s). */
  messagesPerMinute?: number;
  /** Streams one session may hold open at once in this process. */
  maxStreamsPerSession?: number;
}

/** Too many messages (or streams) from one session. */
export class RateLimited extends OmbudsError {
  constructor(message: string) {
    super('RATE_LIMITED', message, { httpStatus: 429 });
  }
}

/** The page's security headers: its own code only, framed only where the bank allows. */
export function chatPageHeaders(allowedOrigins: readonly string[]): Record<string, string> {
  const ancestors = ["'self'", ...allowedOrigins].join(' ');
  return {
    'Content-Security-Policy': [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "connect-src 'self'",
      "img-src 'self' data:",
      "base-uri 'none'",
      "form-action 'none'",
      `frame-ancestors ${ancestors}`,
    ].join('; '),
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
    'Cache-Control': 'no-cache',
  };
}

function lowerCaseHeaders(headers: NodeJS.Dict<string | string[]>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

function rawRequestOf(request: Request): RawWebhookRequest {
  const body: unknown = request.body;
  return { method: request.method, path: request.originalUrl, headers: lowerCaseHeaders(request.headers), rawBody: Buffer.isBuffer(body) ? body : Buffer.alloc(0) };
}

function queryString(request: Request, name: string): string | undefined {
  const value: unknown = (request.query as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/** The session each authenticated request belongs to (set by {@link requireSession}). */
const authenticatedSessions = new WeakMap<Request, string>();

/** The session of the request's token (401 without a valid one), before the body is read. */
function requireSession(options: WebChatRouteOptions): RequestHandler {
  return (request, _response, next) => {
    authenticatedSessions.set(request, sessionOfRequest(lowerCaseHeaders(request.headers), options.adapter.sessions).sessionId);
    next();
  };
}

function sessionIdOf(request: Request): string {
  const sessionId = authenticatedSessions.get(request);
  if (sessionId === undefined) throw new Error('requireSession did not run');
  return sessionId;
}

/** `application/json` only (415), read raw up to the limit (413 with this route's limit). */
function jsonFrame(): RequestHandler[] {
  const requireJson: RequestHandler = (request, _response, next) => {
    next(request.is('application/json') ? undefined : new UnsupportedMediaType('application/json'));
  };
  return [requireJson, express.raw({ type: () => true, limit: WEBCHAT_BODY_LIMIT_BYTES, inflate: false })];
}

const tooLarge: ErrorRequestHandler = (error: unknown, _request, _response, next) => {
  const entityTooLarge = typeof error === 'object' && error !== null && (error as { type?: unknown }).type === 'entity.too.large';
  next(entityTooLarge ? new PayloadTooLarge(WEBCHAT_BODY_LIMIT_BYTES) : error);
};

function readAsset(directory: URL, name: string): Buffer {
  return readFileSync(new URL(name, directory));
}

export function webChatRoutes(options: WebChatRouteOptions): Router {
  const router = Router();
  const { adapter, broadcast, logger } = options;
  const page = readAsset(options.assetsDirectory, 'index.html');
  const widget = readAsset(options.assetsDirectory, 'widget.js');
  const pageHeaders = chatPageHeaders(options.allowedOrigins);
  const limiter = createRateLimiter({ limit: options.messagesPerMinute ?? 20, windowMs: 60_000, clock: options.clock });
  const maxStreams = options.maxStreamsPerSession ?? 5;
  const openStreams = new Map<string, number>();

  router.get('/chat', (_request, response) => {
    response.set(pageHeaders).type('html').send(page);
  });
  router.get('/chat/widget.js', (_request, response) => {
    // Loaded by the bank's pages from their own origin: allowed across origins, cached briefly.
    response.set({ 'Cache-Control': 'public, max-age=300', 'Cross-Origin-Resource-Policy': 'cross-origin' }).type('text/javascript').send(widget);
  });
  router.use(
    '/chat/assets',
    express.static(fileURLToPath(options.assetsDirectory), {
      index: false,
      dotfiles: 'ignore',
      redirect: false,
      setHeaders: (response) => {
        response.setHeader('Cache-Control', 'no-cache');
      },
    }),
  );

  router.post('/chat/session', (_request, response) => {
    const session = adapter.sessions.start();
    const body: WebChatSessionStarted = { sessionId: session.sessionId, token: session.token, expiresAt: session.expiresAt.toISOString() };
    response.status(201).set('Cache-Control', 'no-store').json(body);
  });

  router.post('/chat/messages', requireSession(options), ...jsonFrame(), async (request, response) => {
    const sessionId = sessionIdOf(request);
    const allowed = limiter.take(sessionId);
    if (!allowed.allowed) {
      response.setHeader('Retry-After', String(Math.max(1, Math.ceil(allowed.retryAfterMs / 1000))));
      throw new RateLimited('Too many messages from this chat; wait a moment and send again.');
    }
    const [result] = adapter.parse(rawRequestOf(request), options.clock.now());
    if (result?.kind !== 'message') throw new PayloadInvalid('The body is not a web chat message.');
    const accepted = await options.intake.accept(result.message);
    if (!accepted.duplicate) {
      // The bank "types" until its answer arrives (best effort: a lost hint costs nothing).
      void adapter.sender.sendTyping(sessionId).then((sent) => {
        if (!sent.ok) logger.debug({ channel: adapter.channel, error: sent.error }, 'web chat typing hint not published');
      });
    }
    const body: WebChatMessageAccepted = { clientMessageId: clientMessageIdOf(sessionId, result.message.channelMessageId) ?? '', duplicate: accepted.duplicate };
    response.status(accepted.duplicate ? 200 : 202).json(body);
  });

  router.post('/chat/receipts', requireSession(options), ...jsonFrame(), async (request, response) => {
    const sessionId = sessionIdOf(request);
    const at = options.clock.now();
    const ids = adapter.parseReceipts(rawRequestOf(request), at).flatMap((result) => (result.kind === 'status' ? [result.channelMessageId] : []));
    const delivered = await options.database.transaction((tx) =>
      acknowledgeWebChatMessages(tx, { channel: adapter.channel, conversationKey: sessionId, messageIds: ids, at }),
    );
    const body: WebChatReceiptsApplied = { delivered };
    response.json(body);
  });

  router.get('/chat/events', async (request, response) => {
    // EventSource cannot send headers: the token may come as ?token= (never logged: errors log the path only).
    const session = sessionOfRequest(lowerCaseHeaders(request.headers), adapter.sessions, queryString(request, 'token'));
    const open = openStreams.get(session.sessionId) ?? 0;
    if (open >= maxStreams) throw new RateLimited(`At most ${String(maxStreams)} streams per chat session.`);
    openStreams.set(session.sessionId, open + 1);
    try {
      const lastEventId = request.get('last-event-id') ?? queryString(request, 'lastEventId');
      await runWebChatStream(request, response, {
        sessionId: session.sessionId,
        expiresAt: session.expiresAt,
        after: parseMailboxCursor(lastEventId),
        read: (after, limit) => listWebChatMailbox(options.database, { channel: adapter.channel, conversationKey: session.sessionId, after, limit }),
        subscribe: (listener) => broadcast.subscribe(webChatTopic(session.sessionId), listener),
        pollIntervalMs: options.pollIntervalMs,
        heartbeatMs: options.heartbeatMs ?? 15_000,
        typingTtlMs: options.typingTtlMs ?? 15_000,
        clock: options.clock,
        logger,
      });
    } finally {
      const left = (openStreams.get(session.sessionId) ?? 1) - 1;
      if (left <= 0) openStreams.delete(session.sessionId);
      else openStreams.set(session.sessionId, left);
    }
  });

  router.use(tooLarge);
  return router;
}
