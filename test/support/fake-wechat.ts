/**
 * A local fake of the WeChat Official Account server API (developers.weixin.qq.com), for tests of the WeChat adapter:
 * a node:http server on 127.0.0.1, port 0, answering the way WeChat does — HTTP 200 with `{"errcode":0,"errmsg":"ok"}`
 * or `{"errcode":N,"errmsg":…}` — for:
 * - `POST /cgi-bin/stable_token` (`grant_type`, `appid`, `secret`, `force_refresh`): the same token to every caller
 *   while it is valid, a new one (retiring the old) on `force_refresh`; 40013 / 40125 for a wrong appid / secret;
 * - `POST /cgi-bin/message/custom/send?access_token=…` (a `text` message): 40001 for an unknown token, 42001 for an
 *   expired one, 45002 for content over 2048 bytes, 40003 for a malformed OpenID;
 * - `POST /cgi-bin/message/custom/typing?access_token=…` (`command` Typing / CancelTyping).
 * It records every call and can be scripted per API: an errcode answer (−1 busy, 45009 quota, 45015 outside the 48 h
 * window, 40001 token), an HTTP status from a gateway, a hang or a dropped connection. `expireTokens()` makes every
 * token issued so far expire.
 *
 * Also the webhook side: a RawWebhookRequest or a query string signed as WeChat signs them, in plain mode or in safe
 * mode (the message wrapped in `<Encrypt>` with `msg_signature`), a text message's XML, the official test vector, and
 * the project's WeChat fixtures.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { z } from 'zod';
import { encryptWeChatMessage, wechatAesKey, wechatSignature } from '../../src/adapters/wechat/index.js';
import type { RawWebhookRequest } from '../../src/contracts/channel-adapter.js';
import { readBody } from './fake-receiver.js';
import { fixturePath, listFixtures } from './fixtures.js';

/** The official WXBizMsgCrypt sample's vector (CHANNELS.md §5): fixtures wechat-4 (posted) and wechat-5 (its plaintext). */
export const WECHAT_OFFICIAL_VECTOR = {
  token: 'spamtest',
  timestamp: '1409735669',
  nonce: '1320562132',
  appId: 'wx2c2769f8efd9abc2',
  encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  msgSignature: '5d197aaffba7e9b25a30732f161a50dee96bd5fa',
} as const;

export const WECHAT_WEBHOOK_PATH = '/webhooks/wechat';

export interface WeChatSigning {
  token: string;
  /** Unix seconds as a string; default now. */
  timestamp?: string;
  nonce?: string;
  /** Safe mode: the body is encrypted into `<Encrypt>` and `msg_signature` added. */
  aes?: { encodingAesKey: string; appId: string };
}

/** `]]>` cannot appear inside CDATA: split it across two sections, as XML writers do. */
export function cdata(text: string): string {
  return `<![CDATA[${text.split(']]>').join(']]]]><![CDATA[>')}]]>`;
}

/** A text message as WeChat pushes it (plain mode). */
export function wechatTextXml(options: { openId: string; msgId: string; text: string; createTime?: number; toUser?: string }): string {
  const createTime = options.createTime ?? Math.floor(Date.now() / 1000);
  return [
    '<xml>',
    `<ToUserName>${cdata(options.toUser ?? 'gh_ombudsbank01')}</ToUserName>`,
    `<FromUserName>${cdata(options.openId)}</FromUserName>`,
    `<CreateTime>${createTime}</CreateTime>`,
    `<MsgType>${cdata('text')}</MsgType>`,
    `<Content>${cdata(options.text)}</Content>`,
    `<MsgId>${options.msgId}</MsgId>`,
    '</xml>',
  ].join('\n');
}

/** The query WeChat appends to the server URL: `signature`, `timestamp`, `nonce` (+ `echostr` on the GET check). */
export function signedWeChatQuery(signing: WeChatSigning, extra: Record<string, string> = {}): string {
  const timestamp = signing.timestamp ?? String(Math.floor(Date.now() / 1000));
  const nonce = signing.nonce ?? String(randomBytes(4).readUInt32BE(0));
  const signature = wechatSignature([signing.token, timestamp, nonce]);
  return new URLSearchParams({ signature, timestamp, nonce, ...extra }).toString();
}

