/**
 * The Meta senders: customer-facing messages go out through the Graph API (graph-api.ts), to the product the reply
 * address names (reply-address.ts).
 *
 * - WhatsApp: `POST /{phone-number-id}/messages` from the business number the customer wrote to, with the system-user
 *   access token; text, reply buttons or a list (whatsapp-messages.ts). The Cloud API has no typing indicator of its
 *   own (only one tied to marking an inbound message read, which CHANNELS.md does not call for), so none is shown.
 * - Messenger: `POST /me/messages` with the page access token; text with quick replies (messenger-messages.ts), and
 *   `sender_action: typing_on` for "typing…".
 *
 * A reply split into several messages is sent part by part; a failure names the part, and a retry sends every part
 * again (the Graph API has no idempotency key), so a customer may see the first parts twice. The vendor id kept is
 * the last part's (`wamid…` / `m_…`): WhatsApp's delivery receipts name it.
 */
import { z } from 'zod';
import type { ChannelSender, OutboundDelivery, SendResult } from '../../contracts/handling.js';
import { postToGraph, type GraphApiConfig } from './graph-api.js';
import { messengerMessageBodies, messengerTypingBody } from './messenger-messages.js';
import { MESSENGER_CHANNEL, parseMetaReplyAddress, WHATSAPP_CHANNEL, type MetaProduct, type MetaReplyAddress } from './reply-address.js';
import { whatsAppMessageBodies } from './whatsapp-messages.js';

/** A ChannelSender that can show "typing…" (a no-op failure where the product has none). */
export interface MetaSender extends ChannelSender {
  sendTyping(replyAddress: string): Promise<SendResult>;
}

export interface MetaSenderConfig {
  graph: GraphApiConfig;
  /** META_ACCESS_TOKEN: the WhatsApp system-user token. Never logged, never in a URL or an error. */
  whatsAppAccessToken: string;
  /** META_PAGE_ACCESS_TOKEN (default META_ACCESS_TOKEN): the Messenger page token. */
  messengerAccessToken: string;
}

const WhatsAppAnswer = z.looseObject({ messages: z.array(z.looseObject({ id: z.string().min(1) })).min(1) });
const MessengerAnswer = z.looseObject({ message_id: z.string().min(1) });

function failure(retryable: boolean, error: string): SendResult {
  return { ok: false, retryable, error };
}

function addressFor(product: MetaProduct, replyAddress: string): MetaReplyAddress | SendResult {
  const address = parseMetaReplyAddress(replyAddress);
  if (!address || address.product !== product) return failure(false, `not a ${product} reply address: "${replyAddress.slice(0, 64)}"`);
  return address;
}

/** Sends each body in order; the last answer's message id is the vendor id. */
async function sendAll(
  config: GraphApiConfig,
  call: { path: string; accessToken: string; product: MetaProduct },
  bodies: readonly unknown[],
  messageIdOf: (json: unknown) => string | undefined,
): Promise<SendResult> {
  let vendorMessageId: string | undefined;
  for (const [index, body] of bodies.entries()) {
    const answer = await postToGraph(config, { ...call, body });
    if (!answer.ok) return bodies.length === 1 ? answer : { ...answer, error: `part ${String(index + 1)} of ${String(bodies.length)}: ${answer.error}` };
    vendorMessageId = messageIdOf(answer.json);
  }
  return vendorMessageId === undefined ? { ok: true } : { ok: true, vendorMessageId };
}

export function createWhatsAppSender(config: MetaSenderConfig): MetaSender {
  return {
    channel: WHATSAPP_CHANNEL,
    async send(delivery: OutboundDelivery): Promise<SendResult> {
      const address = addressFor(WHATSAPP_CHANNEL, delivery.replyAddress);
      if ('ok' in address) return address;
      if (delivery.text.trim() === '') return failure(false, 'WhatsApp cannot send an empty message');
      const bodies = whatsAppMessageBodies(address.recipient, delivery.text, delivery.quickReplies, delivery.language);
      return sendAll(config.graph, { path: `${address.accountId}/messages`, accessToken: config.whatsAppAccessToken, product: WHATSAPP_CHANNEL }, bodies, (json) => {
        const parsed = WhatsAppAnswer.safeParse(json);
        return parsed.success ? parsed.data.messages.at(-1)?.id : undefined;
      });
    },
    sendTyping(replyAddress: string): Promise<SendResult> {
      const address = addressFor(WHATSAPP_CHANNEL, replyAddress);
      return Promise.resolve('ok' in address ? address : failure(false, 'the WhatsApp Cloud API has no typing indicator'));
    },
  };
}

export function createMessengerSender(config: MetaSenderConfig): MetaSender {
  const call = { path: 'me/messages', accessToken: config.messengerAccessToken, product: MESSENGER_CHANNEL } as const;
  return {
    channel: MESSENGER_CHANNEL,
    async send(delivery: OutboundDelivery): Promise<SendResult> {
      const address = addressFor(MESSENGER_CHANNEL, delivery.replyAddress);
      if ('ok' in address) return address;
      if (delivery.text.trim() === '') return failure(false, 'Messenger cannot send an empty message');
      const bodies = messengerMessageBodies(address.recipient, delivery.text, delivery.quickReplies);
      return sendAll(config.graph, call, bodies, (json) => {
        const parsed = MessengerAnswer.safeParse(json);
        return parsed.success ? parsed.data.message_id : undefined;
      });
    },
    async sendTyping(replyAddress: string): Promise<SendResult> {
      const address = addressFor(MESSENGER_CHANNEL, replyAddress);
      if ('ok' in address) return address;
      const answer = await postToGraph(config.graph, { ...call, body: messengerTypingBody(address.recipient) });
      return answer.ok ? { ok: true } : answer;
    },
  };
}

/**
 * The webhook's sender (one webhook serves both products): hands each delivery or typing indicator to the product
 * its reply address names. Its `channel` is the webhook adapter's (index.ts).
 */
export function createMetaWebhookSender(channel: string, senders: { whatsapp: MetaSender; messenger: MetaSender }): MetaSender {
  const pick = (replyAddress: string): MetaSender | undefined => {
    const product = parseMetaReplyAddress(replyAddress)?.product;
    return product === undefined ? undefined : senders[product];
  };
  const unknown = (replyAddress: string): Promise<SendResult> => Promise.resolve(failure(false, `not a Meta reply address: "${replyAddress.slice(0, 64)}"`));
  return {
    channel,
    send: (delivery) => pick(delivery.replyAddress)?.send(delivery) ?? unknown(delivery.replyAddress),
    sendTyping: (replyAddress) => pick(replyAddress)?.sendTyping(replyAddress) ?? unknown(replyAddress),
  };
}
