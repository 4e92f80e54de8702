/**
 * A local fake of the Telegram Bot API (core.telegram.org/bots/api), for tests of the Telegram adapter: a node:http
 * server on 127.0.0.1, port 0, answering `POST|GET /bot<token>/<method>` the way Telegram does — `{"ok":true,
 * "result":…}`, or `{"ok":false,"error_code","description","parameters"?}` with the same HTTP status. It records
 * every call and can be scripted per method: 429 with `parameters.retry_after`, 5xx (Telegram's JSON, or an HTML
 * gateway page as its front end sends), 400/403, a hang, or a dropped connection.
 *
 * Methods: sendMessage (with Telegram's own checks: chat_id, empty or over-long text, callback_data over 64 bytes),
 * sendChatAction, getMe, setWebhook/deleteWebhook, and getUpdates with real offset semantics (updates below `offset`
 * are confirmed and dropped; with none pending it long-polls up to `timeout` seconds or until more are pushed).
 *
 * Also the webhook side: a RawWebhookRequest as Telegram would POST it, and the project's Telegram fixtures as
 * Updates (the bare Message fixture wrapped, as CHANNELS.md says).
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { z } from 'zod';
import type { RawWebhookRequest } from '../../src/contracts/channel-adapter.js';
import { readBody } from './fake-receiver.js';
import { fixturePath, listFixtures } from './fixtures.js';

export type FakeTelegramAnswer =
  | { type: 'error'; status: number; description: string; parameters?: { retry_after?: number; migrate_to_chat_id?: number } }
  | { type: 'raw'; status: number; body: string; contentType: string }
  | { type: 'hang' }
  | { type: 'drop' }
  /** Answers as Telegram normally would (to script a failure on a later call). */
  | { type: 'normal' };

/** Telegram's real failure answers. */
export const telegramAnswer = {
  tooManyRequests: (retryAfter: number): FakeTelegramAnswer => ({
    type: 'error',
    status: 429,
    description: `Too Many Requests: retry after ${retryAfter}`,
    parameters: { retry_after: retryAfter },
  }),
  serverError: (status = 500, description = 'Internal Server Error'): FakeTelegramAnswer => ({ type: 'error', status, description }),
  /** What Telegram's nginx front answers when the backend is down: HTML, not JSON. */
  badGatewayHtml: (): FakeTelegramAnswer => ({
    type: 'raw',
    status: 502,
    body: '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n',
    contentType: 'text/html',
  }),
  badRequest: (description = 'Bad Request: chat not found'): FakeTelegramAnswer => ({ type: 'error', status: 400, description }),
  blocked: (): FakeTelegramAnswer => ({ type: 'error', status: 403, description: 'Forbidden: bot was blocked by the user' }),
  conflict: (): FakeTelegramAnswer => ({
    type: 'error',
    status: 409,
    description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
  }),
  /** A proxy's non-JSON answer below 500 (telegraf then fails to parse it). */
  htmlNotFound: (): FakeTelegramAnswer => ({ type: 'raw', status: 404, body: '<html><body>Not Found</body></html>', contentType: 'text/html' }),
  normal: (): FakeTelegramAnswer => ({ type: 'normal' }),
  hang: (): FakeTelegramAnswer => ({ type: 'hang' }),
  drop: (): FakeTelegramAnswer => ({ type: 'drop' }),
} as const;

export interface TelegramCall {
  httpMethod: string;
  /** The Bot API method (`sendMessage`). */
  method: string;
  /** The token in the URL (so tests can check which one was used). */
  token: string;
  params: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  /** How the fake answered: normally, or with a scripted failure (`serverError`, `hang`, …). */
  answered: string;
}

export interface FakeTelegram {
  /** The apiRoot to configure (`http://127.0.0.1:<port>`). */
  apiRoot: string;
  calls: TelegramCall[];
  /** Calls of one method, in order. */
  callsOf(method: string): TelegramCall[];
  /** Queues answers for the next calls of `method`, in order; afterwards the method answers normally. */
  script(method: string, ...answers: FakeTelegramAnswer[]): void;
  /** Makes updates available to getUpdates (wakes a waiting long poll). */
  pushUpdates(...updates: Record<string, unknown>[]): void;
  /** Resolves once `count` calls of `method` were received. */
  waitForCalls(method: string, count: number, timeoutMs?: number): Promise<TelegramCall[]>;
  close(): Promise<void>;
}

