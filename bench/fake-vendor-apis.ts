/**
 * One local fake of every vendor API the channels bench (bench/channels.ts) sends to, so that the replies the intake
 * dialog writes are delivered at once and never pile up as retries: a node:http server on 127.0.0.1 answering, with
 * the vendor's success JSON,
 * - Twilio `POST /2010-04-01/Accounts/{sid}/Messages.json` → 201 with a message resource (`sid` SM…, `queued`);
 * - Meta Graph `POST /{version}/{phone-number-id}/messages` → WhatsApp's `{messaging_product, contacts, messages:[{id}]}`,
 *   and `POST /{version}/me/messages` → Messenger's `{recipient_id, message_id}`;
 * - WeChat `POST /cgi-bin/stable_token` → `{access_token, expires_in}`, `POST /cgi-bin/message/custom/{send,typing}` →
 *   `{errcode:0, errmsg:"ok"}`;
 * - Telegram `POST /bot<token>/<method>` → `{ok:true, result}` (a Message for sendMessage, `true` otherwise).
 * Anything else is a 404 and counted as refused. It checks no credential (the adapters' own tests do) and keeps only
 * counts, so that at a few hundred calls a second it costs the bench process little.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export interface FakeVendorApis {
  /** The API root to give every channel (TWILIO_API_ROOT, META_GRAPH_API_ROOT, WECHAT_API_ROOT, TELEGRAM_API_ROOT). */
  apiRoot: string;
  /** Calls so far by vendor API (`twilio messages`, `whatsapp messages`, `wechat custom/send`, `telegram sendMessage` …). */
  counts(): Record<string, number>;
  /** Calls answered 404 (a path no vendor has). */
  refused(): number;
  close(): Promise<void>;
}

interface Answer {
  api: string;
  status: number;
  body: unknown;
}

const TWILIO = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;
const GRAPH = /^\/v\d+\.\d+\/(me|\d+)\/messages$/;
const WECHAT = /^\/cgi-bin\/(stable_token|message\/custom\/send|message\/custom\/typing)$/;
const TELEGRAM = /^\/bot[^/]+\/([A-Za-z]+)$/;

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

/** A JSON or form body's parameters (telegraf sends JSON, Twilio's client a form). */
function paramsOf(request: IncomingMessage, body: string): Record<string, unknown> {
  if (body === '') return {};
  if ((request.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(body));
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function stringOf(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

export async function startFakeVendorApis(): Promise<FakeVendorApis> {
  const counts: Record<string, number> = {};
  let refused = 0;
  let next = 1;

  const answerFor = (request: IncomingMessage, body: string): Answer => {
    const path = new URL(request.url ?? '/', 'http://fake').pathname;
    const id = next++;
    const twilio = TWILIO.exec(path);
    if (twilio) {
      const params = paramsOf(request, body);
      const sid = `SM${id.toString(16).padStart(32, '0')}`;
      return {
        api: 'twilio messages',
        status: 201,
        body: { account_sid: twilio[1], sid, status: 'queued', to: stringOf(params.To), from: stringOf(params.From), body: stringOf(params.Body), num_segments: '1', direction: 'outbound-api' },
      };
    }
    const graph = GRAPH.exec(path);
    if (graph) {
      const params = paramsOf(request, body);
      if (graph[1] === 'me') {
        const recipient = stringOf((params.recipient as { id?: unknown } | undefined)?.id);
        return { api: 'messenger messages', status: 200, body: { recipient_id: recipient, message_id: `m_BENCH${String(id)}` } };
      }
      const to = stringOf(params.to);
      return { api: 'whatsapp messages', status: 200, body: { messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: to }], messages: [{ id: `wamid.BENCH${String(id).padStart(10, '0')}` }] } };
    }
    const wechat = WECHAT.exec(path);
    if (wechat?.[1] === 'stable_token') return { api: 'wechat stable_token', status: 200, body: { access_token: 'bench-access-token', expires_in: 7200 } };
    if (wechat?.[1]) return { api: `wechat ${wechat[1].replace('message/', '')}`, status: 200, body: { errcode: 0, errmsg: 'ok' } };
    const telegram = TELEGRAM.exec(path);
    if (telegram?.[1]) {
      const method = telegram[1];
      if (method !== 'sendMessage') return { api: `telegram ${method}`, status: 200, body: { ok: true, result: true } };
      const params = paramsOf(request, body);
      const chat = Number(stringOf(params.chat_id));
      return {
        api: 'telegram sendMessage',
        status: 200,
        body: {
          ok: true,
          result: { message_id: id, from: { id: 42, is_bot: true, first_name: 'Ombuds', username: 'ombuds_bot' }, chat: { id: chat, type: 'private' }, date: Math.floor(Date.now() / 1000), text: stringOf(params.text) },
        },
      };
    }
    return { api: 'unknown', status: 404, body: { error: 'not a path of this fake' } };
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const body = await readBody(request);
    const answer = answerFor(request, body);
    if (answer.status === 404) refused += 1;
    else counts[answer.api] = (counts[answer.api] ?? 0) + 1;
    const json = JSON.stringify(answer.body);
    response.writeHead(answer.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
    response.end(json);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      refused += 1;
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    apiRoot: `http://127.0.0.1:${String(port)}`,
    counts: () => ({ ...counts }),
    refused: () => refused,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
