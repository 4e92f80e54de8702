/**
 * Parses one inbound Bot Framework Activity (the body of `POST /api/messages`). Only `message` Activities carry what
 * a customer wrote; `conversationUpdate`, `typing`, `event`, `invoke`, `messageReaction`, … are `unsupported`
 * (acknowledged with 200, never stored). A body that is not an Activity, or a message without what threading and
 * replying need, throws PayloadInvalid with the zod issues.
 */
import type { z } from 'zod';
import type { ParseResult } from '../../contracts/inbound-message.js';
import { PayloadInvalid } from '../../shared/errors.js';
import { AnyActivity, MessageActivity } from './activity.js';
import { normalizeBotFrameworkMessage } from './normalize.js';

function invalid(message: string, error: z.ZodError): PayloadInvalid {
  return new PayloadInvalid(
    message,
    error.issues.slice(0, 20).map((issue) => ({ path: issue.path.join('.') || '(body)', message: issue.message })),
  );
}

export function parseBotFrameworkActivity(rawBody: Buffer, receivedAt: Date): ParseResult[] {
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8')) as unknown;
  } catch {
    throw new PayloadInvalid('The body is not JSON: a Bot Framework Activity is expected.');
  }
  const activity = AnyActivity.safeParse(body);
  if (!activity.success) throw invalid('The body is not a Bot Framework Activity.', activity.error);
  if (activity.data.type !== 'message') return [{ kind: 'unsupported', reason: `activity type "${activity.data.type}"` }];

  const message = MessageActivity.safeParse(body);
  if (!message.success) throw invalid('The message Activity lacks what Ombuds needs to thread and reply.', message.error);
  const normalized = normalizeBotFrameworkMessage(message.data, body, receivedAt);
  if (!normalized) return [{ kind: 'unsupported', reason: 'message with no text, value or attachment' }];
  return [{ kind: 'message', message: normalized }];
}
