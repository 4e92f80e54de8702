/**
 * Turns one validated WhatsApp Cloud API message or status into a parse result. Pure.
 *
 * - The dedupe key is the message `id` (`wamid.…`), unique across Meta for good.
 * - The sender is the customer's phone digits (`from`, the `wa_id`) when Meta gives them, with `sender.phone` in
 *   E.164 (`+` added) so the same person on SMS is one customer; a customer known only by a username has no phone in
 *   the payload at all, and is their business-scoped user id (`from_user_id`) instead.
 * - The conversation is the customer with the business number they wrote to (`metadata.phone_number_id`), which is
 *   also where the reply must come from: both ride in the reply address (reply-address.ts).
 * - Media are references (type, media id, MIME type, file name): downloading goes through `GET /{media-id}` later,
 *   never here. A caption is the text.
 * - A tapped reply button or list row is a message whose text is the row's id, so a quick reply Ombuds offered
 *   comes back as the value it carried; a template's quick-reply button likewise gives its payload.
 * - Reactions, contacts, orders, system notices and unknown types are `unsupported`: acknowledged, counted, not
 *   stored. Statuses are receipts for messages Ombuds sent: `sent`, `delivered`, `read`, `failed`.
 */
import type { Attachment, InboundMessage, ParseResult, Sender } from '../../contracts/inbound-message.js';
import { attachmentDetails, clip, MAX_TEXT_LENGTH, sentAtOf } from './normalize-common.js';
import { formatMetaReplyAddress, isMetaAccountId, isMetaRecipient, WHATSAPP_CHANNEL } from './reply-address.js';
import type { WhatsAppContact, WhatsAppMedia, WhatsAppMessage, WhatsAppStatus } from './schema.js';

/** A phone number in E.164 is at most 15 digits and does not start with 0. */
const E164_DIGITS = /^[1-9]\d{1,14}$/;
const RECEIPT_STATUSES = new Set(['sent', 'delivered', 'read', 'failed'] as const);
type ReceiptStatus = 'sent' | 'delivered' | 'read' | 'failed';

export interface WhatsAppMessageContext {
  /** `metadata.phone_number_id`: the business number the customer wrote to. */
  phoneNumberId: string | undefined;
  contacts: readonly WhatsAppContact[];
  /** The message's envelope (object, entry id, metadata) and the message as received: what InboundMessage.raw keeps, with the sender's contact. */
  envelope: Record<string, unknown>;
  rawMessage: unknown;
  receivedAt: Date;
}

function unsupported(reason: string): ParseResult {
  return { kind: 'unsupported', reason };
}

function contactOf(message: WhatsAppMessage, contacts: readonly WhatsAppContact[]): WhatsAppContact | undefined {
  const matching = contacts.find(
    (contact) => (message.from !== undefined && contact.wa_id === message.from) || (message.from_user_id !== undefined && contact.user_id === message.from_user_id),
  );
  // A single contact is the sender's, whatever ids it shows.
  return matching ?? (contacts.length === 1 ? contacts[0] : undefined);
}

function senderOf(id: string, phoneDigits: string | undefined, contact: WhatsAppContact | undefined): Sender {
  const name = contact?.profile?.name?.trim() ?? '';
  const username = contact?.profile?.username?.trim() ?? '';
  const handle = username === '' ? '' : username.startsWith('@') ? username : `@${username}`;
  const displayName = name && handle ? `${name} (${handle})` : name || handle;
  return {
    id,
    ...(displayName ? { displayName: clip(displayName, 256) } : {}),
    ...(phoneDigits !== undefined && E164_DIGITS.test(phoneDigits) ? { phone: `+${phoneDigits}` } : {}),
  };
}

const MEDIA_TYPES: Record<string, { type: Attachment['type']; fallbackName?: string }> = {
  image: { type: 'image' },
  video: { type: 'video' },
  audio: { type: 'audio' },
  voice: { type: 'audio', fallbackName: 'voice message' },
  document: { type: 'document' },
  sticker: { type: 'other', fallbackName: 'sticker' },
};

function mediaOf(message: WhatsAppMessage): WhatsAppMedia | undefined {
  switch (message.type) {
    case 'image':
      return message.image;
    case 'video':
      return message.video;
    case 'audio':
      return message.audio;
    case 'voice':
      return message.voice;
    case 'document':
      return message.document;
    case 'sticker':
      return message.sticker;
    default:
      return undefined;
  }
}

