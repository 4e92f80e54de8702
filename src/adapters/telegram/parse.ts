/**
 * Parses one verified Telegram webhook body (one `Update`, JSON) into parse results. Messages, edits and inline-
 * keyboard taps become InboundMessages; every other update kind (channel posts, membership changes, inline queries,
 * polls, reactions, …) is `unsupported`: acknowledged, counted, never thrown. A body that is not UTF-8 JSON shaped
 * like an Update throws PayloadInvalid (400). Pure.
 */
import type { RawWebhookRequest } from '../../contracts/channel-adapter.js';
import type { ParseResult } from '../../contracts/inbound-message.js';
import { PayloadInvalid } from '../../shared/errors.js';
import { normalizeTelegramCallback, normalizeTelegramMessage } from './normalize.js';
import { TelegramUpdate } from './schema.js';
import { decodeJsonBody } from '../../shared/json.js';

function decodeJson(body: Buffer): unknown {
  return decodeJsonBody(body, 'The Telegram update');
}

/** The name of the update's kind (its one optional field), for the unsupported reason. */
function updateKind(json: unknown): string {
  const keys = typeof json === 'object' && json !== null ? Object.keys(json).filter((key) => key !== 'update_id') : [];
  return (keys[0] ?? 'empty').slice(0, 64);
}

export function parseTelegramRequest(request: RawWebhookRequest, receivedAt: Date): ParseResult[] {
  const json = decodeJson(request.rawBody);
  const parsed = TelegramUpdate.safeParse(json);
  if (!parsed.success) {
    throw new PayloadInvalid(
      'The body is not a Telegram Update.',
      parsed.error.issues.slice(0, 20).map((issue) => ({ path: issue.path.join('.') || '(body)', message: issue.message })),
    );
  }
  const update = parsed.data;
  if (update.message) return [normalizeTelegramMessage(update.message, false, json, receivedAt)];
  if (update.edited_message) return [normalizeTelegramMessage(update.edited_message, true, json, receivedAt)];
  if (update.callback_query) return [normalizeTelegramCallback(update.callback_query, json, receivedAt)];
  return [{ kind: 'unsupported', reason: `telegram update "${updateKind(json)}" is not handled` }];
}
