/**
 * The Telegram channel (DESIGN.md §6): `POST /webhooks/telegram` with the secret-token header, or long polling for
 * local development. verify.ts → parse.ts → normalize.ts inbound, send.ts (telegraf's Telegram client) outbound.
 */
import type { ChannelAdapter, ChannelCapabilities } from '../../contracts/channel-adapter.js';
import { TELEGRAM_CHANNEL } from './normalize.js';
import { parseTelegramRequest } from './parse.js';
import { createTelegramSender, DEFAULT_TELEGRAM_API_ROOT, TELEGRAM_MAX_TEXT_LENGTH, type TelegramSender } from './send.js';
import { assertTelegramSecretToken, verifyTelegramRequest } from './verify.js';

export { TELEGRAM_CHANNEL } from './normalize.js';
export { parseTelegramRequest } from './parse.js';
export { TELEGRAM_SECRET_HEADER, verifyTelegramRequest } from './verify.js';
export {
  createTelegramSender,
  classifyTelegramError,
  splitTelegramText,
  DEFAULT_TELEGRAM_API_ROOT,
  TELEGRAM_MAX_TEXT_LENGTH,
  TELEGRAM_MAX_CALLBACK_DATA_BYTES,
  type TelegramSender,
  type TelegramSenderConfig,
} from './send.js';
export {
  startTelegramPolling,
  TelegramPollingFailed,
  DEFAULT_TELEGRAM_WEBHOOK_PATH,
  type TelegramPollingOptions,
} from './polling.js';

export interface TelegramAdapterConfig {
  /** The `secret_token` given to setWebhook (TELEGRAM_WEBHOOK_SECRET): 1–256 of `A-Z a-z 0-9 _ -`. */
  secretToken: string;
  /** The bot token (TELEGRAM_BOT_TOKEN). */
  botToken: string;
  /** Bot API base URL (TELEGRAM_API_ROOT); default https://api.telegram.org. */
  apiRoot?: string;
  /** Bound on each Bot API call (OUTBOUND_TIMEOUT_MS). */
  timeoutMs: number;
}

export const TELEGRAM_CAPABILITIES: ChannelCapabilities = {
  quickReplies: true,
  typing: true,
  maxTextLength: TELEGRAM_MAX_TEXT_LENGTH,
  deliveryReceipts: false,
  dialog: true,
  reachableLater: true,
};

/** The Telegram adapter; throws ConfigInvalid when the secret token is not one Telegram would accept. */
export function createTelegramAdapter(config: TelegramAdapterConfig): ChannelAdapter & { readonly sender: TelegramSender } {
  assertTelegramSecretToken(config.secretToken);
  const sender = createTelegramSender({
    botToken: config.botToken,
    apiRoot: config.apiRoot ?? DEFAULT_TELEGRAM_API_ROOT,
    timeoutMs: config.timeoutMs,
  });
  return {
    channel: TELEGRAM_CHANNEL,
    capabilities: TELEGRAM_CAPABILITIES,
    verify: (request) => verifyTelegramRequest(request, config.secretToken),
    parse: (request, receivedAt) => parseTelegramRequest(request, receivedAt),
    sender,
  };
}
