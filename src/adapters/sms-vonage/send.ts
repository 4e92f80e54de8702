/**
 * The Vonage SMS sender: customer-facing messages go out through the SMS API, `POST {apiRoot}/sms/json` (form body
 * with `api_key`, `api_secret`, `from` = the number the customer wrote to, `to` = the customer's number without the
 * `+`, `text`, `type` text or unicode, `client-ref` = our message id). Vonage splits a long text into SMS parts
 * itself and answers 200 with one entry per part, each with its `message-id` and a `status` ("0" = accepted); the
 * last part's id is kept (delivery receipts name the parts).
 *
 * - SMS has no buttons: quick replies are appended to the text as lines to type back.
 * - Errors: Vonage reports most of them with HTTP 200 and a non-zero part `status`: 1 (throttled), 5 (internal
 *   error), 10 (too many binds) and 13 (communication failure) are retryable; the rest (2–4 bad request or
 *   credentials, 6 invalid message, 7 number barred, 9 quota, 15 invalid sender, 29 non-whitelisted destination,
 *   33 number de-activated …) permanent. HTTP 429 and 5xx, network errors and timeouts are retryable; other HTTP 4xx
 *   permanent.
 * - A part that failed after earlier parts went out fails the delivery: a retry sends the whole text again (the
 *   API has no idempotency key), so the customer may see the first part twice. Replies are rarely that long.
 * - The API secret is never in an error text.
 */
import type { ChannelSender, OutboundDelivery, SendResult } from '../../contracts/handling.js';
import { parseRetryAfter } from '../../shared/http-delivery.js';
import { readVonageReplyAddress, VONAGE_SMS_CHANNEL } from './normalize.js';
import { splitText, withTypedOptions } from '../../shared/text.js';

/** Longest text handed to the API at once (Vonage concatenates it); longer replies are sent as several. */
export const VONAGE_MAX_TEXT_LENGTH = 1600;
export const DEFAULT_VONAGE_API_ROOT = 'https://rest.nexmo.com';

export interface VonageSmsSenderConfig {
  apiKey: string;
  /** Never logged, never in an error. */
  apiSecret: string;
  /** SMS API base URL (VONAGE_API_ROOT); tests point it at a local fake. */
  apiRoot?: string;
  /** Bound on each API call (OUTBOUND_TIMEOUT_MS). */
  timeoutMs: number;
  now?: () => Date;
}

const RETRYABLE_STATUSES = new Set(['1', '5', '10', '13']);
const CUSTOMER = /^\+?[1-9]\d{6,14}$/;
const SENDER = /^(?:\+?\d{3,15}|[A-Za-z0-9 ]{1,11})$/;

/** GSM 03.38 basic set and extension table: text made only of these goes as `text` (160 a part), else `unicode` (70). */
const GSM_CHARACTERS = new Set(
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà\f^{}\\[~]|€",
);

export function smsEncodingOf(text: string): 'text' | 'unicode' {
  for (const character of text) if (!GSM_CHARACTERS.has(character)) return 'unicode';
  return 'text';
}

/** Splits text into the parts one Vonage message can carry (src/shared/text.ts). */
export function splitVonageText(text: string, max = VONAGE_MAX_TEXT_LENGTH): string[] {
  return splitText(text, max);
}


function failure(retryable: boolean, error: string, extra: { status?: number; retryAfterMs?: number } = {}): SendResult {
  return { ok: false, retryable, error, ...extra };
}

interface VonagePartAnswer {
  status: string;
  messageId?: string;
  errorText?: string;
}

