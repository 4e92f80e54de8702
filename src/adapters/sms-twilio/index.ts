/**
 * The Twilio SMS channel (DESIGN.md §6, CHANNELS.md §3a): `POST /webhooks/sms/twilio`, form-encoded, signed with
 * `X-Twilio-Signature` over the public URL. verify.ts → parse.ts → normalize.ts inbound, send.ts (the Messages REST
 * API) outbound. Twilio does not redeliver a webhook that fails, so the route answers only once the message is
 * stored (the generic route awaits intake), and answers with an empty TwiML document: no reply in the response,
 * replies go through the REST API like every other channel's.
 */
import type { ChannelAdapter, ChannelCapabilities } from '../../contracts/channel-adapter.js';
import { TWILIO_SMS_CHANNEL } from './normalize.js';
import { parseTwilioRequest } from './parse.js';
import { createTwilioSmsSender, DEFAULT_TWILIO_API_ROOT, TWILIO_MAX_TEXT_LENGTH } from './send.js';
import { verifyTwilioRequest } from './verify.js';

export { TWILIO_SMS_CHANNEL, twilioReplyAddress, readTwilioReplyAddress, phoneOf } from './normalize.js';
export { parseTwilioRequest } from './parse.js';
export { TWILIO_SIGNATURE_HEADER, twilioSignature, verifyTwilioRequest, candidateUrls, publicUrlOf } from './verify.js';
export { readFormParams, firstValues, type FormParams } from './form.js';
export {
  createTwilioSmsSender,
  splitSmsText,
  withTypedOptions,
  DEFAULT_TWILIO_API_ROOT,
  TWILIO_MAX_TEXT_LENGTH,
  type TwilioSmsSenderConfig,
} from './send.js';

export const DEFAULT_TWILIO_WEBHOOK_PATH = '/webhooks/sms/twilio';
/** An SMS webhook is a few kilobytes (Body ≤ 1600 characters, media as URLs): 64 KB is ample. */
export const TWILIO_BODY_LIMIT_BYTES = 64 * 1024;

/** What Twilio expects on success: an empty TwiML document (no reply in the response). */
export const TWILIO_ACKNOWLEDGEMENT = { contentType: 'text/xml', body: '<?xml version="1.0" encoding="UTF-8"?><Response></Response>' } as const;

export const TWILIO_SMS_CAPABILITIES: ChannelCapabilities = {
  quickReplies: false,
  typing: false,
  maxTextLength: TWILIO_MAX_TEXT_LENGTH,
  deliveryReceipts: true,
  dialog: true,
  reachableLater: true,
};

export interface TwilioSmsAdapterConfig {
  /** TWILIO_ACCOUNT_SID (`AC…`). */
  accountSid: string;
  /** TWILIO_AUTH_TOKEN: signs the webhooks and authenticates the REST calls. */
  authToken: string;
  /** The public URL Twilio calls, without the path (TWILIO_PUBLIC_BASE_URL, else PUBLIC_BASE_URL). */
  publicBaseUrl: string;
  /** The webhook's path (status callbacks are sent there too). */
  webhookPath?: string;
  /** REST API base URL (TWILIO_API_ROOT). */
  apiRoot?: string;
  /** Bound on each REST call (OUTBOUND_TIMEOUT_MS). */
  timeoutMs: number;
}

export function createTwilioSmsAdapter(config: TwilioSmsAdapterConfig): ChannelAdapter {
  const path = config.webhookPath ?? DEFAULT_TWILIO_WEBHOOK_PATH;
  const sender = createTwilioSmsSender({
    accountSid: config.accountSid,
    authToken: config.authToken,
    apiRoot: config.apiRoot ?? DEFAULT_TWILIO_API_ROOT,
    statusCallbackUrl: `${config.publicBaseUrl.replace(/\/+$/, '')}${path}`,
    timeoutMs: config.timeoutMs,
  });
  return {
    channel: TWILIO_SMS_CHANNEL,
    capabilities: TWILIO_SMS_CAPABILITIES,
    verify: (request) => verifyTwilioRequest(request, { authToken: config.authToken, publicBaseUrl: config.publicBaseUrl }),
    parse: (request, receivedAt) => parseTwilioRequest(request, receivedAt),
    sender,
    acknowledgement: TWILIO_ACKNOWLEDGEMENT,
  };
}
