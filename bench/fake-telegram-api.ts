/**
 * A minimal fake of the Telegram Bot API for the dialog bench (bench/dialog.ts): a node:http server on 127.0.0.1
 * answering `POST /bot<token>/<method>` at once — `sendMessage` with a Message, `sendChatAction` with `true`, any
 * other method with Telegram's 404 — and recording, for each chat, the arrival time of every `sendMessage`
 * (performance.now() of this process, taken when the request arrives, before its body is read) with its text.
 * A customer waits for the nth reply of its chat with `nextReply`. Unlike test/support/fake-telegram.ts, it keeps no
 * list of every call to scan (at a few hundred calls a second, scanning would skew the times it records).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export interface ArrivedReply {
  /** performance.now() when the sendMessage request arrived. */
  at: number;
  /** Date.now() at the same moment (to compare with the timestamps Ombuds stores). */
  wallAt: number;
  text: string;
  /** The inline keyboard's callback_data values, if any. */
  quickReplies: string[];
}

export interface FakeTelegramApi {
  /** The TELEGRAM_API_ROOT to give Ombuds. */
  apiRoot: string;
  /**
   * Resolves with the reply number `index` (0-based) of `chat` once it has arrived (at once if it already has), or
   * with null after `timeoutMs`.
   */
  nextReply(chat: number, index: number, timeoutMs: number): Promise<ArrivedReply | null>;
  /** Every sendMessage received for `chat` so far. */
  repliesOf(chat: number): readonly ArrivedReply[];
  /** Calls by Bot API method, and calls answered with an error. */
  counts(): { byMethod: Record<string, number>; refused: number };
  close(): Promise<void>;
}

interface ChatLog {
  replies: ArrivedReply[];
  waiter: { index: number; resolve: (reply: ArrivedReply) => void } | null;
}

function answer(response: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  response.end(json);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    request.on('error', reject);
  });
}

/** The parameters of a call: JSON (what telegraf sends) or a form. */
function paramsOf(request: IncomingMessage, body: string): Record<string, unknown> {
  if (body === '') return {};
  if ((request.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(body));
  const parsed: unknown = JSON.parse(body);
  return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
}

function callbackDataOf(markup: unknown): string[] {
  const parsed: unknown = typeof markup === 'string' ? JSON.parse(markup) : markup;
  if (typeof parsed !== 'object' || parsed === null || !('inline_keyboard' in parsed) || !Array.isArray(parsed.inline_keyboard)) return [];
  const rows: unknown[] = parsed.inline_keyboard;
  return rows.flatMap((row): unknown[] => (Array.isArray(row) ? (row as unknown[]) : [])).flatMap((button) =>
    typeof button === 'object' && button !== null && 'callback_data' in button && typeof button.callback_data === 'string' ? [button.callback_data] : [],
  );
}

export async function startFakeTelegramApi(token: string): Promise<FakeTelegramApi> {
  const chats = new Map<number, ChatLog>();
  const byMethod: Record<string, number> = {};
  let refused = 0;
  let nextMessageId = 1;
  const logOf = (chat: number): ChatLog => {
    let log = chats.get(chat);
    if (!log) {
      log = { replies: [], waiter: null };
      chats.set(chat, log);
    }
    return log;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const at = performance.now();
    const wallAt = Date.now();
    const body = await readBody(request);
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(request.url ?? '');
    const method = match?.[2] ?? 'unknown';
    byMethod[method] = (byMethod[method] ?? 0) + 1;
    if (match?.[1] !== token) {
      refused += 1;
      answer(response, match ? 401 : 404, { ok: false, error_code: match ? 401 : 404, description: match ? 'Unauthorized' : 'Not Found' });
      return;
    }
    const params = paramsOf(request, body);
    if (method === 'sendChatAction') {
      answer(response, 200, { ok: true, result: true });
      return;
    }
    if (method !== 'sendMessage') {
      refused += 1;
      answer(response, 404, { ok: false, error_code: 404, description: 'Not Found: method not found' });
      return;
    }
    const chat = Number(params.chat_id);
    const text = typeof params.text === 'string' ? params.text : '';
    if (!Number.isSafeInteger(chat) || text.trim() === '') {
      refused += 1;
      answer(response, 400, { ok: false, error_code: 400, description: 'Bad Request: chat_id or text is empty' });
      return;
    }
    const messageId = nextMessageId++;
    answer(response, 200, {
      ok: true,
      result: { message_id: messageId, from: { id: 42, is_bot: true, first_name: 'Ombuds', username: 'ombuds_bot' }, chat: { id: chat, type: 'private' }, date: Math.floor(wallAt / 1000), text },
    });
    const log = logOf(chat);
    const reply: ArrivedReply = { at, wallAt, text, quickReplies: callbackDataOf(params.reply_markup) };
    log.replies.push(reply);
    const waiter = log.waiter;
    if (waiter && log.replies.length > waiter.index) {
      log.waiter = null;
      waiter.resolve(log.replies[waiter.index] ?? reply);
    }
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      refused += 1;
      if (!response.headersSent) answer(response, 400, { ok: false, error_code: 400, description: "Bad Request: can't parse JSON" });
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    nextReply(chat, index, timeoutMs) {
      const log = logOf(chat);
      const arrived = log.replies[index];
      if (arrived) return Promise.resolve(arrived);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          if (log.waiter?.index === index) log.waiter = null;
          resolve(null);
        }, timeoutMs);
        log.waiter = {
          index,
          resolve: (reply) => {
            clearTimeout(timer);
            resolve(reply);
          },
        };
      });
    },
    repliesOf: (chat) => chats.get(chat)?.replies ?? [],
    counts: () => ({ byMethod: { ...byMethod }, refused }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
