/**
 * Turns one validated Messenger `messaging[]` event into a parse result. Pure.
 *
 * - A customer message is deduplicated on its `mid`; a postback (a tapped button) on its `mid` when Meta gives one,
 *   else on sender and time.
 * - The sender is the page-scoped user id (PSID); Messenger gives no name or phone in the webhook. The conversation
 *   is the customer with the page they wrote to, and the reply address carries both (reply-address.ts).
 * - A tapped quick reply's text is its `payload`, so a quick reply Ombuds offered comes back as the value it carried;
 *   a postback likewise gives its payload.
 * - Attachments are references: their type and the URL Meta gives (when it fits the contract), or coordinates.
 * - Echoes (`is_echo`: what the page itself sent), `delivery`, `read`, reactions, opt-ins, referrals and anything
 *   else are `unsupported` (CHANNELS.md §4: drop them). Delivery events name message ids, but Ombuds records
 *   receipts only for WhatsApp (`capabilities.deliveryReceipts` is false for Messenger).
 */
import type { Attachment, InboundMessage, ParseResult } from '../../contracts/inbound-message.js';
import { attachmentDetails, clip, MAX_ATTACHMENTS, MAX_TEXT_LENGTH, sentAtOf } from './normalize-common.js';
import { formatMetaReplyAddress, isMetaAccountId, isMetaRecipient, MESSENGER_CHANNEL } from './reply-address.js';
import type { MessengerAttachment, MessengerEvent } from './schema.js';

const ATTACHMENT_TYPES: Record<string, Attachment['type']> = {
  image: 'image',
  video: 'video',
  audio: 'audio',
  file: 'document',
  location: 'location',
};

/** Event kinds Messenger sends besides messages and postbacks, for the unsupported reason. */
const OTHER_EVENTS = ['delivery', 'read', 'reaction', 'optin', 'referral', 'account_linking', 'policy_enforcement', 'game_play', 'pass_thread_control', 'take_thread_control'];

function unsupported(reason: string): ParseResult {
  return { kind: 'unsupported', reason };
}

function attachmentOf(attachment: MessengerAttachment): Attachment {
  const coordinates = attachment.payload?.coordinates;
  if (attachment.type === 'location' && coordinates) {
    return { type: 'location', id: `${coordinates.lat},${coordinates.long}`, ...attachmentDetails({ name: attachment.payload?.title ?? 'location' }) };
  }
  const stickerId = attachment.payload?.sticker_id;
  return {
    type: stickerId === undefined ? (ATTACHMENT_TYPES[attachment.type] ?? 'other') : 'other',
    ...(stickerId === undefined ? {} : { id: String(stickerId) }),
    ...attachmentDetails({ url: attachment.payload?.url, name: stickerId === undefined ? attachment.payload?.title : 'sticker' }),
  };
}

function otherEventName(event: MessengerEvent): string {
  return OTHER_EVENTS.find((name) => name in event) ?? Object.keys(event).filter((key) => !['sender', 'recipient', 'timestamp'].includes(key))[0] ?? 'empty';
}

export function normalizeMessengerEvent(event: MessengerEvent, raw: unknown, receivedAt: Date): ParseResult {
  const pageId = event.recipient.id;
  const psid = event.sender.id;
  if (event.message?.is_echo === true) return unsupported('messenger echo of a message the page sent');
  if (!event.message && !event.postback) return unsupported(`messenger event "${clip(otherEventName(event), 64)}" is not handled`);
  if (!isMetaAccountId(pageId) || !isMetaRecipient(psid)) return unsupported('messenger event with a page or sender id Ombuds cannot reply to');

  let channelMessageId: string;
  let text: string;
  let attachments: Attachment[] = [];
  if (event.message) {
    channelMessageId = event.message.mid;
    text = event.message.quick_reply?.payload ?? event.message.text ?? '';
    attachments = (event.message.attachments ?? []).slice(0, MAX_ATTACHMENTS).map(attachmentOf);
  } else {
    const postback = event.postback ?? {};
    channelMessageId = postback.mid ?? `postback:${psid}:${String(event.timestamp ?? 0)}`;
    text = postback.payload ?? postback.title ?? '';
  }
  if (text.trim() === '' && attachments.length === 0) return unsupported('messenger message without content');

  const inbound: InboundMessage = {
    channel: MESSENGER_CHANNEL,
    channelMessageId: clip(channelMessageId, 256),
    conversationKey: `${pageId}:${psid}`,
    sender: { id: psid },
    sentAt: sentAtOf(event.timestamp, 'milliseconds', receivedAt),
    receivedAt,
    text: clip(text, MAX_TEXT_LENGTH),
    attachments,
    replyAddress: formatMetaReplyAddress({ product: MESSENGER_CHANNEL, accountId: pageId, recipient: psid }),
    raw,
  };
  return { kind: 'message', message: inbound };
}
