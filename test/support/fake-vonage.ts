/**
 * A local fake of the Vonage (Nexmo) SMS API (developer.vonage.com/en/api/sms), for tests of the Vonage SMS adapter:
 * a node:http server on 127.0.0.1, port 0, answering `POST /sms/json` (form or JSON body) as Vonage does — HTTP 200
 * with `{"message-count", "messages": [...]}`, one entry per SMS part (160/153 GSM characters, 70/67 for unicode),
 * each `status` "0" with a `message-id`; wrong credentials or a missing parameter as a part with a non-zero status
 * and `error-text` (still HTTP 200). It records every request and can be scripted: an HTTP status (500, 429 with
 * Retry-After), a Vonage status (1 throttled, 29 non-whitelisted destination …), a hang, or a dropped connection.
 *
 * Also the webhook side, signed as Vonage signs it (computed here independently of the adapter): inbound SMS, the
 * parts of a concatenated SMS, delivery receipts, as JSON or form.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { parseJson, readBody } from './fake-receiver.js';

export type FakeVonageAnswer =
  | { type: 'http'; status: number; headers?: Record<string, string> }
  | { type: 'status'; status: string; errorText: string }
  | { type: 'hang' }
  | { type: 'drop' };

export const vonageAnswer = {
  serverError: (status = 500): FakeVonageAnswer => ({ type: 'http', status }),
  tooManyRequests: (retryAfterSeconds?: number): FakeVonageAnswer => ({
    type: 'http',
    status: 429,
    ...(retryAfterSeconds === undefined ? {} : { headers: { 'retry-after': String(retryAfterSeconds) } }),
  }),
  throttled: (): FakeVonageAnswer => ({ type: 'status', status: '1', errorText: 'Throttled' }),
  nonWhitelisted: (): FakeVonageAnswer => ({ type: 'status', status: '29', errorText: 'Non White-listed Destination - rejected' }),
  barred: (): FakeVonageAnswer => ({ type: 'status', status: '7', errorText: 'Number barred.' }),
  hang: (): FakeVonageAnswer => ({ type: 'hang' }),
  drop: (): FakeVonageAnswer => ({ type: 'drop' }),
} as const;

export interface VonageSmsCall {
  params: Record<string, string>;
  /** HTTP status answered (0 for a dropped or hung request). */
  status: number;
  /** Message ids of the parts when accepted. */
  messageIds: string[];
}

export interface FakeVonage {
  apiRoot: string;
  calls: VonageSmsCall[];
  /** Requests whose every part was accepted (status "0"), in order. */
  sent(): VonageSmsCall[];
  script(...answers: FakeVonageAnswer[]): void;
  waitForCalls(count: number, timeoutMs?: number): Promise<VonageSmsCall[]>;
  close(): Promise<void>;
}

const GSM = new Set(
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà\f^{}\\[~]|€",
);

function partCount(text: string, type: string): number {
  const unicode = type === 'unicode' || Array.from(text).some((character) => !GSM.has(character));
  const [single, multi] = unicode ? [70, 67] : [160, 153];
  return text.length <= single ? 1 : Math.ceil(text.length / multi);
}

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

