/**
 * The Vonage (Nexmo) SMS channel (DESIGN.md §6, CHANNELS.md §3b): `POST /webhooks/sms/vonage`, JSON or form, with
 * Vonage's signed-webhook `sig` (md5hash or an HMAC, as the account is set up). verify.ts → parse.ts → normalize.ts
 * inbound, send.ts (the SMS API) outbound. Vonage redelivers for 24 hours until it gets a 2xx: a redelivery is a
 * duplicate (messageId). Parts of a concatenated SMS carry `part`; intake joins them (src/intake/message-parts.ts).
 */
import type { ChannelAdapter, ChannelCapabilities } from '../../contracts/channel-adapter.js';
import { systemClock, type Clock } from '../../shared/clock.js';
import { VONAGE_SMS_CHANNEL } from './normalize.js';
import { parseVonageRequest } from './parse.js';
import { createVonageSmsSender, DEFAULT_VONAGE_API_ROOT, VONAGE_MAX_TEXT_LENGTH } from './send.js';
import { DEFAULT_VONAGE_SIGNATURE_MAX_AGE_MS, verifyVonageRequest, type VonageSignatureMethod } from './verify.js';

export { VONAGE_SMS_CHANNEL, vonageReplyAddress, readVonageReplyAddress, customerAddressOf, sentAtOf } from './normalize.js';
export { parseVonageRequest } from './parse.js';
export { readVonageParams } from './params.js';
export {
  VONAGE_SIGNATURE_METHODS,
  DEFAULT_VONAGE_SIGNATURE_MAX_AGE_MS,
  vonageSignature,
  vonageSignedString,
  verifyVonageRequest,
  type VonageSignatureMethod,
  type VonageVerifyOptions,
} from './verify.js';
export {
  createVonageSmsSender,
  smsEncodingOf,
  splitVonageText,
  DEFAULT_VONAGE_API_ROOT,
  VONAGE_MAX_TEXT_LENGTH,
  type VonageSmsSenderConfig,
} from './send.js';

export const DEFAULT_VONAGE_WEBHOOK_PATH = '/webhooks/sms/vonage';
/** An inbound SMS (or one part of one) is well under a kilobyte of parameters: 64 KB is ample. */
export const VONAGE_BODY_LIMIT_BYTES = 64 * 1024;

export const VONAGE_SMS_CAPABILITIES: ChannelCapabilities = {
  quickReplies: false,
  typing: false,
  maxTextLength: VONAGE_MAX_TEXT_LENGTH,
  deliveryReceipts: true,
  dialog: true,
  reachableLater: true,
};

export interface VonageSmsAdapterConfig {
  /** VONAGE_SIGNATURE_SECRET. */
  signatureSecret: string;
  /** VONAGE_SIGNATURE_METHOD (default md5hash). */
  signatureMethod?: VonageSignatureMethod;
  /** Oldest signed timestamp accepted; null checks none (default 25 hours). */
  signatureMaxAgeMs?: number | null;
  /** VONAGE_API_KEY and VONAGE_API_SECRET: the SMS API credentials replies are sent with. */
  apiKey: string;
  apiSecret: string;
  /** SMS API base URL (VONAGE_API_ROOT). */
  apiRoot?: string;
  /** Bound on each API call (OUTBOUND_TIMEOUT_MS). */
  timeoutMs: number;
  clock?: Clock;
}

export function createVonageSmsAdapter(config: VonageSmsAdapterConfig): ChannelAdapter {
  const clock = config.clock ?? systemClock;
  const verifyOptions = {
    secret: config.signatureSecret,
    method: config.signatureMethod ?? 'md5hash',
    maxAgeMs: config.signatureMaxAgeMs === undefined ? DEFAULT_VONAGE_SIGNATURE_MAX_AGE_MS : config.signatureMaxAgeMs,
    now: () => clock.now(),
  };
  return {
    channel: VONAGE_SMS_CHANNEL,
    capabilities: VONAGE_SMS_CAPABILITIES,
    verify: (request) => verifyVonageRequest(request, verifyOptions),
    parse: (request, receivedAt) => parseVonageRequest(request, receivedAt),
    sender: createVonageSmsSender({
      apiKey: config.apiKey,
      apiSecret: config.apiSecret,
      apiRoot: config.apiRoot ?? DEFAULT_VONAGE_API_ROOT,
      timeoutMs: config.timeoutMs,
      now: () => clock.now(),
    }),
  };
}
