/**
 * Parses the frames the web chat page POSTs, after verify.ts accepted the request's session token: a customer
 * message (`POST /chat/messages`) and delivery receipts (`POST /chat/receipts`). The session comes from the token,
 * never from the body. A body that is not UTF-8 JSON shaped like the frame throws PayloadInvalid (400) with the
 * zod issues. Pure.
 */
import type { RawWebhookRequest } from '../../contracts/channel-adapter.js';
import type { ParseResult } from '../../contracts/inbound-message.js';
import { WebChatMessageFrame, WebChatReceiptFrame } from '../../contracts/webchat.js';
import { PayloadInvalid, Unauthenticated } from '../../shared/errors.js';
import { normalizeWebChatMessage } from './normalize.js';
import { tokenOf } from './verify.js';
import type { WebChatSessions } from './session-token.js';
import type { z } from 'zod';
import { decodeJsonBody } from '../../shared/json.js';

function decodeJson(body: Buffer): unknown {
  return decodeJsonBody(body, 'The web chat frame');
}

function frameOf<T>(schema: z.ZodType<T>, body: Buffer, what: string): T {
  const parsed = schema.safeParse(decodeJson(body));
  if (!parsed.success) {
    throw new PayloadInvalid(
      `The body is not a web chat ${what}.`,
      parsed.error.issues.slice(0, 20).map((issue) => ({ path: issue.path.join('.') || '(body)', message: issue.message })),
    );
  }
  return parsed.data;
}

function sessionOf(request: RawWebhookRequest, sessions: WebChatSessions): string {
  const token = tokenOf(request.headers);
  if (token === undefined) throw new Unauthenticated('A web chat session token is required.');
  return sessions.read(token).sessionId;
}

/** A customer message frame: one InboundMessage of the token's session. */
export function parseWebChatMessage(request: RawWebhookRequest, receivedAt: Date, sessions: WebChatSessions): ParseResult[] {
  const sessionId = sessionOf(request, sessions);
  const frame = frameOf(WebChatMessageFrame, request.rawBody, 'message');
  return [{ kind: 'message', message: normalizeWebChatMessage(frame, sessionId, receivedAt) }];
}

/** A receipts frame: one `delivered` status per message id (the route applies them to this session's messages only). */
export function parseWebChatReceipts(request: RawWebhookRequest, receivedAt: Date): ParseResult[] {
  const frame = frameOf(WebChatReceiptFrame, request.rawBody, 'receipt');
  return [...new Set(frame.messageIds)].map((channelMessageId) => ({ kind: 'status', channelMessageId, status: 'delivered', at: receivedAt }));
}
