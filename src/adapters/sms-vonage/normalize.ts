/**
 * Turns Vonage's inbound-SMS parameters into an InboundMessage, and a delivery receipt into a status. Pure.
 *
 * - Dedupe key: `messageId` (Vonage redelivers for 24 hours without a 2xx). The customer is `msisdn` (digits,
 *   shown as E.164 with the `+` in `sender.id` and `sender.phone`, so the same person on WhatsApp or another SMS
 *   provider is one customer); replies go from the number they wrote to (`to`), kept in the conversation key and
 *   reply address `<customer>|<our number>`.
 * - A concatenated part (`concat` = true, `concat-ref`, `concat-part`, `concat-total`) carries `part`, its group
 *   keyed by (msisdn, to, concat-ref) as CHANNELS.md says; intake joins the parts. A part with numbers that do not
 *   add up is taken as a message on its own rather than lost.
 * - `message-timestamp` (UTC, `YYYY-MM-DD HH:MM:SS` or ISO) is sentAt, never later than the receipt.
 * - Binary SMS (`type` binary: `data`/`udh`, no text) is unsupported.
 */
import type { InboundMessage, MessagePart, ParseResult } from '../../contracts/inbound-message.js';

export const VONAGE_SMS_CHANNEL = 'sms_vonage';

const MSISDN = /^[1-9]\d{6,14}$/;
const PART_NUMBER = /^\d{1,3}$/;
/** Longer than any number or sender id. */
const MAX_ADDRESS = 64;

/** `<customer>|<our number>`: who to reply to and from where. */
export function vonageReplyAddress(customer: string, from: string): string {
  return `${customer}|${from}`;
}

export function readVonageReplyAddress(address: string): { to: string; from: string } | null {
  const [to, from, ...rest] = address.split('|');
  if (!to || !from || rest.length > 0) return null;
  return { to, from };
}

/** `447700900001` → `+447700900001`; anything else (an alphanumeric sender) as it is. */
export function customerAddressOf(msisdn: string): string {
  return MSISDN.test(msisdn) ? `+${msisdn}` : msisdn;
}

/** Earlier than this is not a time Vonage sent (and some such dates are not even storable). */
const EARLIEST_SENT_AT = Date.UTC(2000, 0, 1);

/** Vonage's UTC `YYYY-MM-DD HH:MM:SS` (or ISO) → Date, never later than the receipt; the receipt when unreadable. */
export function sentAtOf(value: string | undefined, receivedAt: Date): Date {
  if (value === undefined) return receivedAt;
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value) ? `${value.replace(' ', 'T')}Z` : value;
  const at = Date.parse(iso);
  if (Number.isNaN(at) || at > receivedAt.getTime() || at < EARLIEST_SENT_AT) return receivedAt;
  return new Date(at);
}

function partOf(params: Readonly<Record<string, string>>, msisdn: string, to: string): MessagePart | undefined {
  if (params.concat !== 'true') return undefined;
  const ref = params['concat-ref'];
  const index = params['concat-part'];
  const total = params['concat-total'];
  if (!ref || !index || !total || !PART_NUMBER.test(index) || !PART_NUMBER.test(total) || ref.length > 64) return undefined;
  const [partIndex, partTotal] = [Number(index), Number(total)];
  if (partTotal < 2 || partTotal > 255 || partIndex < 1 || partIndex > partTotal) return undefined;
  return { group: `${msisdn}|${to}|${ref}`, index: partIndex, total: partTotal };
}

/** An inbound SMS (or one part of a longer one). */
export function normalizeVonageMessage(params: Readonly<Record<string, string>>, receivedAt: Date): ParseResult {
  const { msisdn, to, messageId } = params;
  if (!msisdn || !to || !messageId) return { kind: 'unsupported', reason: 'vonage message without msisdn, to or messageId' };
  if (msisdn.length > MAX_ADDRESS || to.length > MAX_ADDRESS) return { kind: 'unsupported', reason: 'vonage message with an address too long to be one' };
  if (params.type === 'binary') return { kind: 'unsupported', reason: 'vonage binary SMS' };
  const text = params.text ?? '';
  if (text === '') return { kind: 'unsupported', reason: 'vonage message without text' };
  const customer = customerAddressOf(msisdn);
  const address = vonageReplyAddress(customer, to);
  const part = partOf(params, msisdn, to);
  const message: InboundMessage = {
    channel: VONAGE_SMS_CHANNEL,
    channelMessageId: messageId,
    conversationKey: address,
    sender: { id: customer, ...(customer.startsWith('+') ? { phone: customer } : {}) },
    sentAt: sentAtOf(params['message-timestamp'], receivedAt),
    receivedAt,
    text,
    attachments: [],
    replyAddress: address,
    ...(part ? { part } : {}),
    raw: { ...params },
  };
  return { kind: 'message', message };
}

const RECEIPT_STATUSES: Readonly<Record<string, 'sent' | 'delivered' | 'failed'>> = {
  delivered: 'delivered',
  accepted: 'sent',
  buffered: 'sent',
  expired: 'failed',
  failed: 'failed',
  rejected: 'failed',
};

/** A delivery receipt (DLR) for a part of a message Ombuds sent. */
export function normalizeVonageReceipt(params: Readonly<Record<string, string>>, receivedAt: Date): ParseResult {
  const status = (params.status ?? '').toLowerCase();
  const messageId = params.messageId ?? '';
  const mapped = RECEIPT_STATUSES[status];
  if (!mapped || messageId === '') return { kind: 'unsupported', reason: `vonage delivery receipt "${status.slice(0, 32)}"` };
  return { kind: 'status', channelMessageId: messageId, status: mapped, at: receivedAt };
}