/** The text and attachments a message carries, or the reason it carries nothing Ombuds reads. */
function contentOf(message: WhatsAppMessage): { text: string; attachments: Attachment[] } | { unsupported: string } {
  const media = MEDIA_TYPES[message.type];
  if (media) {
    const file = mediaOf(message);
    if (!file) return { unsupported: `whatsapp ${message.type} message without its ${message.type} object` };
    const attachment: Attachment = {
      type: media.type,
      id: file.id,
      ...attachmentDetails({ name: file.filename ?? media.fallbackName, mimeType: file.mime_type }),
    };
    return { text: file.caption ?? '', attachments: [attachment] };
  }
  switch (message.type) {
    case 'text':
      return message.text ? { text: message.text.body, attachments: [] } : { unsupported: 'whatsapp text message without text' };
    case 'interactive': {
      const choice = message.interactive?.button_reply ?? message.interactive?.list_reply;
      if (choice) return { text: choice.id, attachments: [] };
      const flowReply = message.interactive?.nfm_reply?.body;
      if (flowReply) return { text: flowReply, attachments: [] };
      return { unsupported: `whatsapp interactive reply "${clip(message.interactive?.type ?? 'unknown', 64)}" is not handled` };
    }
    case 'button': {
      const value = message.button?.payload ?? message.button?.text;
      return value ? { text: value, attachments: [] } : { unsupported: 'whatsapp button reply without payload' };
    }
    case 'location': {
      const location = message.location;
      if (!location) return { unsupported: 'whatsapp location message without its location' };
      const label = [location.name, location.address].filter((part): part is string => part !== undefined && part.trim() !== '').join(', ');
      return { text: '', attachments: [{ type: 'location', id: `${location.latitude},${location.longitude}`, ...attachmentDetails({ name: label || 'location' }) }] };
    }
    default:
      return { unsupported: `whatsapp message type "${clip(message.type, 64)}" is not handled` };
  }
}

export function normalizeWhatsAppMessage(message: WhatsAppMessage, context: WhatsAppMessageContext): ParseResult {
  const { phoneNumberId } = context;
  if (phoneNumberId === undefined || !isMetaAccountId(phoneNumberId)) return unsupported('whatsapp message without a usable metadata.phone_number_id');
  const contact = contactOf(message, context.contacts);
  const phoneDigits = message.from || contact?.wa_id || undefined;
  const senderId = phoneDigits ?? (message.from_user_id || contact?.user_id || undefined);
  if (senderId === undefined) return unsupported('whatsapp message without a sender (no from, wa_id or from_user_id)');
  if (!isMetaRecipient(senderId)) return unsupported('whatsapp message from a sender id Ombuds cannot reply to');
  const content = contentOf(message);
  if ('unsupported' in content) return unsupported(content.unsupported);
  if (content.text.trim() === '' && content.attachments.length === 0) return unsupported('whatsapp message without content');
  const inbound: InboundMessage = {
    channel: WHATSAPP_CHANNEL,
    channelMessageId: message.id,
    conversationKey: `${phoneNumberId}:${senderId}`,
    sender: senderOf(senderId, phoneDigits, contact),
    sentAt: sentAtOf(message.timestamp, 'seconds', context.receivedAt),
    receivedAt: context.receivedAt,
    text: clip(content.text, MAX_TEXT_LENGTH),
    attachments: content.attachments,
    replyAddress: formatMetaReplyAddress({ product: WHATSAPP_CHANNEL, accountId: phoneNumberId, recipient: senderId }),
    raw: { ...context.envelope, contact, message: context.rawMessage },
  };
  return { kind: 'message', message: inbound };
}

function isReceiptStatus(status: string): status is ReceiptStatus {
  return RECEIPT_STATUSES.has(status as ReceiptStatus);
}

/** A receipt for a message Ombuds sent; other statuses (`deleted`, `warning`, …) are unsupported. */
export function normalizeWhatsAppStatus(status: WhatsAppStatus, receivedAt: Date): ParseResult {
  if (!isReceiptStatus(status.status)) return unsupported(`whatsapp status "${clip(status.status, 64)}" is not handled`);
  return { kind: 'status', channelMessageId: status.id, status: status.status, at: sentAtOf(status.timestamp, 'seconds', receivedAt) };
}