export async function startFakeVonage(options: { apiKey: string; apiSecret: string }): Promise<FakeVonage> {
  const calls: VonageSmsCall[] = [];
  const scripts: FakeVonageAnswer[] = [];
  let waiters: (() => boolean)[] = [];
  const answered = (call: VonageSmsCall, status: number): void => {
    call.status = status;
    waiters = waiters.filter((check) => !check());
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const body = await readBody(request);
    if (request.method !== 'POST' || new URL(request.url ?? '/', 'http://fake').pathname !== '/sms/json') {
      json(response, 404, { type: 'https://developer.nexmo.com/api-errors#not-found', title: 'Not Found' });
      return;
    }
    const parsed = (request.headers['content-type'] ?? '').includes('json') ? parseJson(body) : Object.fromEntries(new URLSearchParams(body));
    const params: Record<string, string> = {};
    if (typeof parsed === 'object' && parsed !== null) for (const [name, value] of Object.entries(parsed)) params[name] = String(value);
    const call: VonageSmsCall = { params, status: 0, messageIds: [] };
    calls.push(call);
    const scripted = scripts.shift();
    if (scripted?.type === 'hang') return;
    if (scripted?.type === 'drop') {
      answered(call, 0);
      response.socket?.destroy();
      return;
    }
    if (scripted?.type === 'http') {
      answered(call, scripted.status);
      json(response, scripted.status, { type: 'https://developer.nexmo.com/api-errors', title: 'Error' }, scripted.headers);
      return;
    }
    const fail = (status: string, errorText: string): void => {
      answered(call, 200);
      json(response, 200, { 'message-count': '1', messages: [{ status, 'error-text': errorText }] });
    };
    const missing = (['from', 'to', 'text'] as const).find((name) => !params[name]);
    const refusal: [string, string] | null =
      scripted?.type === 'status'
        ? [scripted.status, scripted.errorText]
        : params.api_key !== options.apiKey || params.api_secret !== options.apiSecret
          ? ['4', 'Bad Credentials']
          : missing
            ? ['2', `Missing ${missing} param`]
            : !/^\d{7,15}$/.test(params.to ?? '')
              ? ['3', 'Invalid to param']
              : null;
    if (refusal) {
      fail(...refusal);
      return;
    }
    const parts = partCount(params.text ?? '', params.type ?? 'text');
    call.messageIds = Array.from({ length: parts }, () => randomBytes(8).toString('hex').toUpperCase());
    answered(call, 200);
    json(response, 200, {
      'message-count': String(parts),
      messages: call.messageIds.map((messageId) => ({
        to: params.to,
        'message-id': messageId,
        status: '0',
        'remaining-balance': '3.14159265',
        'message-price': '0.03330000',
        network: '23410',
        ...(params['client-ref'] ? { 'client-ref': params['client-ref'] } : {}),
      })),
    });
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) json(response, 500, { title: 'Internal Error' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    apiRoot: `http://127.0.0.1:${String(port)}`,
    calls,
    sent: () => calls.filter((call) => call.messageIds.length > 0),
    script: (...answers) => scripts.push(...answers),
    waitForCalls: (count, timeoutMs = 5_000) =>
      new Promise<VonageSmsCall[]>((resolve, reject) => {
        const check = (): boolean => {
          if (calls.filter((call) => call.status !== 0).length < count) return false;
          clearTimeout(timer);
          resolve(calls);
          return true;
        };
        const timer = setTimeout(() => {
          waiters = waiters.filter((waiter) => waiter !== check);
          reject(new Error(`fake Vonage: ${String(calls.length)} of ${String(count)} calls after ${String(timeoutMs)} ms`));
        }, timeoutMs);
        if (!check()) waiters.push(check);
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

export type VonageSigningMethod = 'md5hash' | 'md5' | 'sha1' | 'sha256' | 'sha512';

/** Vonage's `sig` over the parameters (every one but `sig`), as its signed webhooks carry it. */
export function signVonage(params: Record<string, string>, secret: string, method: VonageSigningMethod = 'md5hash'): string {
  const names = Object.keys(params).filter((name) => name !== 'sig').sort();
  let signed = '';
  for (const name of names) signed += `&${name}=${(params[name] ?? '').replaceAll('&', '_').replaceAll('=', '_')}`;
  return method === 'md5hash' ? createHash('md5').update(signed + secret).digest('hex') : createHmac(method, secret).update(signed).digest('hex').toUpperCase();
}

/** The parameters with a fresh `timestamp`, `nonce` and `sig` (as Vonage adds them to a signed webhook). */
export function signedVonageParams(params: Record<string, string>, secret: string, options: { method?: VonageSigningMethod; at?: Date } = {}): Record<string, string> {
  const { sig: _old, ...rest } = params;
  const withTime = { ...rest, timestamp: String(Math.floor((options.at ?? new Date()).getTime() / 1000)), nonce: rest.nonce ?? randomBytes(16).toString('hex') };
  return { ...withTime, sig: signVonage(withTime, secret, options.method) };
}

let nextMessageId = 0;

/** A new Vonage message id (16 hex digits). */
export function newVonageMessageId(): string {
  nextMessageId += 1;
  return `${randomBytes(4).toString('hex').toUpperCase()}${String(nextMessageId).padStart(8, '0')}`;
}

/** The (unsigned) parameters of an inbound SMS as Vonage sends them. */
export function inboundSms(options: { msisdn: string; to: string; text: string; messageId?: string; at?: Date }): Record<string, string> {
  const at = options.at ?? new Date();
  const unicode = Array.from(options.text).some((character) => !GSM.has(character));
  return {
    msisdn: options.msisdn,
    to: options.to,
    messageId: options.messageId ?? newVonageMessageId(),
    text: options.text,
    type: unicode ? 'unicode' : 'text',
    keyword: (options.text.split(/\s+/, 1)[0] ?? '').toUpperCase().slice(0, 20),
    'message-timestamp': at.toISOString().slice(0, 19).replace('T', ' '),
  };
}

/** The parts of a long inbound SMS as Vonage delivers them: one request each, cut at `size` characters, part 1 first. */
export function concatenatedSms(options: { msisdn: string; to: string; text: string; ref: string; size?: number; at?: Date }): Record<string, string>[] {
  const size = options.size ?? 153;
  const pieces: string[] = [];
  for (let start = 0; start < options.text.length; start += size) pieces.push(options.text.slice(start, start + size));
  return pieces.map((piece, index) => ({
    ...inboundSms({ msisdn: options.msisdn, to: options.to, text: piece, ...(options.at ? { at: options.at } : {}) }),
    concat: 'true',
    'concat-ref': options.ref,
    'concat-total': String(pieces.length),
    'concat-part': String(index + 1),
  }));
}

/** A delivery receipt (DLR) for a message part Ombuds sent. */
export function deliveryReceipt(options: { messageId: string; msisdn: string; to: string; status: string; errorCode?: string }): Record<string, string> {
  return {
    msisdn: options.msisdn,
    to: options.to,
    'network-code': '23410',
    messageId: options.messageId,
    price: '0.03330000',
    status: options.status,
    scts: '2612010800',
    'err-code': options.errorCode ?? '0',
    'api-key': 'abcd1234',
    'message-timestamp': new Date().toISOString().slice(0, 19).replace('T', ' '),
  };
}

/** A webhook body of these parameters, as JSON (Vonage's POST-JSON) or as a form. */
export function vonageBody(params: Record<string, string>, format: 'json' | 'form' = 'json'): { body: string; contentType: string } {
  return format === 'json'
    ? { body: JSON.stringify(params), contentType: 'application/json' }
    : { body: new URLSearchParams(params).toString(), contentType: 'application/x-www-form-urlencoded' };
}
