/**
 * A `message` Activity → InboundMessage (DESIGN.md §3, §6).
 *
 * - `channelMessageId` = `<channelId>:<conversation.id>:<id>` (the dedupe key: Teams re-sends the same Activity when
 *   the bot is slow); `conversationKey` = `<channelId>:<conversation.id>`; the sender is `<channelId>:<from.id>`,
 *   because one person has unrelated ids on Teams, Web Chat and Direct Line. A key that would pass the contract's
 *   256 characters keeps its channel prefix and hashes the rest (`<channelId>:sha256:<hex>`), still deterministic.
 * - Text is `text`; a card submit or a messageBack suggested action without text contributes its `value` (a string
 *   as is, an object with one scalar as that scalar, anything else as JSON).
 * - Files are references (`contentUrl`), never fetched here; cards (`content` only) are kept as `other` with their
 *   content type; Teams' `text/html` copy of the message text is dropped.
 */
import type { Attachment, InboundMessage } from '../../contracts/inbound-message.js';
import { sha256Hex } from '../../shared/crypto.js';
import type { ActivityAttachment, MessageActivity } from './activity.js';
import { encodeReplyAddress } from './reply-address.js';

export const BOT_FRAMEWORK_CHANNEL = 'botframework';

const KEY_MAX = 256;
const VALUE_TEXT_MAX = 4000;
const ATTACHMENTS_MAX = 20;

/** `<channelId>:<parts…>`, hashed past 256 characters. */
export function boundedKey(channelId: string, ...parts: string[]): string {
  const key = [channelId, ...parts].join(':');
  return key.length <= KEY_MAX ? key : `${channelId}:sha256:${sha256Hex(parts.join('\n'))}`;
}

/** A card submit's or suggested action's `value` as the text the customer chose. */
export function valueAsText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object' && !Array.isArray(value)) {
    const entries: unknown[] = Object.values(value);
    const only = entries[0];
    if (entries.length === 1 && (typeof only === 'string' || typeof only === 'number' || typeof only === 'boolean')) return String(only);
  }
  return JSON.stringify(value).slice(0, VALUE_TEXT_MAX);
}

function attachmentType(contentType: string): Attachment['type'] {
  if (contentType.startsWith('image/')) return 'image';
  if (contentType.startsWith('audio/')) return 'audio';
  if (contentType.startsWith('video/')) return 'video';
  return 'document';
}

function toAttachment(attachment: ActivityAttachment): Attachment | null {
  const name = attachment.name ? { name: attachment.name } : {};
  if (attachment.contentUrl) {
    return { type: attachmentType(attachment.contentType), url: attachment.contentUrl, mimeType: attachment.contentType.slice(0, 128), ...name };
  }
  if (attachment.contentType === 'text/html' || attachment.contentType === 'text/plain') return null;
  return { type: 'other', mimeType: attachment.contentType.slice(0, 128), ...name };
}

function sentAtOf(timestamp: string | null | undefined, receivedAt: Date): Date {
  const sentAt = timestamp ? new Date(timestamp) : receivedAt;
  // A skewed or missing channel clock must not start a regulatory clock late or early.
  if (Number.isNaN(sentAt.getTime()) || sentAt.getTime() > receivedAt.getTime()) return receivedAt;
  return sentAt;
}

/** The InboundMessage, or null when the Activity carries nothing a person wrote (no text, value or attachment). */
export function normalizeBotFrameworkMessage(activity: MessageActivity, raw: unknown, receivedAt: Date): InboundMessage | null {
  const text = activity.text?.trim() ? activity.text : valueAsText(activity.value);
  const attachments = (activity.attachments ?? []).map(toAttachment).filter((item) => item !== null).slice(0, ATTACHMENTS_MAX);
  if (!text.trim() && attachments.length === 0) return null;
  const { channelId } = activity;
  return {
    channel: BOT_FRAMEWORK_CHANNEL,
    channelMessageId: boundedKey(channelId, activity.conversation.id, activity.id),
    conversationKey: boundedKey(channelId, activity.conversation.id),
    sender: {
      id: boundedKey(channelId, activity.from.id),
      ...(activity.from.name ? { displayName: activity.from.name } : {}),
    },
    sentAt: sentAtOf(activity.timestamp, receivedAt),
    receivedAt,
    text,
    attachments,
    ...(activity.locale ? { locale: activity.locale } : {}),
    replyAddress: encodeReplyAddress({
      v: 1,
      serviceUrl: activity.serviceUrl,
      channelId,
      conversationId: activity.conversation.id,
      activityId: activity.id,
      bot: { id: activity.recipient.id, ...(activity.recipient.name ? { name: activity.recipient.name } : {}) },
      user: { id: activity.from.id, ...(activity.from.name ? { name: activity.from.name } : {}) },
    }),
    raw,
  };
}
