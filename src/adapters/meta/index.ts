/**
 * The Meta channels (DESIGN.md §6, CHANNELS.md §4): WhatsApp Cloud API and Facebook Messenger share one app, one
 * webhook (`GET` + `POST /webhooks/meta`), one signature (X-Hub-Signature-256 with the app secret) and the Graph API
 * for replies, so one adapter serves both. Inbound: verify.ts → parse.ts (routed by `object`) →
 * normalize-whatsapp.ts / normalize-messenger.ts; the GET handshake in challenge.ts. Outbound: send.ts.
 *
 * {@link createMetaAdapter} returns the webhook adapter with the two products on it:
 * - `whatsapp` and `messenger` are the channels messages are stored under: each has its own capabilities (for the
 *   intake dialog) and its own sender (the outbound queue picks senders by channel);
 * - the adapter itself is what the generic route mounts. It verifies and parses both products, shows "typing…"
 *   where the product can, and its `channel` is `whatsapp`, because the route files every delivery receipt under
 *   the mounted adapter's channel and only WhatsApp sends receipts Ombuds records (Messenger's are dropped,
 *   CHANNELS.md §4).
 */
import type { ChannelAdapter, ChannelCapabilities } from '../../contracts/channel-adapter.js';
import { ConfigInvalid } from '../../shared/errors.js';
import { answerMetaChallenge } from './challenge.js';
import { DEFAULT_GRAPH_API_ROOT, DEFAULT_GRAPH_API_VERSION } from './graph-api.js';
import { MESSENGER_MAX_TEXT_LENGTH } from './messenger-messages.js';
import { parseMetaRequest } from './parse.js';
import { MESSENGER_CHANNEL, WHATSAPP_CHANNEL } from './reply-address.js';
import { createMessengerSender, createMetaWebhookSender, createWhatsAppSender, type MetaSender } from './send.js';
import { assertMetaAppSecret, verifyMetaRequest } from './verify.js';
import { WHATSAPP_MAX_TEXT_LENGTH } from './whatsapp-messages.js';

export { WHATSAPP_CHANNEL, MESSENGER_CHANNEL, formatMetaReplyAddress, parseMetaReplyAddress, type MetaReplyAddress } from './reply-address.js';
export { META_SIGNATURE_HEADER, metaSignature, verifyMetaRequest } from './verify.js';
export { answerMetaChallenge } from './challenge.js';
export { parseMetaRequest, WHATSAPP_OBJECT, MESSENGER_OBJECT } from './parse.js';
export { classifyGraphFailure, postToGraph, DEFAULT_GRAPH_API_ROOT, DEFAULT_GRAPH_API_VERSION, type GraphApiConfig } from './graph-api.js';
export { createWhatsAppSender, createMessengerSender, type MetaSender, type MetaSenderConfig } from './send.js';
export { whatsAppMessageBodies, WHATSAPP_MAX_BUTTONS, WHATSAPP_BUTTON_TITLE_LENGTH, WHATSAPP_MAX_LIST_ROWS, WHATSAPP_MAX_TEXT_LENGTH } from './whatsapp-messages.js';
export { messengerMessageBodies, MESSENGER_MAX_QUICK_REPLIES, MESSENGER_MAX_TEXT_LENGTH } from './messenger-messages.js';

/** Where Meta calls: the callback URL to give in the app dashboard (WhatsApp and Messenger "Webhooks"). */
export const META_WEBHOOK_PATH = '/webhooks/meta';
/** Meta batches up to 1000 updates; WhatsApp payloads reach 3 MB (CHANNELS.md §4): room to spare. */
export const META_BODY_LIMIT_BYTES = 4 * 1024 * 1024;

export interface MetaAdapterConfig {
  /** META_APP_SECRET: signs every webhook POST. */
  appSecret: string;
  /** META_VERIFY_TOKEN: the token typed into the dashboard, echoed in the GET handshake. */
  verifyToken: string;
  /** META_ACCESS_TOKEN: WhatsApp system-user token. */
  accessToken: string;
  /** META_PAGE_ACCESS_TOKEN: Messenger page token; default `accessToken`. */
  pageAccessToken?: string;
  /** META_GRAPH_API_ROOT; default https://graph.facebook.com. */
  graphApiRoot?: string;
  /** META_GRAPH_API_VERSION; default v21.0. */
  graphApiVersion?: string;
  /** Bound on each Graph call (OUTBOUND_TIMEOUT_MS). */
  timeoutMs: number;
}

export const WHATSAPP_CAPABILITIES: ChannelCapabilities = {
  quickReplies: true,
  typing: false,
  maxTextLength: WHATSAPP_MAX_TEXT_LENGTH,
  deliveryReceipts: true,
  dialog: true,
  reachableLater: true,
};

export const MESSENGER_CAPABILITIES: ChannelCapabilities = {
  quickReplies: true,
  typing: true,
  maxTextLength: MESSENGER_MAX_TEXT_LENGTH,
  deliveryReceipts: false,
  dialog: true,
  // Free-form messages only within 24 hours of the customer's last message, and no phone number: the dialog asks
  // for a contact so the final response can reach them.
  reachableLater: false,
};

/** The webhook adapter, with the two product channels it feeds. */
export interface MetaAdapter extends ChannelAdapter {
  readonly sender: MetaSender;
  readonly whatsapp: ChannelAdapter & { readonly sender: MetaSender };
  readonly messenger: ChannelAdapter & { readonly sender: MetaSender };
}

/** The Meta adapter; throws ConfigInvalid on an empty app secret, verify token or access token. */
export function createMetaAdapter(config: MetaAdapterConfig): MetaAdapter {
  assertMetaAppSecret(config.appSecret);
  for (const [name, value] of [['verifyToken', config.verifyToken], ['accessToken', config.accessToken]] as const) {
    if (value.length === 0) throw new ConfigInvalid(`The Meta ${name} must not be empty.`, [{ path: name, message: 'expected a non-empty value' }]);
  }
  const senderConfig = {
    graph: { apiRoot: config.graphApiRoot ?? DEFAULT_GRAPH_API_ROOT, version: config.graphApiVersion ?? DEFAULT_GRAPH_API_VERSION, timeoutMs: config.timeoutMs },
    whatsAppAccessToken: config.accessToken,
    messengerAccessToken: config.pageAccessToken ?? config.accessToken,
  };
  const inbound: Pick<ChannelAdapter, 'verify' | 'parse' | 'challenge'> = {
    verify: (request) => verifyMetaRequest(request, config.appSecret),
    parse: (request, receivedAt) => parseMetaRequest(request, receivedAt),
    challenge: (request) => answerMetaChallenge(request, config.verifyToken),
  };
  const whatsapp = { ...inbound, channel: WHATSAPP_CHANNEL, capabilities: WHATSAPP_CAPABILITIES, sender: createWhatsAppSender(senderConfig) };
  const messenger = { ...inbound, channel: MESSENGER_CHANNEL, capabilities: MESSENGER_CAPABILITIES, sender: createMessengerSender(senderConfig) };
  return {
    ...inbound,
    channel: WHATSAPP_CHANNEL,
    capabilities: { ...WHATSAPP_CAPABILITIES, typing: true, maxTextLength: Math.min(WHATSAPP_MAX_TEXT_LENGTH, MESSENGER_MAX_TEXT_LENGTH) },
    sender: createMetaWebhookSender(WHATSAPP_CHANNEL, { whatsapp: whatsapp.sender, messenger: messenger.sender }),
    whatsapp,
    messenger,
  };
}