/** The body and query of a POST as WeChat sends it, in plain or safe mode. */
export function signedWeChatPost(message: string | Buffer, signing: WeChatSigning): { query: string; body: Buffer } {
  const timestamp = signing.timestamp ?? String(Math.floor(Date.now() / 1000));
  const nonce = signing.nonce ?? String(randomBytes(4).readUInt32BE(0));
  const plain = Buffer.isBuffer(message) ? message : Buffer.from(message, 'utf8');
  if (!signing.aes) return { query: signedWeChatQuery({ ...signing, timestamp, nonce }), body: plain };
  const encrypted = encryptWeChatMessage(plain, wechatAesKey(signing.aes.encodingAesKey), signing.aes.appId);
  const body = Buffer.from(`<xml><ToUserName>${cdata('gh_ombudsbank01')}</ToUserName><Encrypt>${cdata(encrypted)}</Encrypt></xml>`, 'utf8');
  const msgSignature = wechatSignature([signing.token, timestamp, nonce, encrypted]);
  const query = signedWeChatQuery({ ...signing, timestamp, nonce }, { openid: 'o-ombuds-test', encrypt_type: 'aes', msg_signature: msgSignature });
  return { query, body };
}

/** A webhook call as WeChat makes it: POST, text/xml, the signature in the query. */
export function wechatWebhookRequest(message: string | Buffer, signing: WeChatSigning): RawWebhookRequest {
  const { query, body } = signedWeChatPost(message, signing);
  return rawWeChatRequest(body, query);
}

export function rawWeChatRequest(body: Buffer, query: string, method = 'POST'): RawWebhookRequest {
  return {
    method,
    path: `${WECHAT_WEBHOOK_PATH}?${query}`,
    headers: { 'content-type': 'text/xml', 'content-length': String(body.length) },
    rawBody: body,
  };
}

/** The official compat-mode vector (fixture wechat-4) as WeChat posted it. */
export function officialVectorRequest(): RawWebhookRequest {
  const vector = WECHAT_OFFICIAL_VECTOR;
  const query = new URLSearchParams({
    signature: wechatSignature([vector.token, vector.timestamp, vector.nonce]),
    timestamp: vector.timestamp,
    nonce: vector.nonce,
    openid: 'oyORnuP8q7ou2gfYjqLzSIWZf0rs',
    encrypt_type: 'aes',
    msg_signature: vector.msgSignature,
  }).toString();
  return rawWeChatRequest(readFileSync(fixturePath('wechat/wechat-4-encrypted-compat.xml')), query);
}

/** The plain-mode fixtures (every one but the encrypted vector), their exact bytes. */
export function wechatPlainFixtures(): { name: string; body: Buffer }[] {
  return listFixtures('wechat', '.xml')
    .filter((relative) => !relative.includes('encrypted'))
    .map((relative) => ({ name: relative, body: readFileSync(fixturePath(relative)) }));
}

export type FakeWeChatAnswer =
  | { type: 'errcode'; errcode: number; errmsg: string }
  | { type: 'http'; status: number; body: string; contentType: string }
  | { type: 'hang' }
  | { type: 'drop' }
  /** Answers as WeChat normally would (to script a failure on a later call). */
  | { type: 'normal' };

