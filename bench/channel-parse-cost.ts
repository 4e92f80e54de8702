/**
 * What verifying and parsing one request costs, per channel, measured in this process on one thread (before any
 * server of the channels bench runs): the same signed requests the bench sends (bench/channel-requests.ts), through
 * the adapters' own functions — for a webhook channel `verify` then `parse`, as `receiveWebhook` does before it hands
 * the message to intake; for the API channel `JSON.parse`, the ApiMessageBody schema and `normalizeApiMessage`, as
 * its route does after the key check — and, timed apart, the redaction of the message's `raw` payload that intake's
 * accept does on the same HTTP request before storing it (src/intake/redact-deep.ts: every string of the vendor's
 * payload that may hold PII goes through the PII redactor). Reading the body, the key check, the redaction of the
 * text (the same for every channel) and the database are left out. Signing is done before the clock starts.
 */
import { apiChannel, metaChannel, telegramChannel, weChatChannel } from '../src/adapters/index.js';
import { parseTwilioRequest, verifyTwilioRequest } from '../src/adapters/sms-twilio/index.js';
import type { RawWebhookRequest } from '../src/contracts/channel-adapter.js';
import type { ApiMessageBody, InboundMessage, ParseResult } from '../src/contracts/index.js';
import { redactDeep } from '../src/intake/redact-deep.js';
import { systemClock } from '../src/shared/clock.js';
import { BENCH_CREDENTIALS, CHANNELS, createChannelSource, type ChannelName, type SignedRequest } from './channel-requests.js';

export interface ParseCost {
  channel: ChannelName;
  /** What was timed. */
  what: string;
  requests: number;
  /** Mean wall time per request (µs) of verify + parse, one thread, nothing else running in this process. */
  microsPerRequest: number;
  /** Mean wall time per request (µs) of redacting the message's raw payload (intake, same HTTP request). */
  rawRedactionMicros: number;
}

const WHAT: Record<ChannelName, string> = {
  api: 'JSON.parse + ApiMessageBody + normalize',
  sms_twilio: 'verify (HMAC-SHA1 × 2 URLs) + parse form',
  whatsapp: 'verify (HMAC-SHA256) + parse JSON',
  wechat: 'verify (SHA-1, timestamp) + parse XML',
  telegram: 'verify (secret) + parse JSON',
};

function rawOf(request: SignedRequest): RawWebhookRequest {
  const rawBody = Buffer.from(request.body, 'utf8');
  return { method: 'POST', path: request.path, headers: { ...request.headers, 'content-length': String(rawBody.length) }, rawBody };
}

type Step = (request: SignedRequest, raw: RawWebhookRequest) => Promise<InboundMessage>;

function messageOf(results: ParseResult[]): InboundMessage {
  const first = results[0];
  if (first?.kind !== 'message') throw new Error('a request the bench made did not parse into a message');
  return first.message;
}

function stepFor(channel: ChannelName): Step {
  const { twilio, meta, wechat, telegram } = BENCH_CREDENTIALS;
  const wechatVerification = { token: wechat.token, cipher: null, clock: systemClock, timestampToleranceSeconds: 300 };
  switch (channel) {
    case 'api':
      return (request) => {
        const parsed = apiChannel.parseApiMessage(JSON.parse(request.body));
        if (parsed.kind !== 'message') throw new Error('an API body the bench made does not parse');
        return Promise.resolve(apiChannel.normalizeApiMessage(parsed.body, { id: '00000000-0000-4000-8000-000000000000', name: 'bench' }, new Date()));
      };
    case 'sms_twilio':
      return async (_request, raw) => {
        await verifyTwilioRequest(raw, { authToken: twilio.authToken, publicBaseUrl: twilio.publicBaseUrl });
        return messageOf(parseTwilioRequest(raw, new Date()));
      };
    case 'whatsapp':
      return async (_request, raw) => {
        await metaChannel.verifyMetaRequest(raw, meta.appSecret);
        return messageOf(metaChannel.parseMetaRequest(raw, new Date()));
      };
    case 'wechat':
      return async (_request, raw) => {
        await weChatChannel.verifyWeChatRequest(raw, wechatVerification);
        return messageOf(weChatChannel.parseWeChatRequest(raw, new Date(), null));
      };
    case 'telegram':
      return async (_request, raw) => {
        await telegramChannel.verifyTelegramRequest(raw, telegram.secret);
        return messageOf(telegramChannel.parseTelegramRequest(raw, new Date()));
      };
  }
}

export async function measureParseCosts(fixtures: readonly ApiMessageBody[], requests = 5_000): Promise<ParseCost[]> {
  const costs: ParseCost[] = [];
  for (const channel of CHANNELS) {
    const source = createChannelSource(channel, { fixtures, customers: 2_000, ids: 'fixture', apiKey: 'omb_app_bench' });
    const warm = Math.min(1_000, requests);
    const prepared = Array.from({ length: requests + warm }, () => {
      const request = source.next();
      return { request, raw: rawOf(request) };
    });
    const step = stepFor(channel);
    for (const { request, raw } of prepared.slice(0, warm)) redactDeep((await step(request, raw)).raw);
    const messages: InboundMessage[] = [];
    const start = performance.now();
    for (const { request, raw } of prepared.slice(warm)) messages.push(await step(request, raw));
    const elapsed = performance.now() - start;
    const redactionStart = performance.now();
    for (const message of messages) redactDeep(message.raw);
    const redaction = performance.now() - redactionStart;
    costs.push({ channel, what: WHAT[channel], requests, microsPerRequest: (elapsed * 1000) / requests, rawRedactionMicros: (redaction * 1000) / requests });
  }
  return costs;
}
