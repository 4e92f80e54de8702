/**
 * Long polling for local development (`TELEGRAM_MODE=polling`: no public HTTPS URL needed). Each update from
 * `getUpdates` (through telegraf's `Telegram` client) is handed on as the same RawWebhookRequest a webhook call would
 * be — same path, same secret header — so verify → parse → intake is one code path for both modes.
 *
 * Offsets: an update is confirmed (the next `getUpdates` asks from `update_id + 1`) only once `onUpdate` resolved, or
 * threw a non-retryable OmbudsError (a payload we will never accept: skipped, reported to `onError`). Any other
 * error leaves it unconfirmed; after a pause the same batch is fetched again. Telegram allows one poller per bot and
 * none while a webhook is set: 409 (and 401/404, a wrong token) stop the loop with an error.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Telegram, TelegramError } from 'telegraf';
import { z } from 'zod';
import type { RawWebhookRequest } from '../../contracts/channel-adapter.js';
import { OmbudsError, isOmbudsError } from '../../shared/errors.js';
import { retryDelayMs } from '../../shared/http-delivery.js';
import { DEFAULT_TELEGRAM_API_ROOT, telegrafCallOptions } from './send.js';
import { TELEGRAM_SECRET_HEADER } from './verify.js';

export const DEFAULT_TELEGRAM_WEBHOOK_PATH = '/webhooks/telegram';

export interface TelegramPollingOptions {
  botToken: string;
  apiRoot?: string;
  /** Receives each update as a webhook request would arrive. A rejection leaves the update unconfirmed (see above). */
  onUpdate: (request: RawWebhookRequest) => Promise<void>;
  /** Aborting stops the loop (an in-flight long poll is cancelled); the returned promise then resolves. */
  signal: AbortSignal;
  /** Put in the secret-token header so the webhook's verify step accepts polled updates too. */
  secretToken?: string;
  /** The path the requests claim; default `/webhooks/telegram`. */
  path?: string;
  /** Long-poll wait, seconds (Telegram's `timeout`); default 30. */
  pollTimeoutSeconds?: number;
  /** Updates per batch, 1–100; default 100. */
  limit?: number;
  /** First pause after a failure, doubled each time up to a minute; default 1000. */
  retryBaseMs?: number;
  /** Errors the loop survives (network, 5xx, 429, failed updates), with the bot token scrubbed. */
  onError?: (error: unknown) => void;
}

/** The loop stopped for good (wrong token, a webhook is set, another poller is running). */
export class TelegramPollingFailed extends OmbudsError {
  constructor(message: string) {
    super('TELEGRAM_POLLING_FAILED', message, { httpStatus: 500 });
  }
}

const UpdateId = z.looseObject({ update_id: z.number().int().nonnegative() });
const FATAL_CODES = new Set([401, 404, 409]);
const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query'] as const;

function scrubbed(error: unknown, botToken: string): Error {
  const message = error instanceof Error ? error.message : String(error);
  const clean = message.split(botToken).join('<bot-token>');
  return error instanceof Error && clean === message ? error : new Error(clean);
}

/** Polls until `signal` aborts (resolves) or a fatal answer (rejects with TelegramPollingFailed). */
export async function startTelegramPolling(options: TelegramPollingOptions): Promise<void> {
  const telegram = new Telegram(options.botToken, { apiRoot: options.apiRoot ?? DEFAULT_TELEGRAM_API_ROOT, webhookReply: false });
  const timeout = options.pollTimeoutSeconds ?? 30;
  const baseMs = options.retryBaseMs ?? 1000;
  const { signal } = options;
  let offset = 0;
  let failures = 0;
  // A function, not the property: the loop awaits, and the signal may abort meanwhile.
  const stopped = (): boolean => signal.aborted;

  const pause = async (retryAfterMs?: number): Promise<void> => {
    failures += 1;
    const delay = retryDelayMs(failures, { baseMs, maxMs: 60_000, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
    await sleep(delay, undefined, { signal }).catch(() => undefined);
  };
  const toRequest = (update: unknown): RawWebhookRequest => ({
    method: 'POST',
    path: options.path ?? DEFAULT_TELEGRAM_WEBHOOK_PATH,
    headers: { 'content-type': 'application/json', ...(options.secretToken ? { [TELEGRAM_SECRET_HEADER]: options.secretToken } : {}) },
    rawBody: Buffer.from(JSON.stringify(update), 'utf8'),
  });

  while (!stopped()) {
    let updates: unknown[];
    try {
      updates = await telegram.callApi(
        'getUpdates',
        { offset, timeout, limit: options.limit ?? 100, allowed_updates: ALLOWED_UPDATES },
        telegrafCallOptions(AbortSignal.any([signal, AbortSignal.timeout((timeout + 15) * 1000)])),
      );
    } catch (error) {
      if (stopped()) return;
      if (error instanceof TelegramError && FATAL_CODES.has(error.code)) {
        throw new TelegramPollingFailed(`Telegram getUpdates refused: ${scrubbed(error, options.botToken).message}`);
      }
      options.onError?.(scrubbed(error, options.botToken));
      const retryAfter = error instanceof TelegramError ? error.parameters?.retry_after : undefined;
      await pause(retryAfter === undefined ? undefined : retryAfter * 1000);
      continue;
    }
    failures = 0;
    for (const update of updates) {
      if (stopped()) return;
      const parsed = UpdateId.safeParse(update);
      if (!parsed.success) continue;
      try {
        await options.onUpdate(toRequest(update));
      } catch (error) {
        options.onError?.(error);
        if (!isOmbudsError(error) || error.retryable) {
          await pause();
          break;
        }
      }
      offset = parsed.data.update_id + 1;
    }
  }
}
