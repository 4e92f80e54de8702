/**
 * Turns Twilio's webhook parameters into an InboundMessage (an incoming SMS or MMS) or a delivery status (a status
 * callback for a message Ombuds sent). Pure: the same parameters and receipt time always give the same result.
 *
 * - Dedupe key: `MessageSid` (`SmsSid`/`SmsMessageSid` on older requests). Twilio sends no timestamp: sentAt is the
 *   receipt time. Twilio reassembles concatenated SMS itself (`NumSegments`), so a message is never in parts here.
 * - The customer is `From` (E.164, or `whatsapp:+…` through Twilio's WhatsApp sender); `sender.phone` is the E.164
 *   number, so the same person on WhatsApp or another SMS provider is one customer.
 * - Replies go from the number the customer wrote to (`To`), or through the Messaging Service that received it:
 *   both are kept in the conversation key and reply address, `<customer>|<our number or MG… service sid>`.
 * - MMS media (`NumMedia`, `MediaUrl{N}`, `MediaContentType{N}`) become attachment references (URL, type); they
 *   are fetched, if ever, through a guarded fetcher later, never here.
 */
import type { Attachment, InboundMessage, ParseResult } from '../../contracts/inbound-message.js';

export const TWILIO_SMS_CHANNEL = 'sms_twilio';

/** Twilio allows at most 10 media items per MMS. */
const MAX_MEDIA = 10;
const E164 = /^\+[1-9]\d{6,14}$/;
/** Longer than any Twilio address (`whatsapp:+…`, a short code, a Messaging Service sid). */
const MAX_ADDRESS = 64;

/** `<customer>|<our number or Messaging Service sid>`: who to reply to and from where. */
export function twilioReplyAddress(customer: string, from: string): string {
  return `${customer}|${from}`;
}

/** The two halves of a reply address, or null when it is not one of ours. */
export function readTwilioReplyAddress(address: string): { to: string; from: string } | null {
  const [to, from, ...rest] = address.split('|');
  if (!to || !from || rest.length > 0) return null;
  return { to, from };
}

/** The E.164 number behind a Twilio address (`+14155550100`, `whatsapp:+14155550100`), if it is one. */
export function phoneOf(address: string): string | undefined {
  const number = address.replace(/^whatsapp:/, '');
  return E164.test(number) ? number : undefined;
}

function attachmentType(contentType: string | undefined, url: string): Attachment['type'] {
  const type = (contentType ?? '').toLowerCase();
  if (type.startsWith('image/')) return 'image';
  if (type.startsWith('audio/')) return 'audio';
  if (type.startsWith('video/')) return 'video';
  if (type.startsWith('text/vcard') || type.startsWith('text/x-vcard')) return 'other';
  if (type !== '') return 'document';
  // No content type given: guess from the file name, as a human reading the URL would.
  if (/\.(?:jpe?g|png|gif|webp|heic|bmp)$/i.test(url)) return 'image';
  if (/\.(?:mp3|amr|ogg|wav|m4a)$/i.test(url)) return 'audio';
  if (/\.(?:mp4|3gp|mov)$/i.test(url)) return 'video';
  return 'other';
}

function mediaOf(params: Readonly<Record<string, string>>): Attachment[] {
  // Every MediaUrlN present counts, whatever NumMedia says (a proxy may have dropped or kept either).
  const attachments: Attachment[] = [];
  for (let index = 0; index < MAX_MEDIA; index += 1) {
    const url = params[`MediaUrl${String(index)}`];
    if (url === undefined || url === '' || url.length > 2048) continue;
    const contentType = params[`MediaContentType${String(index)}`];
    // Twilio's media URLs end in the media sid (`…/Media/ME…`): the natural id of the attachment.
    const mediaSid = /\/Media\/(ME[0-9a-f]{32})$/i.exec(url)?.[1];
    attachments.push({
      type: attachmentType(contentType, url),
      url,
      ...(mediaSid ? { id: mediaSid } : {}),
      ...(contentType && contentType.length <= 128 ? { mimeType: contentType } : {}),
    });
  }
  return attachments;
}

/** An incoming message (SmsStatus/MessageStatus `received`). */
export function normalizeTwilioMessage(params: Readonly<Record<string, string>>, messageSid: string, receivedAt: Date): ParseResult {
  const from = params.From ?? '';
  const to = params.MessagingServiceSid ?? params.To ?? '';
  if (from === '' || to === '') return { kind: 'unsupported', reason: 'twilio message without From or To' };
  if (from.length > MAX_ADDRESS || to.length > MAX_ADDRESS) return { kind: 'unsupported', reason: 'twilio message with an address too long to be one' };
  const text = params.Body ?? '';
  const attachments = mediaOf(params);
  if (text === '' && attachments.length === 0) return { kind: 'unsupported', reason: 'twilio message without text or media' };
  const phone = phoneOf(from);
  const profileName = params.ProfileName?.trim();
  const address = twilioReplyAddress(from, to);
  const message: InboundMessage = {
    channel: TWILIO_SMS_CHANNEL,
    channelMessageId: messageSid,
    conversationKey: address,
    sender: {
      id: from,
      ...(profileName ? { displayName: profileName.slice(0, 256) } : {}),
      ...(phone ? { phone } : {}),
    },
    sentAt: receivedAt,
    receivedAt,
    text,
    attachments,
    replyAddress: address,
    raw: { ...params },
  };
  return { kind: 'message', message };
}

const STATUSES: Readonly<Record<string, 'sent' | 'delivered' | 'read' | 'failed'>> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  undelivered: 'failed',
  failed: 'failed',
};

/** A status callback for a message Ombuds sent (`MessageStatus` other than `received`). */
export function normalizeTwilioStatus(status: string, messageSid: string, receivedAt: Date): ParseResult {
  const mapped = STATUSES[status];
  // queued, accepted, sending, scheduled, canceled …: steps before the outcome, nothing to record.
  if (!mapped) return { kind: 'unsupported', reason: `twilio interim status "${status.slice(0, 32)}"` };
  return { kind: 'status', channelMessageId: messageSid, status: mapped, at: receivedAt };
}
