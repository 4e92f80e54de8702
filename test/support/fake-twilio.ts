/**
 * A local fake of Twilio's Messages REST API (twilio.com/docs/messaging/api/message-resource), for tests of the
 * Twilio SMS adapter: a node:http server on 127.0.0.1, port 0, answering `POST /2010-04-01/Accounts/{AccountSid}/
 * Messages.json` as Twilio does — HTTP basic auth with the account sid and auth token (401 code 20003 otherwise), a
 * form body with `To`, `From` or `MessagingServiceSid`, `Body` (400 with Twilio's codes when one is missing or the
 * body is over 1600 characters), and 201 with the message resource (`sid` `SM…`, `status` queued). It records every
 * message and can be scripted: a status with Twilio's error JSON (429 with Retry-After, 500, 400 code 21610 …), a
 * hang, or a dropped connection.
 *
 * Also the webhook side, as Twilio signs it (computed here independently of the adapter): an incoming-message or
 * status-callback request to a public URL with `X-Twilio-Signature`.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { readBody } from './fake-receiver.js';
import { fixturePath, listFixtures } from './fixtures.js';

export type FakeTwilioAnswer =
  | { type: 'error'; status: number; code: number; message: string; headers?: Record<string, string> }
  | { type: 'raw'; status: number; body: string; contentType: string }
  | { type: 'hang' }
  | { type: 'drop' };

/** Twilio's real failure answers. */
export const twilioAnswer = {
  tooManyRequests: (retryAfterSeconds?: number): FakeTwilioAnswer => ({
    type: 'error',
    status: 429,
    code: 20429,
    message: 'Too Many Requests',
    ...(retryAfterSeconds === undefined ? {} : { headers: { 'retry-after': String(retryAfterSeconds) } }),
  }),
  serverError: (status = 500): FakeTwilioAnswer => ({ type: 'error', status, code: 20500, message: 'Internal Server Error' }),
  unsubscribed: (): FakeTwilioAnswer => ({ type: 'error', status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' }),
  invalidNumber: (): FakeTwilioAnswer => ({ type: 'error', status: 400, code: 21211, message: "The 'To' number is not a valid phone number." }),
  badGatewayHtml: (): FakeTwilioAnswer => ({ type: 'raw', status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>', contentType: 'text/html' }),
  hang: (): FakeTwilioAnswer => ({ type: 'hang' }),
  drop: (): FakeTwilioAnswer => ({ type: 'drop' }),
} as const;

export interface TwilioMessageCall {
  accountSid: string;
  /** The decoded form parameters. */
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The sid answered (for accepted messages). */
  sid?: string;
  /** The HTTP status answered. */
  status: number;
}

export interface FakeTwilio {
  /** The API root to configure (`http://127.0.0.1:<port>`). */
  apiRoot: string;
  calls: TwilioMessageCall[];
  /** Messages accepted (201), in order. */
  sent(): TwilioMessageCall[];
  /** Queues answers for the next Messages.json calls, in order; then calls are answered normally. */
  script(...answers: FakeTwilioAnswer[]): void;
  /** Resolves once `count` calls were received. */
  waitForCalls(count: number, timeoutMs?: number): Promise<TwilioMessageCall[]>;
  close(): Promise<void>;
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

function twilioError(response: ServerResponse, status: number, code: number, message: string, headers?: Record<string, string>): void {
  sendJson(response, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${String(code)}`, status }, headers);
}

export async function startFakeTwilio(options: { accountSid: string; authToken: string }): Promise<FakeTwilio> {
  const calls: TwilioMessageCall[] = [];
  const scripts: FakeTwilioAnswer[] = [];
  let waiters: (() => void)[] = [];
  const expectedAuth = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const body = await readBody(request);
    const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(new URL(request.url ?? '/', 'http://fake').pathname);
    if (request.method !== 'POST' || !match?.[1]) {
      twilioError(response, 404, 20404, 'The requested resource was not found');
      return;
    }
    const params = Object.fromEntries(new URLSearchParams(body));
    const call: TwilioMessageCall = { accountSid: decodeURIComponent(match[1]), params, headers: request.headers, status: 0 };
    calls.push(call);
    const answer = (status: number): void => {
      call.status = status;
      for (const wake of waiters) wake();
    };
    if (request.headers.authorization !== expectedAuth || call.accountSid !== options.accountSid) {
      answer(401);
      twilioError(response, 401, 20003, 'Authentication Error - invalid username');
      return;
    }
    const scripted = scripts.shift();
    if (scripted) {
      if (scripted.type === 'hang') return;
      if (scripted.type === 'drop') {
        answer(0);
        response.socket?.destroy();
        return;
      }
      answer(scripted.status);
      if (scripted.type === 'raw') {
        response.writeHead(scripted.status, { 'content-type': scripted.contentType });
        response.end(scripted.body);
        return;
      }
      twilioError(response, scripted.status, scripted.code, scripted.message, scripted.headers);
      return;
    }
    if (!params.To) {
      answer(400);
      twilioError(response, 400, 21604, "A 'To' phone number is required.");
      return;
    }
    if (!params.From && !params.MessagingServiceSid) {
      answer(400);
      twilioError(response, 400, 21603, "A 'From' phone number is required.");
      return;
    }
    if (!params.Body && !params.MediaUrl) {
      answer(400);
      twilioError(response, 400, 21602, 'Message body is required.');
      return;
    }
    if ((params.Body ?? '').length > 1600) {
      answer(400);
      twilioError(response, 400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
      return;
    }
    const sid = `SM${randomBytes(16).toString('hex')}`;
    call.sid = sid;
    answer(201);
    const now = new Date().toUTCString();
    sendJson(response, 201, {
      account_sid: options.accountSid,
      api_version: '2010-04-01',
      body: params.Body,
      date_created: now,
      date_sent: null,
      date_updated: now,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: params.From ?? null,
      messaging_service_sid: params.MessagingServiceSid ?? null,
      num_media: '0',
      num_segments: String(Math.max(1, Math.ceil((params.Body ?? '').length / 153))),
      price: null,
      price_unit: 'USD',
      sid,
      status: 'queued',
      to: params.To,
      uri: `/2010-04-01/Accounts/${options.accountSid}/Messages/${sid}.json`,
    });
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) twilioError(response, 500, 20500, 'Internal Server Error');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    apiRoot: `http://127.0.0.1:${String(port)}`,
    calls,
    sent: () => calls.filter((call) => call.status === 201),
    script: (...answers) => scripts.push(...answers),
    waitForCalls: (count, timeoutMs = 5_000) =>
      new Promise<TwilioMessageCall[]>((resolve, reject) => {
        const check = (): boolean => {
          if (calls.filter((call) => call.status !== 0).length < count) return false;
          clearTimeout(timer);
          waiters = waiters.filter((waiter) => waiter !== check);
          resolve(calls);
          return true;
        };
        const timer = setTimeout(() => {
          waiters = waiters.filter((waiter) => waiter !== check);
          reject(new Error(`fake Twilio: ${String(calls.length)} of ${String(count)} calls after ${String(timeoutMs)} ms`));
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

/** What Twilio puts in X-Twilio-Signature: base64 HMAC-SHA1 of the URL then each sorted name and its values. */
export function signTwilio(authToken: string, url: string, body: string): string {
  const params = new Map<string, string[]>();
  for (const [name, value] of new URLSearchParams(body)) params.set(name, [...(params.get(name) ?? []), value]);
  let data = url;
  for (const name of [...params.keys()].sort()) for (const value of [...new Set(params.get(name))].sort()) data += name + value;
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/** A form body from parameters, encoded as Twilio encodes them (`+` for spaces). */
export function twilioForm(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

let nextSid = 0;

/** A new message sid (`SM` + 32 hex digits). */
export function newMessageSid(): string {
  nextSid += 1;
  return `SM${randomBytes(12).toString('hex')}${String(nextSid).padStart(8, '0')}`;
}

/** The parameters of an incoming SMS as Twilio posts them (the shape of the fixtures). */
export function incomingSms(options: { from: string; to: string; body: string; accountSid: string; messageSid?: string }): Record<string, string> {
  const sid = options.messageSid ?? newMessageSid();
  return {
    ToCountry: 'GB',
    ToState: '',
    SmsMessageSid: sid,
    NumMedia: '0',
    ToCity: '',
    FromZip: '',
    SmsSid: sid,
    FromState: '',
    SmsStatus: 'received',
    FromCity: '',
    Body: options.body,
    FromCountry: 'GB',
    To: options.to,
    ToZip: '',
    NumSegments: String(Math.max(1, Math.ceil(options.body.length / 153))),
    MessageSid: sid,
    AccountSid: options.accountSid,
    From: options.from,
    ApiVersion: '2010-04-01',
  };
}

/** Every `.form` fixture in fixtures/sms-twilio, as the exact body bytes. */
export function twilioFixtureBodies(): { name: string; body: string }[] {
  return listFixtures('sms-twilio', '.form').map((relative) => ({ name: relative, body: readFileSync(fixturePath(relative), 'utf8') }));
}