/** The parts of Vonage's answer (`{"message-count", "messages": [{status, message-id, error-text}]}`). */
function partsOf(body: unknown): VonagePartAnswer[] | null {
  if (typeof body !== 'object' || body === null) return null;
  const messages = (body as { messages?: unknown }).messages;
  if (!Array.isArray(messages) || messages.length === 0) return null;
  const parts: VonagePartAnswer[] = [];
  for (const entry of messages) {
    if (typeof entry !== 'object' || entry === null) return null;
    const record = entry as Record<string, unknown>;
    const status = record.status;
    if (typeof status !== 'string' && typeof status !== 'number') return null;
    const messageId = record['message-id'];
    const errorText = record['error-text'];
    parts.push({
      status: String(status),
      ...(typeof messageId === 'string' ? { messageId } : {}),
      ...(typeof errorText === 'string' ? { errorText: errorText.slice(0, 300) } : {}),
    });
  }
  return parts;
}

export function createVonageSmsSender(config: VonageSmsSenderConfig): ChannelSender {
  const url = `${(config.apiRoot ?? DEFAULT_VONAGE_API_ROOT).replace(/\/+$/, '')}/sms/json`;
  const scrub = (text: string): string => (config.apiSecret === '' ? text : text.split(config.apiSecret).join('<api-secret>'));
  const now = config.now ?? (() => new Date());

  async function sendOne(delivery: OutboundDelivery, to: string, from: string, text: string): Promise<SendResult> {
    const form = new URLSearchParams({
      api_key: config.apiKey,
      api_secret: config.apiSecret,
      from,
      to: to.replace(/^\+/, ''),
      text,
      type: smsEncodingOf(text),
      'client-ref': delivery.messageId,
    });
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
        redirect: 'manual',
        signal: AbortSignal.timeout(config.timeoutMs),
      });
    } catch (error) {
      if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return failure(true, `timed out after ${config.timeoutMs} ms`);
      return failure(true, scrub(`Vonage request failed: ${error instanceof Error ? error.message : String(error)}`));
    }
    const body = await response.text().catch(() => '');
    if (response.status < 200 || response.status >= 300) {
      const retryable = response.status === 429 || response.status >= 500;
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now());
      return failure(retryable, scrub(`Vonage HTTP ${String(response.status)}`), { status: response.status, ...(retryable && retryAfterMs !== undefined ? { retryAfterMs } : {}) });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body) as unknown;
    } catch {
      parsed = undefined;
    }
    const parts = partsOf(parsed);
    // A 200 that is not the SMS API's answer (a captive proxy, say): nothing says the message went.
    if (!parts) return failure(true, 'Vonage answered 200 without a messages list', { status: response.status });
    const failed = parts.find((part) => part.status !== '0');
    if (failed) {
      const retryable = RETRYABLE_STATUSES.has(failed.status);
      return failure(retryable, scrub(`Vonage status ${failed.status}${failed.errorText ? `: ${failed.errorText}` : ''}`), { status: response.status });
    }
    const last = parts.at(-1)?.messageId;
    return last === undefined ? { ok: true } : { ok: true, vendorMessageId: last };
  }

  return {
    channel: VONAGE_SMS_CHANNEL,
    async send(delivery: OutboundDelivery): Promise<SendResult> {
      const address = readVonageReplyAddress(delivery.replyAddress);
      if (!address || !CUSTOMER.test(address.to) || !SENDER.test(address.from)) {
        return failure(false, `not a Vonage reply address: "${delivery.replyAddress.slice(0, 80)}"`);
      }
      const text = withTypedOptions(delivery.text, delivery.quickReplies);
      if (text.trim() === '') return failure(false, 'Vonage cannot send an empty message');
      const pieces = splitVonageText(text);
      let lastId: string | undefined;
      for (const [index, piece] of pieces.entries()) {
        const result = await sendOne(delivery, address.to, address.from, piece);
        if (!result.ok) return pieces.length === 1 ? result : { ...result, error: `part ${String(index + 1)} of ${String(pieces.length)}: ${result.error}` };
        lastId = result.vendorMessageId ?? lastId;
      }
      return lastId === undefined ? { ok: true } : { ok: true, vendorMessageId: lastId };
    },
  };
}