/** WeChat's real failure answers. */
export const wechatAnswer = {
  systemBusy: (): FakeWeChatAnswer => ({ type: 'errcode', errcode: -1, errmsg: 'system error' }),
  tokenInvalid: (): FakeWeChatAnswer => ({ type: 'errcode', errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' }),
  dailyQuota: (): FakeWeChatAnswer => ({ type: 'errcode', errcode: 45009, errmsg: 'reach max api daily quota limit' }),
  outsideWindow: (): FakeWeChatAnswer => ({ type: 'errcode', errcode: 45015, errmsg: 'response out of time limit or subscription is canceled' }),
  serverError: (status = 500): FakeWeChatAnswer => ({ type: 'http', status, body: '<html><body>Internal Server Error</body></html>', contentType: 'text/html' }),
  normal: (): FakeWeChatAnswer => ({ type: 'normal' }),
  hang: (): FakeWeChatAnswer => ({ type: 'hang' }),
  drop: (): FakeWeChatAnswer => ({ type: 'drop' }),
} as const;

/** The APIs the fake answers, as scripts and calls name them. */
export type WeChatApi = 'stable_token' | 'custom/send' | 'custom/typing';

export interface WeChatCall {
  api: WeChatApi | 'unknown';
  /** The access_token of the URL (empty for stable_token). */
  accessToken: string;
  body: Record<string, unknown>;
  /** The errcode the fake answered (null for a hang, a drop or an HTTP status). */
  errcode: number | null;
}

export interface FakeWeChat {
  /** The WECHAT_API_ROOT to configure (`http://127.0.0.1:<port>`). */
  apiRoot: string;
  calls: WeChatCall[];
  callsOf(api: WeChatApi): WeChatCall[];
  /** Text messages delivered (answered errcode 0), in order. */
  delivered(): { touser: string; content: string }[];
  /** Queues answers for the next calls of `api`, in order; afterwards it answers normally. */
  script(api: WeChatApi, ...answers: FakeWeChatAnswer[]): void;
  /** Every token issued so far answers 42001 from now on. */
  expireTokens(): void;
  waitForCalls(api: WeChatApi, count: number, timeoutMs?: number): Promise<WeChatCall[]>;
  close(): Promise<void>;
}

const Json = z.record(z.string(), z.unknown());
const TextMessage = z.object({ touser: z.string(), msgtype: z.literal('text'), text: z.object({ content: z.string() }) });
const OPEN_ID = /^[A-Za-z0-9_-]{1,128}$/;

function answer(response: ServerResponse, errcode: number, errmsg: string, extra: Record<string, unknown> = {}): void {
  response.writeHead(200, { 'content-type': 'application/json; encoding=utf-8' });
  response.end(JSON.stringify({ errcode, errmsg, ...extra }));
}

function apiOf(pathname: string): WeChatApi | 'unknown' {
  if (pathname === '/cgi-bin/stable_token') return 'stable_token';
  if (pathname === '/cgi-bin/message/custom/send') return 'custom/send';
  if (pathname === '/cgi-bin/message/custom/typing') return 'custom/typing';
  return 'unknown';
}

export async function startFakeWeChat(options: { appId: string; appSecret: string }): Promise<FakeWeChat> {
  const calls: WeChatCall[] = [];
  const scripts = new Map<WeChatApi, FakeWeChatAnswer[]>();
  const valid = new Set<string>();
  const expired = new Set<string>();
  let current: string | null = null;
  let issued = 0;
  let waiters: (() => void)[] = [];

  const stableToken = (body: Record<string, unknown>): { errcode: number; errmsg: string; extra?: Record<string, unknown> } => {
    if (body.grant_type !== 'client_credential') return { errcode: 40002, errmsg: 'invalid grant_type' };
    if (body.appid !== options.appId) return { errcode: 40013, errmsg: 'invalid appid' };
    if (body.secret !== options.appSecret) return { errcode: 40125, errmsg: 'invalid appsecret' };
    if (current === null || body.force_refresh === true || expired.has(current)) {
      if (current !== null) valid.delete(current);
      issued += 1;
      current = `fake-access-token-${issued}-${randomBytes(6).toString('hex')}`;
      valid.add(current);
    }
    return { errcode: 0, errmsg: 'ok', extra: { access_token: current, expires_in: 7200 } };
  };

  const tokenProblem = (token: string): { errcode: number; errmsg: string } | null => {
    if (expired.has(token)) return { errcode: 42001, errmsg: 'access_token expired' };
    if (!valid.has(token)) return { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' };
    return null;
  };

  const customSend = (body: Record<string, unknown>): { errcode: number; errmsg: string } => {
    const message = TextMessage.safeParse(body);
    if (!message.success) return { errcode: 40008, errmsg: 'invalid message type' };
    if (!OPEN_ID.test(message.data.touser)) return { errcode: 40003, errmsg: 'invalid openid' };
    if (message.data.text.content === '') return { errcode: 44003, errmsg: 'empty news data' };
    if (Buffer.byteLength(message.data.text.content, 'utf8') > 2048) return { errcode: 45002, errmsg: 'content size out of limit' };
    return { errcode: 0, errmsg: 'ok' };
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const text = await readBody(request);
    const url = new URL(request.url ?? '/', 'http://fake');
    const api = apiOf(url.pathname);
    let body: Record<string, unknown> = {};
    let parsed: boolean;
    try {
      const json = Json.safeParse(JSON.parse(text));
      parsed = json.success;
      if (json.success) body = json.data;
    } catch {
      parsed = false;
    }
    const call: WeChatCall = { api, accessToken: url.searchParams.get('access_token') ?? '', body, errcode: null };
    calls.push(call);
    const reply = (errcode: number, errmsg: string, extra?: Record<string, unknown>) => {
      call.errcode = errcode;
      answer(response, errcode, errmsg, extra);
    };
    try {
      if (api === 'unknown' || request.method !== 'POST') {
        reply(-1, 'system error: not a path of this fake');
        return;
      }
      const scripted = scripts.get(api)?.shift();
      if (scripted && scripted.type !== 'normal') {
        if (scripted.type === 'hang') return;
        if (scripted.type === 'drop') {
          response.socket?.destroy();
          return;
        }
        if (scripted.type === 'http') {
          response.writeHead(scripted.status, { 'content-type': scripted.contentType });
          response.end(scripted.body);
          return;
        }
        reply(scripted.errcode, scripted.errmsg);
        return;
      }
      if (!parsed) {
        reply(47001, 'data format error');
        return;
      }
      if (api === 'stable_token') {
        const result = stableToken(body);
        reply(result.errcode, result.errmsg, result.extra);
        return;
      }
      const problem = tokenProblem(call.accessToken);
      if (problem) {
        reply(problem.errcode, problem.errmsg);
        return;
      }
      if (api === 'custom/send') {
        const result = customSend(body);
        reply(result.errcode, result.errmsg);
        return;
      }
      const command = body.command;
      if (command !== 'Typing' && command !== 'CancelTyping') reply(45072, 'command invalid');
      else reply(0, 'ok');
    } finally {
      for (const wake of [...waiters]) wake();
    }
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) answer(response, -1, 'system error');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const callsOf = (api: WeChatApi): WeChatCall[] => calls.filter((call) => call.api === api);

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    calls,
    callsOf,
    delivered: () =>
      callsOf('custom/send')
        .filter((call) => call.errcode === 0)
        .map((call) => {
          const message = TextMessage.parse(call.body);
          return { touser: message.touser, content: message.text.content };
        }),
    script: (api, ...answers) => {
      scripts.set(api, [...(scripts.get(api) ?? []), ...answers]);
    },
    expireTokens: () => {
      for (const token of valid) expired.add(token);
    },
    waitForCalls: (api, count, timeoutMs = 10_000) =>
      new Promise<WeChatCall[]>((resolve, reject) => {
        const check = (): boolean => {
          if (callsOf(api).length < count) return false;
          clearTimeout(timer);
          waiters = waiters.filter((waiter) => waiter !== wake);
          resolve(callsOf(api));
          return true;
        };
        const wake = (): void => {
          check();
        };
        const timer = setTimeout(() => {
          waiters = waiters.filter((waiter) => waiter !== wake);
          reject(new Error(`fake WeChat: ${callsOf(api).length} of ${count} ${api} calls after ${timeoutMs} ms`));
        }, timeoutMs);
        if (!check()) waiters.push(wake);
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