const Params = z.record(z.string(), z.unknown());
const InlineKeyboard = z.object({
  inline_keyboard: z.array(z.array(z.looseObject({ text: z.string(), callback_data: z.string().optional() }))),
});
const MAX_LONG_POLL_MS = 50_000;

function paramsOf(request: IncomingMessage, body: string): Record<string, unknown> | null {
  const query = Object.fromEntries(new URL(request.url ?? '/', 'http://fake').searchParams);
  if (body === '') return query;
  if ((request.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
    return { ...query, ...Object.fromEntries(new URLSearchParams(body)) };
  }
  try {
    const parsed = Params.safeParse(JSON.parse(body));
    return parsed.success ? { ...query, ...parsed.data } : null;
  } catch {
    return null;
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function fail(response: ServerResponse, status: number, description: string, parameters?: Record<string, number>): void {
  send(response, status, { ok: false, error_code: status, description, ...(parameters ? { parameters } : {}) });
}

export async function startFakeTelegram(options: { token: string }): Promise<FakeTelegram> {
  const calls: TelegramCall[] = [];
  const scripts = new Map<string, FakeTelegramAnswer[]>();
  const pending: Record<string, unknown>[] = [];
  let pollWaiters: (() => void)[] = [];
  let callWaiters: (() => void)[] = [];
  let nextMessageId = 1;
  const timers = new Set<NodeJS.Timeout>();

  const sendMessage = (params: Record<string, unknown>, response: ServerResponse): void => {
    const chatId = params.chat_id;
    const text = typeof params.text === 'string' ? params.text : '';
    if (chatId === undefined || chatId === '') {
      fail(response, 400, 'Bad Request: chat_id is empty');
      return;
    }
    if (text.trim() === '') {
      fail(response, 400, 'Bad Request: message text is empty');
      return;
    }
    if (text.length > 4096) {
      fail(response, 400, 'Bad Request: message is too long');
      return;
    }
    if (params.reply_markup !== undefined) {
      const markup = InlineKeyboard.safeParse(params.reply_markup);
      if (!markup.success) {
        fail(response, 400, "Bad Request: can't parse reply keyboard markup JSON object");
        return;
      }
      const buttons = markup.data.inline_keyboard.flat();
      if (buttons.some((button) => Buffer.byteLength(button.callback_data ?? '', 'utf8') > 64)) {
        fail(response, 400, 'Bad Request: BUTTON_DATA_INVALID');
        return;
      }
    }
    const messageId = nextMessageId++;
    send(response, 200, {
      ok: true,
      result: {
        message_id: messageId,
        from: { id: 42, is_bot: true, first_name: 'Ombuds', username: 'ombuds_bot' },
        chat: { id: Number(chatId), type: 'private' },
        date: 1_790_000_000 + messageId,
        text,
        ...(params.reply_markup === undefined ? {} : { reply_markup: params.reply_markup }),
      },
    });
  };

  const getUpdates = (params: Record<string, unknown>, request: IncomingMessage, response: ServerResponse): void => {
    const offset = Number(params.offset ?? 0);
    const limit = Math.min(100, Math.max(1, Number(params.limit ?? 100)));
    const timeoutMs = Math.min(MAX_LONG_POLL_MS, Math.max(0, Number(params.timeout ?? 0)) * 1000);
    if (offset > 0) {
      // Telegram confirms every update below the offset: they are never returned again.
      for (let index = pending.length - 1; index >= 0; index -= 1) {
        if (Number(pending[index]?.update_id) < offset) pending.splice(index, 1);
      }
    }
    const answerNow = (): void => {
      send(response, 200, { ok: true, result: pending.slice(0, limit) });
    };
    if (pending.length > 0 || timeoutMs === 0) {
      answerNow();
      return;
    }
    const wake = (): void => {
      clearTimeout(timer);
      timers.delete(timer);
      pollWaiters = pollWaiters.filter((waiter) => waiter !== wake);
      if (!response.writableEnded && !response.destroyed) answerNow();
    };
    const timer = setTimeout(wake, timeoutMs);
    timers.add(timer);
    pollWaiters.push(wake);
    request.on('close', () => {
      if (!response.writableEnded) wake();
    });
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const body = await readBody(request);
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(new URL(request.url ?? '/', 'http://fake').pathname);
    if (!match?.[1] || !match[2]) {
      fail(response, 404, 'Not Found');
      return;
    }
    const [, token, method] = match;
    const params = paramsOf(request, body);
    const call: TelegramCall = { httpMethod: request.method ?? 'GET', method, token, params: params ?? {}, headers: request.headers, answered: 'normal' };
    calls.push(call);
    for (const wake of callWaiters) wake();
    if (token !== options.token) {
      call.answered = 'unauthorized';
      fail(response, 401, 'Unauthorized');
      return;
    }
    if (params === null) {
      call.answered = 'bad_request';
      fail(response, 400, "Bad Request: can't parse JSON");
      return;
    }
    const scripted = scripts.get(method)?.shift();
    if (scripted) call.answered = scripted.type;
    if (scripted && scripted.type !== 'normal') {
      if (scripted.type === 'hang') return;
      if (scripted.type === 'drop') {
        response.socket?.destroy();
        return;
      }
      if (scripted.type === 'raw') {
        response.writeHead(scripted.status, { 'content-type': scripted.contentType });
        response.end(scripted.body);
        return;
      }
      fail(response, scripted.status, scripted.description, scripted.parameters);
      return;
    }
    switch (method) {
      case 'sendMessage':
        sendMessage(params, response);
        break;
      case 'getUpdates':
        getUpdates(params, request, response);
        break;
      case 'sendChatAction':
      case 'setWebhook':
      case 'deleteWebhook':
        send(response, 200, { ok: true, result: true });
        break;
      case 'getMe':
        send(response, 200, { ok: true, result: { id: 42, is_bot: true, first_name: 'Ombuds', username: 'ombuds_bot' } });
        break;
      default:
        fail(response, 404, 'Not Found');
    }
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) fail(response, 500, 'Internal Server Error');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const callsOf = (method: string): TelegramCall[] => calls.filter((call) => call.method === method);

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    calls,
    callsOf,
    script: (method, ...answers) => {
      scripts.set(method, [...(scripts.get(method) ?? []), ...answers]);
    },
    pushUpdates: (...updates) => {
      pending.push(...updates);
      for (const wake of [...pollWaiters]) wake();
    },
    waitForCalls: (method, count, timeoutMs = 5_000) =>
      new Promise<TelegramCall[]>((resolve, reject) => {
        const check = (): boolean => {
          if (callsOf(method).length < count) return false;
          clearTimeout(timer);
          callWaiters = callWaiters.filter((waiter) => waiter !== wake);
          resolve(callsOf(method));
          return true;
        };
        const wake = (): void => {
          check();
        };
        const timer = setTimeout(() => {
          callWaiters = callWaiters.filter((waiter) => waiter !== wake);
          reject(new Error(`fake Telegram: ${callsOf(method).length} of ${count} ${method} calls after ${timeoutMs} ms`));
        }, timeoutMs);
        if (!check()) callWaiters.push(wake);
      }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** A webhook call as Telegram makes it: POST, JSON, the secret-token header when one is given. */
export function telegramWebhookRequest(body: Buffer | string | Record<string, unknown>, secretToken?: string): RawWebhookRequest {
  const rawBody = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
  return {
    method: 'POST',
    path: '/webhooks/telegram',
    headers: {
      'content-type': 'application/json',
      'content-length': String(rawBody.length),
      ...(secretToken === undefined ? {} : { 'x-telegram-bot-api-secret-token': secretToken }),
    },
    rawBody,
  };
}

/**
 * Every fixture in fixtures/telegram as an Update body. A fixture that is a bare Message (no `update_id`) is wrapped
 * in `{"update_id":<n>,"message":…}` around its exact bytes.
 */
export function telegramFixtureUpdates(): { name: string; body: Buffer }[] {
  return listFixtures('telegram').map((relative, index) => {
    const text = readFileSync(fixturePath(relative), 'utf8');
    const body = text.includes('"update_id"') ? text : `{"update_id":${700_000 + index},"message":${text}}`;
    return { name: relative, body: Buffer.from(body, 'utf8') };
  });
}
