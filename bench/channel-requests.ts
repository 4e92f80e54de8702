/**
 * The requests of the channels bench (bench/channels.ts): for each channel, an endless source of requests as the
 * vendor sends them, each with a message id of its own (never a duplicate) and a valid signature computed for that
 * request, plus the credentials Ombuds is configured with to check them. The signers are written here with
 * node:crypto from the adapters' verify.ts (not imported from them, so that a bug there cannot make its own
 * signatures pass):
 * - Twilio SMS: form body; `X-Twilio-Signature` = base64 HMAC-SHA1(auth token, public URL + every parameter name
 *   and value, sorted by name) over TWILIO_PUBLIC_BASE_URL + path (an https URL without a port, as in production);
 * - WhatsApp: JSON as Meta serialises it (non-ASCII as \uXXXX); `X-Hub-Signature-256` = sha256=hex HMAC-SHA256(app
 *   secret, exact body);
 * - WeChat (plain mode): XML body; `signature` = hex SHA-1 of [token, timestamp, nonce] sorted and joined, in the
 *   query with the current `timestamp` and a fresh `nonce`;
 * - Telegram: an Update; the webhook secret in `X-Telegram-Bot-Api-Secret-Token`;
 * - the API channel: `POST /v1/messages` with the app key, bodies from bench/workload.ts.
 * Every channel carries the same texts (the API fixtures, rotated) from a pool of senders, so the messages cost the
 * classifier and the workers alike; only the envelope differs.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { ApiMessageBody } from '../src/contracts/index.js';
import { createWorkload, type IdFormat } from './workload.js';

/** The channels, by the name their messages are stored under. */
export const CHANNELS = ['api', 'sms_twilio', 'whatsapp', 'wechat', 'telegram'] as const;
export type ChannelName = (typeof CHANNELS)[number];
export type WebhookChannel = Exclude<ChannelName, 'api'>;

export const CHANNEL_LABELS: Record<ChannelName, string> = {
  api: 'API (POST /v1/messages)',
  sms_twilio: 'SMS (Twilio)',
  whatsapp: 'WhatsApp (Meta)',
  wechat: 'WeChat (plain)',
  telegram: 'Telegram',
};

export interface SignedRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
  /** The `channel_message_id` the stored message will carry (webhook channels; null for the API channel). */
  channelMessageId: string | null;
}

export interface ChannelSource {
  channel: ChannelName;
  next(): SignedRequest;
  /**
   * The id the loss check looks for, from an answer: the API channel's `messageId` (the row's id) from a 2xx body;
   * a webhook's channel message id as sent (its 2xx body is empty or a fixed acknowledgement).
   */
  acceptedId(sent: SignedRequest, status: number, body: string): string | null;
}

/** Made-up credentials in each vendor's format (the bench's Ombuds checks signatures against them). */
export const BENCH_CREDENTIALS = {
  twilio: {
    accountSid: 'AC0123456789abcdef0123456789abcdef',
    authToken: 'fedcba9876543210fedcba9876543210',
    /** What Twilio would call; signatures cover it, requests go to 127.0.0.1 all the same. */
    publicBaseUrl: 'https://complaints.bench.example',
    path: '/webhooks/sms/twilio',
    ourNumber: '+13177933221',
  },
  meta: { appSecret: 'bench-meta-app-secret-0123456789', verifyToken: 'bench-verify-token', accessToken: 'bench-whatsapp-access-token', phoneNumberId: '1234567890', path: '/webhooks/meta' },
  wechat: { token: 'benchWeChatToken42', appId: 'wx0123456789abcdef', appSecret: '0123456789abcdefghijABCDEFGHIJ01', path: '/webhooks/wechat', account: 'gh_ombudsbench01' },
  telegram: { botToken: '7000000042:AAH-channels-bench-token-for-the-fake-api', secret: 'channels-bench-webhook-secret', path: '/webhooks/telegram' },
} as const;

/** The Ombuds settings that turn the four webhook channels on with these credentials, sending to `apiRoot`. */
export function channelEnv(apiRoot: string): Record<string, string> {
  const { twilio, meta, wechat, telegram } = BENCH_CREDENTIALS;
  return {
    TWILIO_ACCOUNT_SID: twilio.accountSid,
    TWILIO_AUTH_TOKEN: twilio.authToken,
    TWILIO_PUBLIC_BASE_URL: twilio.publicBaseUrl,
    TWILIO_API_ROOT: apiRoot,
    META_APP_SECRET: meta.appSecret,
    META_VERIFY_TOKEN: meta.verifyToken,
    META_ACCESS_TOKEN: meta.accessToken,
    META_GRAPH_API_ROOT: apiRoot,
    WECHAT_TOKEN: wechat.token,
    WECHAT_APP_ID: wechat.appId,
    WECHAT_APP_SECRET: wechat.appSecret,
    WECHAT_API_ROOT: apiRoot,
    // Plain mode (no EncodingAESKey), and the check of the signed timestamp as in production.
    WECHAT_ENCODING_AES_KEY: '',
    TELEGRAM_BOT_TOKEN: telegram.botToken,
    TELEGRAM_MODE: 'webhook',
    TELEGRAM_WEBHOOK_SECRET: telegram.secret,
    TELEGRAM_API_ROOT: apiRoot,
  };
}

