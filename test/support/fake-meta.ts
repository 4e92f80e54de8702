/**
 * A local fake of Meta's Graph API send endpoints, for tests of the Meta adapter (WhatsApp Cloud API and Messenger):
 * a node:http server on 127.0.0.1, port 0, answering as graph.facebook.com does —
 *
 * - `POST /{version}/{phone-number-id}/messages` (WhatsApp): bearer token checked, then the Cloud API's own checks
 *   (`messaging_product`, `to` or `recipient`, text ≤ 4096, reply buttons ≤ 3 with titles ≤ 20 and a body ≤ 1024,
 *   list rows ≤ 10 with titles ≤ 24 and a button ≤ 20, ids unique); success is
 *   `{"messaging_product":"whatsapp","contacts":[…],"messages":[{"id":"wamid.…"}]}`;
 * - `POST /{version}/me/messages` (Messenger Send API): page token checked, `recipient.id`, `messaging_type`, text ≤
 *   2000, quick replies ≤ 13 with titles ≤ 20, or a `sender_action`; success is `{"recipient_id","message_id"}`.
 *
 * Errors are Graph's: `{"error":{"message","type","code","error_subcode"?,"fbtrace_id"}}`, HTTP 400 for most causes
 * (including rate limits), 401 for a bad token. Each endpoint takes scripted answers in order (`metaAnswer`: a Graph
 * error such as 131047 or 130429, a 500, an HTML gateway page, 429 with Retry-After, a hang, a dropped connection).
 *
 * Also the webhook side: a RawWebhookRequest as Meta POSTs it (signed with X-Hub-Signature-256 over the exact
 * bytes), the project's fixtures, and builders for payloads the fixtures lack, serialised as Meta does (non-ASCII
 * escaped as `\uXXXX`).
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { z } from 'zod';
import type { RawWebhookRequest } from '../../src/contracts/channel-adapter.js';
import { metaSignature } from '../../src/adapters/meta/index.js';
import { parseJson, readBody } from './fake-receiver.js';
import { fixturePath, listFixtures } from './fixtures.js';

export type MetaProductName = 'whatsapp' | 'messenger';

export type FakeMetaAnswer =
  | { type: 'graph-error'; status: number; code: number; subcode?: number; message: string; headers?: Record<string, string> }
  | { type: 'raw'; status: number; body: string; contentType: string; headers?: Record<string, string> }
  | { type: 'hang' }
  | { type: 'drop' }
  | { type: 'normal' };

/** Meta's real failure answers. */
export const metaAnswer = {
  graphError: (code: number, message: string, options: { status?: number; subcode?: number; headers?: Record<string, string> } = {}): FakeMetaAnswer => ({
    type: 'graph-error',
    status: options.status ?? 400,
    code,
    message,
    ...(options.subcode === undefined ? {} : { subcode: options.subcode }),
    ...(options.headers ? { headers: options.headers } : {}),
  }),
  /** WhatsApp: more than 24 hours since the customer last wrote. */
  reEngagement: (): FakeMetaAnswer => metaAnswer.graphError(131047, 'Re-engagement message'),
  /** WhatsApp Cloud API throughput limit. */
  throughputLimit: (): FakeMetaAnswer => metaAnswer.graphError(130429, 'Rate limit hit'),
  /** Messenger: outside the allowed window. */
  messengerWindowClosed: (): FakeMetaAnswer =>
    metaAnswer.graphError(10, '(#10) This message is sent outside of allowed window.', { status: 400, subcode: 2018278 }),
  serverError: (status = 500): FakeMetaAnswer => metaAnswer.graphError(2, 'An unexpected error has occurred. Please retry your request later.', { status }),
  badGatewayHtml: (): FakeMetaAnswer => ({ type: 'raw', status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>', contentType: 'text/html' }),
  tooManyRequests: (retryAfterSeconds: number): FakeMetaAnswer => ({
    type: 'raw',
    status: 429,
    body: '{"error":{"message":"(#4) Application request limit reached","type":"OAuthException","code":4}}',
    contentType: 'application/json',
    headers: { 'retry-after': String(retryAfterSeconds) },
  }),
  normal: (): FakeMetaAnswer => ({ type: 'normal' }),
  hang: (): FakeMetaAnswer => ({ type: 'hang' }),
  drop: (): FakeMetaAnswer => ({ type: 'drop' }),
} as const;

export interface MetaCall {
  product: MetaProductName;
  /** The path after the version (`1234567890/messages`, `me/messages`). */
  path: string;
  version: string;
  /** WhatsApp: the phone number id in the path. */
  phoneNumberId?: string;
  /** The bearer token presented. */
  token: string;
  body: Record<string, unknown>;
  headers: IncomingHttpHeaders;
}

export interface FakeMeta {
  /** The Graph API root to configure (`http://127.0.0.1:<port>`). */
  apiRoot: string;
  calls: MetaCall[];
  callsOf(product: MetaProductName): MetaCall[];
  /** Queues answers for the next calls to a product's endpoint, in order; afterwards it answers normally. */
  script(product: MetaProductName, ...answers: FakeMetaAnswer[]): void;
  waitForCalls(product: MetaProductName, count: number, timeoutMs?: number): Promise<MetaCall[]>;
  close(): Promise<void>;
}

const Body = z.record(z.string(), z.unknown());
const ButtonAction = z.object({ buttons: z.array(z.object({ type: z.literal('reply'), reply: z.object({ id: z.string().min(1).max(256), title: z.string().min(1) }) })) });
const ListAction = z.object({
  button: z.string().min(1),
  sections: z.array(z.object({ title: z.string().optional(), rows: z.array(z.object({ id: z.string().min(1).max(200), title: z.string().min(1), description: z.string().optional() })) })).min(1),
});
const Interactive = z.object({ type: z.enum(['button', 'list']), body: z.object({ text: z.string().min(1) }), action: z.unknown() });
const QuickReplies = z.array(z.object({ content_type: z.literal('text'), title: z.string().min(1), payload: z.string().min(1).max(1000) }));

function graphError(response: ServerResponse, status: number, code: number, message: string, subcode?: number, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify({ error: { message, type: 'OAuthException', code, ...(subcode === undefined ? {} : { error_subcode: subcode }), fbtrace_id: 'AbCdEfFakeTrace' } }));
}

function invalid(message: string): { status: number; code: number; message: string } {
  return { status: 400, code: 100, message: `(#100) ${message}` };
}

/** The Cloud API's own checks on a WhatsApp send; null when the body is acceptable. */
function checkWhatsApp(body: Record<string, unknown>): { status: number; code: number; message: string } | null {
  if (body.messaging_product !== 'whatsapp') return invalid('The parameter messaging_product is required.');
  if (typeof body.to !== 'string' && typeof body.recipient !== 'string') return invalid('The parameter to is required.');
  if (body.type === 'text') {
    const text = (body.text as { body?: unknown } | undefined)?.body;
    if (typeof text !== 'string' || text.trim() === '') return invalid('The parameter text[\'body\'] is required.');
    if (text.length > 4096) return invalid('Param text[\'body\'] must be at most 4096 characters long.');
    return null;
  }
  if (body.type !== 'interactive') return invalid(`Unsupported message type ${String(body.type)} in this fake.`);
  const interactive = Interactive.safeParse(body.interactive);
  if (!interactive.success) return invalid('Invalid interactive object.');
  const bodyText = interactive.data.body.text;
  if (interactive.data.type === 'button') {
    const action = ButtonAction.safeParse(interactive.data.action);
    if (!action.success || action.data.buttons.length < 1 || action.data.buttons.length > 3) return invalid('Invalid buttons count. Min allowed buttons: 1, Max allowed buttons: 3');
    if (action.data.buttons.some((button) => button.reply.title.length > 20)) return invalid('Button title length invalid. Max length is 20');
    if (new Set(action.data.buttons.map((button) => button.reply.id)).size !== action.data.buttons.length) return invalid('Button IDs must be unique.');
    if (bodyText.length > 1024) return invalid('Param interactive[\'body\'][\'text\'] must be at most 1024 characters long.');
    return null;
  }
  const action = ListAction.safeParse(interactive.data.action);
  if (!action.success) return invalid('Invalid list action.');
  const rows = action.data.sections.flatMap((section) => section.rows);
  if (rows.length < 1 || rows.length > 10) return invalid('Total row count exceed max allowed count: 10');
  if (rows.some((row) => row.title.length > 24 || (row.description ?? '').length > 72)) return invalid('Row title length invalid. Max length is 24');
  if (action.data.button.length > 20) return invalid('Button title length invalid. Max length is 20');
  if (new Set(rows.map((row) => row.id)).size !== rows.length) return invalid('Row IDs must be unique.');
  if (bodyText.length > 4096) return invalid('Param interactive[\'body\'][\'text\'] must be at most 4096 characters long.');
  return null;
}

/** The Send API's own checks on a Messenger send; null when the body is acceptable. */
function checkMessenger(body: Record<string, unknown>): { status: number; code: number; message: string } | null {
  const recipient = (body.recipient as { id?: unknown } | undefined)?.id;
  if (typeof recipient !== 'string' || recipient === '') return invalid('The parameter recipient is required');
  if (body.sender_action !== undefined) return body.sender_action === 'typing_on' || body.sender_action === 'typing_off' || body.sender_action === 'mark_seen' ? null : invalid('Invalid sender_action');
  if (body.messaging_type !== 'RESPONSE' && body.messaging_type !== 'UPDATE' && body.messaging_type !== 'MESSAGE_TAG') return invalid('messaging_type is required');
  const message = body.message as { text?: unknown; quick_replies?: unknown } | undefined;
  if (typeof message?.text !== 'string' || message.text.trim() === '') return invalid('The parameter message[text] is required');
  if (message.text.length > 2000) return invalid('param message[text] must be UTF-8 encoded and no more than 2000 characters');
  if (message.quick_replies !== undefined) {
    const quickReplies = QuickReplies.safeParse(message.quick_replies);
    if (!quickReplies.success || quickReplies.data.length > 13) return invalid('param message[quick_replies] must be an array of at most 13 quick replies');
    if (quickReplies.data.some((quickReply) => quickReply.title.length > 20)) return invalid('Quick reply title must be at most 20 characters');
  }
  return null;
}

const PATH = /^\/(v\d+\.\d+)\/(me|\d+)\/messages$/;

export async function startFakeMeta(options: { accessToken: string; pageAccessToken?: string }): Promise<FakeMeta> {
  const calls: MetaCall[] = [];
  const scripts: Record<MetaProductName, FakeMetaAnswer[]> = { whatsapp: [], messenger: [] };
  let waiters: (() => void)[] = [];
  let nextId = 1;
  const pageToken = options.pageAccessToken ?? options.accessToken;

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const text = await readBody(request);
    const match = PATH.exec(new URL(request.url ?? '/', 'http://fake').pathname);
    if (request.method !== 'POST' || !match?.[1] || !match[2]) {
      graphError(response, 400, 100, 'Unsupported post request. Object does not exist, cannot be loaded due to missing permissions, or does not support this operation.', 33);
      return;
    }
    const [, version, target] = match;
    const product: MetaProductName = target === 'me' ? 'messenger' : 'whatsapp';
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
    const parsed = Body.safeParse(parseJson(text));
    calls.push({
      product,
      path: `${target}/messages`,
      version,
      ...(product === 'whatsapp' ? { phoneNumberId: target } : {}),
      token,
      body: parsed.success ? parsed.data : {},
      headers: request.headers,
    });
    for (const wake of waiters) wake();
    if (token !== (product === 'whatsapp' ? options.accessToken : pageToken)) {
      graphError(response, 401, 190, 'Invalid OAuth access token - Cannot parse access token');
      return;
    }
    const scripted = scripts[product].shift();
    if (scripted && scripted.type !== 'normal') {
      if (scripted.type === 'hang') return;
      if (scripted.type === 'drop') {
        response.socket?.destroy();
        return;
      }
      if (scripted.type === 'raw') {
        response.writeHead(scripted.status, { 'content-type': scripted.contentType, ...scripted.headers });
        response.end(scripted.body);
        return;
      }
      graphError(response, scripted.status, scripted.code, scripted.message, scripted.subcode, scripted.headers);
      return;
    }
    if (!parsed.success) {
      graphError(response, 400, 100, 'Invalid JSON for postbody');
      return;
    }
    const problem = product === 'whatsapp' ? checkWhatsApp(parsed.data) : checkMessenger(parsed.data);
    if (problem) {
      graphError(response, problem.status, problem.code, problem.message);
      return;
    }
    const id = nextId++;
    response.writeHead(200, { 'content-type': 'application/json' });
    if (product === 'whatsapp') {
      const input = String(parsed.data.to ?? parsed.data.recipient);
      response.end(JSON.stringify({ messaging_product: 'whatsapp', contacts: [{ input, wa_id: input }], messages: [{ id: `wamid.FAKE${String(id).padStart(8, '0')}` }] }));
    } else {
      const recipient = (parsed.data.recipient as { id: string }).id;
      response.end(JSON.stringify(parsed.data.sender_action === undefined ? { recipient_id: recipient, message_id: `m_FAKE${String(id)}` } : { recipient_id: recipient }));
    }
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) graphError(response, 500, 1, 'An unknown error occurred');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const callsOf = (product: MetaProductName): MetaCall[] => calls.filter((call) => call.product === product);

  return {
    apiRoot: `http://127.0.0.1:${String(port)}`,
    calls,
    callsOf,
    script: (product, ...answers) => {
      scripts[product].push(...answers);
    },
    waitForCalls: (product, count, timeoutMs = 5_000) =>
      new Promise<MetaCall[]>((resolve, reject) => {
        const check = (): boolean => {
          if (callsOf(product).length < count) return false;
          clearTimeout(timer);
          waiters = waiters.filter((waiter) => waiter !== wake);
          resolve(callsOf(product));
          return true;
        };
        const wake = (): void => {
          check();
        };
        const timer = setTimeout(() => {
          waiters = waiters.filter((waiter) => waiter !== wake);
          reject(new Error(`fake Meta: ${String(callsOf(product).length)} of ${String(count)} ${product} calls after ${String(timeoutMs)} ms`));
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

// --- The webhook side ---------------------------------------------------------------------------------------------

/** JSON as Meta serialises it: every non-ASCII character escaped as `\uXXXX` (lower-case hex), and `/` as `\/`. */
export function metaJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/\//g, '\\/')
    .replace(/[\u007f-\uffff]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A webhook call as Meta makes it: POST, JSON, signed over the exact bytes (unsigned when no secret is given). */
export function metaWebhookRequest(body: Buffer | string, appSecret?: string): RawWebhookRequest {
  const rawBody = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  return {
    method: 'POST',
    path: '/webhooks/meta',
    headers: {
      'content-type': 'application/json',
      'content-length': String(rawBody.length),
      ...(appSecret === undefined ? {} : { 'x-hub-signature-256': metaSignature(rawBody, appSecret) }),
    },
    rawBody,
  };
}

/** Every fixture of a product folder (fixtures/whatsapp, fixtures/messenger), as its exact bytes. */
export function metaFixtures(folder: MetaProductName): { name: string; body: Buffer }[] {
  return listFixtures(folder).map((relative) => ({ name: relative, body: readFileSync(fixturePath(relative)) }));
}

export interface WhatsAppInbound {
  id: string;
  /** The customer's phone digits (wa_id); omit for a customer known only by `fromUserId`. */
  from?: string;
  fromUserId?: string;
  name?: string;
  phoneNumberId?: string;
  timestamp?: number;
  /** The message's type and its object (`{ type: 'text', text: { body } }`); default a text message. */
  content?: Record<string, unknown>;
  text?: string;
}

/** One WhatsApp message as its own `messages[]` item. */
export function whatsAppMessage(message: WhatsAppInbound): Record<string, unknown> {
  return {
    ...(message.from === undefined ? {} : { from: message.from }),
    ...(message.fromUserId === undefined ? {} : { from_user_id: message.fromUserId }),
    id: message.id,
    timestamp: String(message.timestamp ?? Math.floor(Date.now() / 1000)),
    ...(message.content ?? { type: 'text', text: { body: message.text ?? 'hello' } }),
  };
}

/** A `whatsapp_business_account` payload: one entry, one change, the given messages (and statuses). */
export function whatsAppPayload(messages: WhatsAppInbound[], statuses: Record<string, unknown>[] = [], phoneNumberId = '1234567890'): Record<string, unknown> {
  const contacts = messages.map((message) => ({
    profile: { name: message.name ?? 'Test Customer' },
    ...(message.from === undefined ? {} : { wa_id: message.from }),
    ...(message.fromUserId === undefined ? {} : { user_id: message.fromUserId }),
  }));
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '8856996819413533',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '+44 7700 900000', phone_number_id: phoneNumberId },
              ...(messages.length > 0 ? { contacts, messages: messages.map(whatsAppMessage) } : {}),
              ...(statuses.length > 0 ? { statuses } : {}),
            },
          },
        ],
      },
    ],
  };
}

/** A WhatsApp status receipt for a message Ombuds sent. */
export function whatsAppStatus(id: string, status: string, recipient = '447700900123', timestamp = Math.floor(Date.now() / 1000)): Record<string, unknown> {
  return { id, status, timestamp: String(timestamp), recipient_id: recipient };
}

/** A `page` payload: one entry with the given messaging events. */
export function messengerPayload(events: Record<string, unknown>[], pageId = '1234567890'): Record<string, unknown> {
  return { object: 'page', entry: [{ id: pageId, time: Date.now(), messaging: events }] };
}

/** A Messenger customer message event (text, or a tapped quick reply when `quickReply` is given). */
export function messengerMessage(options: { mid: string; psid: string; text?: string; quickReply?: string; pageId?: string; timestamp?: number }): Record<string, unknown> {
  return {
    sender: { id: options.psid },
    recipient: { id: options.pageId ?? '1234567890' },
    timestamp: options.timestamp ?? Date.now(),
    message: {
      mid: options.mid,
      text: options.text ?? options.quickReply ?? 'hello',
      ...(options.quickReply === undefined ? {} : { quick_reply: { payload: options.quickReply } }),
    },
  };
}
