/**
 * The Telegram sender: customer-facing messages go out through the Bot API's `sendMessage`, via telegraf's `Telegram`
 * client (`new Telegram(botToken, { apiRoot })`, so tests point it at a local fake). The reply address is the chat id.
 *
 * - Text over 4096 characters is split (at a line break or a space where it can be) and sent in order; quick replies
 *   ride on the last part as an inline keyboard, one button a row, `callback_data` = the reply's value (≤ 64 bytes,
 *   checked before anything is sent). A tap comes back as a `callback_query` update (normalize.ts).
 * - Each call is bounded by `timeoutMs` (an AbortSignal handed to telegraf's `callApi`).
 * - Errors are classified from telegraf's `TelegramError` (Telegram's `{ok:false, error_code, description,
 *   parameters}`): 429 retryable after `parameters.retry_after`; 5xx, network errors and timeouts retryable; 400, 401,
 *   403 (bot blocked by the user), 404 and other 4xx permanent.
 * - The bot token is in every request URL: it is scrubbed from every error text this module returns.
 *
 * A failure after some parts of a split message were sent reports which part failed; a retry sends every part again
 * (the Bot API has no idempotency key), so a customer may see the first parts twice. Replies are rarely that long.
 */
import { Telegram, TelegramError } from 'telegraf';
import type { ChannelSender, OutboundDelivery, QuickReply, SendResult } from '../../contracts/handling.js';
import { parseRetryAfter } from '../../shared/http-delivery.js';
import { TELEGRAM_CHANNEL } from './normalize.js';
import { splitText } from '../../shared/text.js';

export const TELEGRAM_MAX_TEXT_LENGTH = 4096;
export const TELEGRAM_MAX_CALLBACK_DATA_BYTES = 64;
export const DEFAULT_TELEGRAM_API_ROOT = 'https://api.telegram.org';

export interface TelegramSenderConfig {
  /** The bot token from @BotFather (`123456:ABC…`). Never logged, never in an error. */
  botToken: string;
  /** Bot API base URL; tests point it at a local fake. */
  apiRoot?: string;
  /** Bound on each Bot API call. */
  timeoutMs: number;
}

/** A ChannelSender that shows "typing…" with sendChatAction. */
export interface TelegramSender extends ChannelSender {
  sendTyping(replyAddress: string): Promise<SendResult>;
}

const CHAT_ID = /^-?\d{1,20}$/;

type TelegrafCallOptions = NonNullable<Parameters<Telegram['callApi']>[2]>;

/**
 * `callApi`'s options with a bounded signal. telegraf types `signal` as the abort-controller polyfill's class, which
 * TypeScript will not unify with Node's own AbortSignal; node-fetch 2 (telegraf's transport) accepts the native one
 * at run time, so the cast is only about the declaration.
 */
export function telegrafCallOptions(signal: AbortSignal): TelegrafCallOptions {
  return { signal } as unknown as TelegrafCallOptions;
}

/** Splits text into the parts one Telegram message can carry (src/shared/text.ts). */
export function splitTelegramText(text: string, max = TELEGRAM_MAX_TEXT_LENGTH): string[] {
  return splitText(text, max);
}

function inlineKeyboard(quickReplies: QuickReply[]): { text: string; callback_data: string }[][] {
  return quickReplies.map((quickReply) => [{ text: quickReply.label, callback_data: quickReply.value }]);
}

function failure(retryable: boolean, error: string, extra: { status?: number; retryAfterMs?: number } = {}): SendResult {
  return { ok: false, retryable, error, ...extra };
}

function scrubber(botToken: string): (text: string) => string {
  return (text) => (botToken === '' ? text : text.split(botToken).join('<bot-token>'));
}

/** Turns whatever telegraf threw into a SendResult. */
export function classifyTelegramError(error: unknown, options: { timeoutMs: number; scrub: (text: string) => string; now?: Date }): SendResult {
  if (error instanceof TelegramError) {
    const code = error.code;
    const text = options.scrub(`Telegram ${error.message}`);
    if (code === 429) {
      const retryAfter = error.parameters?.retry_after;
      const retryAfterMs = retryAfter === undefined ? undefined : parseRetryAfter(String(retryAfter), options.now ?? new Date());
      return failure(true, text, { status: code, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
    }
    return failure(code >= 500, text, { status: code });
  }
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) {
    return failure(true, `timed out after ${options.timeoutMs} ms`);
  }
  // Network errors (node-fetch FetchError) and non-JSON answers from a proxy: worth another try.
  const message = error instanceof Error ? error.message : String(error);
  return failure(true, options.scrub(`Telegram request failed: ${message}`));
}

export function createTelegramSender(config: TelegramSenderConfig): TelegramSender {
  const telegram = new Telegram(config.botToken, { apiRoot: config.apiRoot ?? DEFAULT_TELEGRAM_API_ROOT, webhookReply: false });
  const scrub = scrubber(config.botToken);
  const classify = (error: unknown): SendResult => classifyTelegramError(error, { timeoutMs: config.timeoutMs, scrub });
  const signal = (): AbortSignal => AbortSignal.timeout(config.timeoutMs);

  return {
    channel: TELEGRAM_CHANNEL,

    async send(delivery: OutboundDelivery): Promise<SendResult> {
      if (!CHAT_ID.test(delivery.replyAddress)) return failure(false, `not a Telegram chat id: "${delivery.replyAddress.slice(0, 64)}"`);
      if (delivery.text.trim() === '') return failure(false, 'Telegram cannot send an empty message');
      const tooLong = delivery.quickReplies.find((quickReply) => Buffer.byteLength(quickReply.value, 'utf8') > TELEGRAM_MAX_CALLBACK_DATA_BYTES);
      if (tooLong) {
        return failure(false, `quick reply value "${tooLong.value}" exceeds Telegram's ${TELEGRAM_MAX_CALLBACK_DATA_BYTES}-byte callback_data limit`);
      }
      const parts = splitTelegramText(delivery.text);
      let lastMessageId: number | undefined;
      for (const [index, part] of parts.entries()) {
        const last = index === parts.length - 1;
        try {
          const sent = await telegram.callApi(
            'sendMessage',
            {
              chat_id: delivery.replyAddress,
              text: part,
              ...(last && delivery.quickReplies.length > 0 ? { reply_markup: { inline_keyboard: inlineKeyboard(delivery.quickReplies) } } : {}),
            },
            telegrafCallOptions(signal()),
          );
          lastMessageId = sent.message_id;
        } catch (error) {
          const result = classify(error);
          if (result.ok || parts.length === 1) return result;
          return { ...result, error: `part ${index + 1} of ${parts.length}: ${result.error}` };
        }
      }
      return lastMessageId === undefined ? { ok: true } : { ok: true, vendorMessageId: String(lastMessageId) };
    },

    async sendTyping(replyAddress: string): Promise<SendResult> {
      if (!CHAT_ID.test(replyAddress)) return failure(false, `not a Telegram chat id: "${replyAddress.slice(0, 64)}"`);
      try {
        await telegram.callApi('sendChatAction', { chat_id: replyAddress, action: 'typing' }, telegrafCallOptions(signal()));
        return { ok: true };
      } catch (error) {
        return classify(error);
      }
    },
  };
}