// --- Signers, as the vendors sign (see the adapters' verify.ts) ----------------------------------------------------

/** base64 HMAC-SHA1(auth token, url + each name (sorted) followed by each of its distinct values (sorted)). */
export function signTwilio(authToken: string, url: string, body: string): string {
  const params = new Map<string, string[]>();
  for (const [name, value] of new URLSearchParams(body)) params.set(name, [...(params.get(name) ?? []), value]);
  let data = url;
  for (const name of [...params.keys()].sort()) for (const value of [...new Set(params.get(name))].sort()) data += name + value;
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

export function signMeta(appSecret: string, body: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body, 'utf8').digest('hex')}`;
}

export function signWeChat(token: string, timestamp: string, nonce: string): string {
  return createHash('sha1').update([token, timestamp, nonce].sort().join(''), 'utf8').digest('hex');
}

/** JSON as Meta serialises it: non-ASCII escaped as `\uXXXX`, `/` as `\/`. */
function metaJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/\//g, '\\/')
    .replace(/[\u007f-\uffff]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function cdata(text: string): string {
  return `<![CDATA[${text.split(']]>').join(']]]]><![CDATA[>')}]]>`;
}

// --- Sources ------------------------------------------------------------------------------------------------------

export interface SourceOptions {
  fixtures: readonly ApiMessageBody[];
  /** Distinct senders per channel. */
  customers: number;
  ids: IdFormat;
  /** The API channel's app key. */
  apiKey: string;
}

/** What every channel's message says: the next API fixture's text and language, and a random sender of the pool. */
function contentSource(options: SourceOptions): () => { sequence: number; customer: number; text: string; zh: boolean } {
  let sequence = 0;
  return () => {
    const current = sequence++;
    const fixture = options.fixtures[current % options.fixtures.length];
    if (!fixture) throw new Error('no fixtures');
    return { sequence: current, customer: Math.floor(Math.random() * options.customers), text: fixture.text, zh: (fixture.locale ?? '').startsWith('zh') };
  };
}

const phoneDigits = (customer: number) => `86138${String(customer).padStart(8, '0')}`;
const unixNow = () => Math.floor(Date.now() / 1000);

function apiSource(options: SourceOptions): ChannelSource {
  const workload = createWorkload(options.fixtures, options.ids, options.customers);
  const headers = { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json' };
  return {
    channel: 'api',
    next: () => ({ path: '/v1/messages', headers, body: workload.nextBody(), channelMessageId: null }),
    acceptedId: (_sent, status, body) => {
      if (status < 200 || status >= 300) return null;
      try {
        const parsed = JSON.parse(body) as unknown;
        return typeof parsed === 'object' && parsed !== null && 'messageId' in parsed && typeof parsed.messageId === 'string' ? parsed.messageId : null;
      } catch {
        return null;
      }
    },
  };
}

/** A webhook's 2xx means "stored" (or a duplicate, which the unique ids rule out): its id is the one sent. */
function webhookAccepted(sent: SignedRequest, status: number): string | null {
  return status >= 200 && status < 300 ? sent.channelMessageId : null;
}

function twilioSource(options: SourceOptions): ChannelSource {
  const { twilio } = BENCH_CREDENTIALS;
  const content = contentSource(options);
  const url = `${twilio.publicBaseUrl}${twilio.path}`;
  // A run-unique prefix, so that sids never repeat even across runs on one database.
  const prefix = randomBytes(12).toString('hex');
  return {
    channel: 'sms_twilio',
    next() {
      const { sequence, customer, text } = content();
      const sid = `SM${prefix}${sequence.toString(16).padStart(8, '0')}`;
      const from = `+${phoneDigits(customer)}`;
      const body = new URLSearchParams({
        ToCountry: 'US',
        ToState: 'IN',
        SmsMessageSid: sid,
        NumMedia: '0',
        SmsSid: sid,
        SmsStatus: 'received',
        Body: text,
        FromCountry: 'CN',
        To: twilio.ourNumber,
        NumSegments: String(Math.max(1, Math.ceil(text.length / 70))),
        MessageSid: sid,
        AccountSid: twilio.accountSid,
        From: from,
        ApiVersion: '2010-04-01',
      }).toString();
      return {
        path: twilio.path,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signTwilio(twilio.authToken, url, body) },
        body,
        channelMessageId: sid,
      };
    },
    acceptedId: webhookAccepted,
  };
}

function whatsAppSource(options: SourceOptions): ChannelSource {
  const { meta } = BENCH_CREDENTIALS;
  const content = contentSource(options);
  const prefix = randomBytes(6).toString('hex').toUpperCase();
  return {
    channel: 'whatsapp',
    next() {
      const { sequence, customer, text } = content();
      const id = `wamid.BENCH${prefix}${String(sequence).padStart(10, '0')}`;
      const waId = phoneDigits(customer);
      const body = metaJson({
        object: 'whatsapp_business_account',
        entry: [
          {
            id: '8856996819413533',
            changes: [
              {
                field: 'messages',
                value: {
                  messaging_product: 'whatsapp',
                  metadata: { display_phone_number: '+44 7700 900000', phone_number_id: meta.phoneNumberId },
                  contacts: [{ profile: { name: `Bench Customer ${String(customer)}` }, wa_id: waId }],
                  messages: [{ from: waId, id, timestamp: String(unixNow()), type: 'text', text: { body: text } }],
                },
              },
            ],
          },
        ],
      });
      return { path: meta.path, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMeta(meta.appSecret, body) }, body, channelMessageId: id };
    },
    acceptedId: webhookAccepted,
  };
}

/** An OpenID as WeChat makes them: `o` and 27 characters of base64url (a few digits, as in real ones), fixed per customer. */
function openIdOf(customer: number): string {
  return `o${createHash('sha256').update(`bench-customer-${String(customer)}`).digest('base64url').slice(0, 27)}`;
}

function weChatSource(options: SourceOptions): ChannelSource {
  const { wechat } = BENCH_CREDENTIALS;
  const content = contentSource(options);
  // MsgId is a 64-bit integer: 19 digits, a run-unique first part and the sequence.
  const prefix = String(1_000 + Math.floor(Math.random() * 8_000));
  return {
    channel: 'wechat',
    next() {
      const { sequence, customer, text } = content();
      const msgId = `${prefix}${String(sequence).padStart(15, '0')}`;
      const timestamp = String(unixNow());
      const nonce = String(randomBytes(4).readUInt32BE(0));
      const openId = openIdOf(customer);
      const body = [
        '<xml>',
        `<ToUserName>${cdata(wechat.account)}</ToUserName>`,
        `<FromUserName>${cdata(openId)}</FromUserName>`,
        `<CreateTime>${timestamp}</CreateTime>`,
        `<MsgType>${cdata('text')}</MsgType>`,
        `<Content>${cdata(text)}</Content>`,
        `<MsgId>${msgId}</MsgId>`,
        '</xml>',
      ].join('\n');
      const query = new URLSearchParams({ signature: signWeChat(wechat.token, timestamp, nonce), timestamp, nonce, openid: openId });
      return { path: `${wechat.path}?${query.toString()}`, headers: { 'content-type': 'text/xml' }, body, channelMessageId: msgId };
    },
    acceptedId: webhookAccepted,
  };
}

/** Chats (and users) are numbered from here. */
const FIRST_CHAT = 800_000_000;

function telegramSource(options: SourceOptions): ChannelSource {
  const { telegram } = BENCH_CREDENTIALS;
  const content = contentSource(options);
  const headers = { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': telegram.secret };
  return {
    channel: 'telegram',
    next() {
      const { sequence, customer, text, zh } = content();
      const chat = FIRST_CHAT + customer;
      const messageId = sequence + 1;
      const user = { id: chat, is_bot: false, first_name: 'Bench', last_name: `Customer ${String(customer)}`, language_code: zh ? 'zh-hans' : 'en' };
      const body = JSON.stringify({
        update_id: 100_000 + sequence,
        message: { message_id: messageId, from: user, chat: { id: chat, first_name: user.first_name, last_name: user.last_name, type: 'private' }, date: unixNow(), text },
      });
      return { path: telegram.path, headers, body, channelMessageId: `${String(chat)}:${String(messageId)}` };
    },
    acceptedId: webhookAccepted,
  };
}

export function createChannelSource(channel: ChannelName, options: SourceOptions): ChannelSource {
  switch (channel) {
    case 'api':
      return apiSource(options);
    case 'sms_twilio':
      return twilioSource(options);
    case 'whatsapp':
      return whatsAppSource(options);
    case 'wechat':
      return weChatSource(options);
    case 'telegram':
      return telegramSource(options);
  }
}
