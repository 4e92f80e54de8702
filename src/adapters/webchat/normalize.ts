/**
 * Turns a validated web chat message frame of one session into an InboundMessage. Pure.
 *
 * Ids. The session is the conversation, the reply address and the customer (one browser tab, no account). The
 * dedupe key is `<session id>:<clientMessageId>`: a retry of the same frame is a duplicate, and two sessions that
 * pick the same client id never collide. The browser's clock is not trusted: `sentAt` is the receipt time.
 */
import type { InboundMessage } from '../../contracts/inbound-message.js';
import type { WebChatMessageFrame } from '../../contracts/webchat.js';

export const WEBCHAT_CHANNEL = 'webchat';

/** `<session id>:<clientMessageId>`, the channel message id of a customer message. */
export function webChatMessageId(sessionId: string, clientMessageId: string): string {
  return `${sessionId}:${clientMessageId}`;
}

/** The clientMessageId inside a channel message id of `sessionId`, or undefined when it is not one of that session's. */
export function clientMessageIdOf(sessionId: string, channelMessageId: string): string | undefined {
  const prefix = `${sessionId}:`;
  return channelMessageId.startsWith(prefix) ? channelMessageId.slice(prefix.length) : undefined;
}

export function normalizeWebChatMessage(frame: WebChatMessageFrame, sessionId: string, receivedAt: Date): InboundMessage {
  return {
    channel: WEBCHAT_CHANNEL,
    channelMessageId: webChatMessageId(sessionId, frame.clientMessageId),
    conversationKey: sessionId,
    sender: { id: sessionId },
    sentAt: receivedAt,
    receivedAt,
    text: frame.text,
    attachments: [],
    ...(frame.locale === undefined ? {} : { locale: frame.locale }),
    replyAddress: sessionId,
    raw: { ...frame },
  };
}
