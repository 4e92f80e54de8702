/**
 * Telegram webhook authenticity. Telegram signs nothing: `setWebhook(url, { secret_token })` makes it send the secret
 * back in `X-Telegram-Bot-Api-Secret-Token` on every call (CHANNELS.md §2). We compare it in constant time and
 * refuse before anything is parsed. The bot token is never part of the webhook URL.
 */
import type { RawWebhookRequest } from '../../contracts/channel-adapter.js';
import { constantTimeEqual } from '../../shared/crypto.js';
import { ConfigInvalid, SignatureInvalid } from '../../shared/errors.js';

/** Lower-case, as RawWebhookRequest.headers holds it. */
export const TELEGRAM_SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** What Telegram accepts as a `secret_token`: 1–256 characters of `A-Z a-z 0-9 _ -`. */
const SECRET_TOKEN_PATTERN = /^[A-Za-z0-9_-]{1,256}$/;

/** Throws ConfigInvalid when `secretToken` is not one Telegram's setWebhook would accept. */
export function assertTelegramSecretToken(secretToken: string): void {
  if (!SECRET_TOKEN_PATTERN.test(secretToken)) {
    throw new ConfigInvalid('The Telegram webhook secret token must be 1-256 characters of A-Z, a-z, 0-9, _ and -.', [
      { path: 'secretToken', message: 'expected 1-256 characters of [A-Za-z0-9_-]' },
    ]);
  }
}

/** Resolves when the request carries the configured secret; throws SignatureInvalid (401) otherwise. */
export function verifyTelegramRequest(request: RawWebhookRequest, secretToken: string): Promise<void> {
  const presented = request.headers[TELEGRAM_SECRET_HEADER];
  if (presented === undefined || presented === '') {
    return Promise.reject(new SignatureInvalid(`The ${TELEGRAM_SECRET_HEADER} header is missing.`));
  }
  if (!constantTimeEqual(presented, secretToken)) {
    return Promise.reject(new SignatureInvalid(`The ${TELEGRAM_SECRET_HEADER} header does not match.`));
  }
  return Promise.resolve();
}
