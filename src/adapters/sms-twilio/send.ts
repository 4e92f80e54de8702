/**
 * The Twilio SMS sender: customer-facing messages go out through the Messages REST API, `POST
 * {apiRoot}/2010-04-01/Accounts/{AccountSid}/Messages.json` (form body, HTTP basic auth with the account sid and
 * auth token), `To` the customer and `From` the number they wrote to (or `MessagingServiceSid`), as the reply
 * address says. Twilio answers 201 with the message resource; its `sid` is the vendor id that status callbacks
 * (`StatusCallback`, when a public URL is configured) name.
 *
 * - SMS has no buttons: quick replies are appended to the text as lines to type back (the dialog asks in words on
 *   this channel; templates such as the survey bring their options).
 * - Text over 1600 characters (Twilio's limit for one Body) is split at a line break or space and sent in order.
 * - Errors (Twilio's `{code, message, more_info, status}`): 429 and 5xx retryable (after Retry-After), network
 *   errors and timeouts retryable; other 4xx permanent with Twilio's code, e.g. 21610 (the customer replied STOP),
 *   21211 (invalid number), 21614 (not a mobile number), 20003 (wrong credentials).
 * - The auth token is never in an error text.
 */
import type { ChannelSender, OutboundDelivery, SendResult } from '../../contracts/handling.js';
import { parseRetryAfter } from '../../shared/http-delivery.js';
import { readTwilioReplyAddress, TWILIO_SMS_CHANNEL } from './normalize.js';
import { splitText, withTypedOptions } from '../../shared/text.js';

export { withTypedOptions };

export const TWILIO_MAX_TEXT_LENGTH = 1600;
export const DEFAULT_TWILIO_API_ROOT = 'https://api.twilio.com';

export interface TwilioSmsSenderConfig {
  accountSid: string;
  /** Never logged, never in an error. */
  authToken: string;
  /** REST API base URL (TWILIO_API_ROOT); tests point it at a local fake. */
  apiRoot?: string;
  /** Where Twilio should POST delivery statuses (our webhook's public URL), if known. */
  statusCallbackUrl?: string;
  /** Bound on each API call (OUTBOUND_TIMEOUT_MS). */
  timeoutMs: number;
  now?: () => Date;
}

/** Where a reply may go: an E.164 number, optionally behind `whatsapp:`. */
const TWILIO_ADDRESS = /^(?:whatsapp:)?\+[1-9]\d{6,14}$/;
const MESSAGING_SERVICE = /^MG[0-9a-fA-F]{32}$/;
/** Shown short codes and alphanumeric sender ids may also be a `From`. */
const SENDER = /^(?:(?:whatsapp:)?\+[1-9]\d{6,14}|\d{3,8}|[A-Za-z0-9 ]{1,11})$/;

/** Splits text into the parts one Twilio message can carry (src/shared/text.ts). */
export function splitSmsText(text: string, max = TWILIO_MAX_TEXT_LENGTH): string[] {
  return splitText(text, max);
}


function failure(retryable: boolean, error: string, extra: { status?: number; retryAfterMs?: number } = {}): SendResult {
  return { ok: false, retryable, error, ...extra };
}

/** Twilio's error body, when the answer has one. */
function twilioError(body: unknown): { code?: number; message?: string } {
  if (typeof body !== 'object' || body === null) return {};
  const { code, message } = body as { code?: unknown; message?: unknown };
  return { ...(typeof code === 'number' ? { code } : {}), ...(typeof message === 'string' ? { message: message.slice(0, 300) } : {}) };
}

export function createTwilioSmsSender(config: TwilioSmsSenderConfig): ChannelSender {
  const root = (config.apiRoot ?? DEFAULT_TWILIO_API_ROOT).replace(/\/+$/, '');
  const url = `${root}/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${config.accountSid}:${config.authToken}`).toString('base64')}`;
  const scrub = (text: string): string => (config.authToken === '' ? text : text.split(config.authToken).join('<auth-token>'));
  const now = config.now ?? (() => new Date());

  async function sendOne(to: string, from: string, body: string): Promise<SendResult> {
    const form = new URLSearchParams({ To: to, Body: body });
    form.set(MESSAGING_SERVICE.test(from) ? 'MessagingServiceSid' : 'From', from);
    if (config.statusCallbackUrl) form.set('StatusCallback', config.statusCallbackUrl);
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
        redirect: 'manual',
        signal: AbortSignal.timeout(config.timeoutMs),
      });
    } catch (error) {
      if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return failure(true, `timed out after ${config.timeoutMs} ms`);
      return failure(true, scrub(`Twilio request failed: ${error instanceof Error ? error.message : String(error)}`));
    }
    const text = await response.text().catch(() => '');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text) as unknown;
    } catch {
      parsed = undefined;
    }
    if (response.status >= 200 && response.status < 300) {
      const sid = typeof parsed === 'object' && parsed !== null ? (parsed as { sid?: unknown }).sid : undefined;
      return typeof sid === 'string' ? { ok: true, vendorMessageId: sid } : { ok: true };
    }
    const { code, message } = twilioError(parsed);
    const described = scrub(`Twilio HTTP ${String(response.status)}${code === undefined ? '' : ` error ${String(code)}`}${message ? `: ${message}` : ''}`);
    // 20429 is Twilio's own "too many requests", whatever status a proxy put on it.
    const retryable = response.status === 429 || response.status >= 500 || code === 20429;
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now());
    return failure(retryable, described, { status: response.status, ...(retryable && retryAfterMs !== undefined ? { retryAfterMs } : {}) });
  }

  return {
    channel: TWILIO_SMS_CHANNEL,
    async send(delivery: OutboundDelivery): Promise<SendResult> {
      const address = readTwilioReplyAddress(delivery.replyAddress);
      if (!address || !TWILIO_ADDRESS.test(address.to) || !(MESSAGING_SERVICE.test(address.from) || SENDER.test(address.from))) {
        return failure(false, `not a Twilio reply address: "${delivery.replyAddress.slice(0, 80)}"`);
      }
      const text = withTypedOptions(delivery.text, delivery.quickReplies);
      if (text.trim() === '') return failure(false, 'Twilio cannot send an empty message');
      const parts = splitSmsText(text);
      let lastSid: string | undefined;
      for (const [index, part] of parts.entries()) {
        const result = await sendOne(address.to, address.from, part);
        if (!result.ok) return parts.length === 1 ? result : { ...result, error: `part ${String(index + 1)} of ${String(parts.length)}: ${result.error}` };
        lastSid = result.vendorMessageId ?? lastSid;
      }
      return lastSid === undefined ? { ok: true } : { ok: true, vendorMessageId: lastSid };
    },
  };
}
