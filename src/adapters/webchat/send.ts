/**
 * The web chat sender. For web chat the database row is the mailbox: the customer's browser reads the outbound
 * rows of its session through the event stream (`GET /chat/events`), whichever HTTP process holds that stream. So
 * "sending" is only a signal — "new message for session X" — through the injected `publish` (Redis pub/sub or
 * in-process; the adapter never touches the queue or the store). A lost signal only delays: streams also re-read
 * the mailbox on a slow interval.
 *
 * The vendor id is our own message id: the browser acknowledges what it displayed with it, and that receipt moves
 * the row to `delivered`.
 */
import type { ChannelSender, OutboundDelivery, SendResult } from '../../contracts/handling.js';
import { WEBCHAT_CHANNEL } from './normalize.js';

/** What a web chat stream is told through the broadcast. */
export type WebChatSignal = 'message' | 'typing';

/** Publishes a signal to whoever holds session `sessionId`'s stream. Rejects when it could not be handed on. */
export type WebChatPublish = (sessionId: string, signal: WebChatSignal) => Promise<void>;

const SESSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function createWebChatSender(options: { publish: WebChatPublish }): ChannelSender & { sendTyping(replyAddress: string): Promise<SendResult> } {
  const signal = async (replyAddress: string, kind: WebChatSignal): Promise<SendResult | null> => {
    if (!SESSION_ID.test(replyAddress)) return { ok: false, retryable: false, error: `not a web chat session id: "${replyAddress.slice(0, 64)}"` };
    try {
      await options.publish(replyAddress, kind);
      return null;
    } catch (error) {
      return { ok: false, retryable: true, error: `web chat signal not published: ${error instanceof Error ? error.message : String(error)}` };
    }
  };
  return {
    channel: WEBCHAT_CHANNEL,
    async send(delivery: OutboundDelivery): Promise<SendResult> {
      return (await signal(delivery.replyAddress, 'message')) ?? { ok: true, vendorMessageId: delivery.messageId };
    },
    /** "The bank is typing" on the session's stream (shown until the next message or a time limit). */
    async sendTyping(replyAddress: string): Promise<SendResult> {
      return (await signal(replyAddress, 'typing')) ?? { ok: true };
    },
  };
}
