/**
 * Turns a validated Telegram message or callback query into an InboundMessage. Pure: the same update and receipt
 * time always give the same result.
 *
 * Ids. The dedupe key is `<chat id>:<message id>` (edits add `:edit:<edit_date>`, button taps are
 * `callback:<callback id>`), not `update_id` alone: a redelivered update repeats both, but Telegram picks the next
 * `update_id` at random after a week without updates (CHANNELS.md §2), which could collide with a stored one and
 * silently drop a complaint; a message id is unique within its chat for good. `update_id` stays in `raw`.
 *
 * Attachments are references only (`file_id`, type, name, size): downloading goes through `getFile` later, never here.
 */
import type { Attachment, InboundMessage, ParseResult, Sender } from '../../contracts/inbound-message.js';
import type { TelegramCallbackQuery, TelegramFile, TelegramMessage, TelegramPhotoSize, TelegramUser } from './schema.js';

export const TELEGRAM_CHANNEL = 'telegram';

function clip(value: string, max: number): string {
  return value.length <= max ? value : value.slice(0, max);
}

function senderOf(user: TelegramUser, phone: string | undefined): Sender {
  const names = [user.first_name, user.last_name].filter((name): name is string => name !== undefined && name.trim() !== '').join(' ');
  const handle = user.username ? `@${user.username}` : '';
  const displayName = names && handle ? `${names} (${handle})` : names || handle;
  return {
    id: String(user.id),
    ...(displayName ? { displayName: clip(displayName, 256) } : {}),
    ...(phone ? { phone: clip(phone, 64) } : {}),
  };
}

function localeOf(user: TelegramUser): { locale?: string } {
  const code = user.language_code;
  return code && code.length <= 35 ? { locale: code } : {};
}

function largestPhoto(sizes: TelegramPhotoSize[]): TelegramPhotoSize | undefined {
  // Telegram lists sizes smallest first; compare pixels anyway in case a client does not.
  let best: TelegramPhotoSize | undefined;
  for (const size of sizes) {
    const area = (size.width ?? 0) * (size.height ?? 0);
    if (!best || area >= (best.width ?? 0) * (best.height ?? 0)) best = size;
  }
  return best;
}

function fileAttachment(type: Attachment['type'], file: TelegramFile, fallbackName?: string): Attachment {
  const name = file.file_name ?? file.title ?? fallbackName;
  return {
    type,
    id: file.file_id,
    ...(name ? { name: clip(name, 512) } : {}),
    ...(file.mime_type && file.mime_type.length <= 128 ? { mimeType: file.mime_type } : {}),
    ...(file.file_size === undefined ? {} : { size: file.file_size }),
  };
}

function attachmentsOf(message: TelegramMessage): Attachment[] {
  const attachments: Attachment[] = [];
  const photo = message.photo ? largestPhoto(message.photo) : undefined;
  if (photo) attachments.push({ type: 'image', id: photo.file_id, ...(photo.file_size === undefined ? {} : { size: photo.file_size }) });
  if (message.document) attachments.push(fileAttachment('document', message.document));
  if (message.voice) attachments.push(fileAttachment('audio', message.voice, 'voice message'));
  if (message.audio) attachments.push(fileAttachment('audio', message.audio));
  if (message.video) attachments.push(fileAttachment('video', message.video));
  if (message.video_note) attachments.push(fileAttachment('video', message.video_note, 'video message'));
  if (message.sticker) attachments.push(fileAttachment('other', message.sticker, message.sticker.emoji ?? 'sticker'));
  if (message.location) {
    attachments.push({ type: 'location', id: `${message.location.latitude},${message.location.longitude}`, name: 'location' });
  }
  return attachments;
}

/** Unix seconds → Date, never later than the receipt (a skewed clock must not move a regulatory clock). */
function sentAtOf(unixSeconds: number | undefined, receivedAt: Date): Date {
  if (unixSeconds === undefined || unixSeconds === 0) return receivedAt;
  const at = new Date(unixSeconds * 1000);
  return at.getTime() > receivedAt.getTime() ? receivedAt : at;
}

/** A `message` or `edited_message` update. */
export function normalizeTelegramMessage(
  message: TelegramMessage,
  edited: boolean,
  raw: unknown,
  receivedAt: Date,
): ParseResult {
  if (!message.from) return { kind: 'unsupported', reason: 'telegram message without a user sender (anonymous admin or channel)' };
  const attachments = attachmentsOf(message);
  const text = message.text ?? message.caption ?? '';
  // A shared contact gives the customer's phone only when it is their own (the "share my number" button).
  const ownPhone = message.contact && message.contact.user_id === message.from.id ? message.contact.phone_number : undefined;
  if (text === '' && attachments.length === 0 && !message.contact) {
    return { kind: 'unsupported', reason: 'telegram service message without content' };
  }
  const chat = String(message.chat.id);
  const channelMessageId = edited
    ? `${chat}:${message.message_id}:edit:${message.edit_date ?? message.date}`
    : `${chat}:${message.message_id}`;
  const inbound: InboundMessage = {
    channel: TELEGRAM_CHANNEL,
    channelMessageId,
    conversationKey: chat,
    sender: senderOf(message.from, ownPhone),
    sentAt: sentAtOf(edited ? (message.edit_date ?? message.date) : message.date, receivedAt),
    receivedAt,
    text,
    attachments,
    ...localeOf(message.from),
    replyAddress: chat,
    raw,
  };
  return { kind: 'message', message: inbound };
}

/** A tap on an inline-keyboard button: a message whose text is the button's data, in the chat that showed it. */
export function normalizeTelegramCallback(callback: TelegramCallbackQuery, raw: unknown, receivedAt: Date): ParseResult {
  if (callback.data === undefined || callback.data === '') return { kind: 'unsupported', reason: 'telegram callback query without data' };
  if (!callback.message) return { kind: 'unsupported', reason: 'telegram callback query from an inline message (no chat)' };
  const chat = String(callback.message.chat.id);
  const inbound: InboundMessage = {
    channel: TELEGRAM_CHANNEL,
    channelMessageId: `callback:${callback.id}`,
    conversationKey: chat,
    sender: senderOf(callback.from, undefined),
    // A callback carries no time of its own (message.date is when the bot sent the keyboard).
    sentAt: receivedAt,
    receivedAt,
    text: callback.data,
    attachments: [],
    ...localeOf(callback.from),
    replyAddress: chat,
    raw,
  };
  return { kind: 'message', message: inbound };
}
