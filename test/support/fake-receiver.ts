/**
 * A generic local HTTP receiver for tests of what Ombuds POSTs out (API-channel callbacks, downstream webhooks, vendor
 * APIs): it listens on 127.0.0.1, port 0, records every request (method, path, lower-cased headers, raw body, parsed
 * JSON when it parses) and answers from a script — a status with an optional body and headers (e.g. 429 with
 * Retry-After, 500, 400), a hang (never answers, to exercise client timeouts), or a dropped connection. Replies are
 * taken in order from the queue, then the fallback (200 `{"ok":true}` unless changed).
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export type ReceiverReply =
  | { type: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  | { type: 'hang' }
  | { type: 'drop' };

export interface ReceivedRequest {
  method: string;
  /** Path and query string, as sent. */
  path: string;
  /** Header names in lower case (Node's view). */
  headers: IncomingHttpHeaders;
  /** The exact body bytes as UTF-8 text (signatures are computed over these). */
  rawBody: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
  /** The reply the receiver chose for this request. */
  reply: ReceiverReply;
}

export interface FakeReceiver {
  /** Base URL, without a trailing slash (`http://127.0.0.1:<port>`). */
  url: string;
  /** Every request received, in order of arrival. */
  requests: ReceivedRequest[];
  /** Requests received and not yet answered (hung requests count until the client gives up). */
  readonly inFlight: number;
  /** Queues replies for the next requests, in order. */
  enqueue(...replies: ReceiverReply[]): void;
  /** The reply when the queue is empty. */
  setFallback(reply: ReceiverReply): void;
  /** Resolves when at least `count` requests have been received (rejects after `timeoutMs`). */
  waitForRequests(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

/** Shorthands for common replies. */
export const reply = {
  ok: (body: unknown = { ok: true }, headers?: Record<string, string>): ReceiverReply => ({ type: 'status', status: 200, body, ...(headers ? { headers } : {}) }),
  status: (status: number, body?: unknown, headers?: Record<string, string>): ReceiverReply => ({
    type: 'status',
    status,
    ...(body === undefined ? {} : { body }),
    ...(headers ? { headers } : {}),
  }),
  rateLimited: (retryAfter: string | number): ReceiverReply => ({
    type: 'status',
    status: 429,
    body: { error: 'rate limited' },
    headers: { 'retry-after': String(retryAfter) },
  }),
  serverError: (status = 500): ReceiverReply => ({ type: 'status', status, body: { error: 'server error' } }),
  badRequest: (status = 400): ReceiverReply => ({ type: 'status', status, body: { error: 'bad request' } }),
  hang: (): ReceiverReply => ({ type: 'hang' }),
  drop: (): ReceiverReply => ({ type: 'drop' }),
} as const;

/** The whole request body as UTF-8 text (shared by the vendor fakes). */
export function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    request.on('error', reject);
  });
}

/** The text parsed as JSON, or undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Answers with a scripted reply (a hang never answers; a drop closes the connection). */
export function answerReply(response: ServerResponse, chosen: ReceiverReply): void {
  if (chosen.type === 'hang') return;
  if (chosen.type === 'drop') {
    response.socket?.destroy();
    return;
  }
  const body = chosen.body === undefined ? '' : typeof chosen.body === 'string' ? chosen.body : JSON.stringify(chosen.body);
  response.writeHead(chosen.status, {
    ...(chosen.body === undefined ? {} : { 'content-type': typeof chosen.body === 'string' ? 'text/plain' : 'application/json' }),
    ...chosen.headers,
  });
  response.end(body);
}

export async function startFakeReceiver(options: { fallback?: ReceiverReply } = {}): Promise<FakeReceiver> {
  const requests: ReceivedRequest[] = [];
  const queue: ReceiverReply[] = [];
  let fallback: ReceiverReply = options.fallback ?? reply.ok();
  let inFlight = 0;
  let waiters: { count: number; resolve: () => void }[] = [];

  const notify = (): void => {
    const still: typeof waiters = [];
    for (const waiter of waiters) {
      if (requests.length >= waiter.count) waiter.resolve();
      else still.push(waiter);
    }
    waiters = still;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    inFlight += 1;
    response.on('close', () => {
      inFlight -= 1;
    });
    const rawBody = await readBody(request);
    const chosen = queue.shift() ?? fallback;
    requests.push({
      method: request.method ?? 'GET',
      path: request.url ?? '/',
      headers: request.headers,
      rawBody,
      json: parseJson(rawBody),
      reply: chosen,
    });
    notify();
    answerReply(response, chosen);
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) {
        response.writeHead(500);
        response.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get inFlight() {
      return inFlight;
    },
    enqueue: (...replies) => queue.push(...replies),
    setFallback: (next) => {
      fallback = next;
    },
    waitForRequests: (count, timeoutMs = 5_000) =>
      new Promise<ReceivedRequest[]>((resolve, reject) => {
        if (requests.length >= count) {
          resolve(requests);
          return;
        }
        const timer = setTimeout(() => {
          waiters = waiters.filter((waiter) => waiter.resolve !== done);
          reject(new Error(`fake receiver: ${requests.length} of ${count} requests after ${timeoutMs} ms`));
        }, timeoutMs);
        const done = (): void => {
          clearTimeout(timer);
          resolve(requests);
        };
        waiters.push({ count, resolve: done });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
