/**
 * Our web chat widget (DESIGN.md §6): a page at `/chat` and an embeddable script, talking to Ombuds over plain
 * HTTP — POSTed frames in, a Server-Sent Events stream out (src/http/webchat-routes.ts). A signed session token
 * (session-token.ts) authenticates every frame; verify.ts → parse.ts → normalize.ts inbound, send.ts outbound (a
 * signal: the database row is the mailbox the stream reads).
 */
import type { ChannelAdapter, ChannelCapabilities } from '../../contracts/channel-adapter.js';
import type { RawWebhookRequest } from '../../contracts/channel-adapter.js';
import type { ChannelSender, SendResult } from '../../contracts/handling.js';
import type { ParseResult } from '../../contracts/inbound-message.js';
import { WEBCHAT_MAX_TEXT_LENGTH } from '../../contracts/webchat.js';
import type { Clock } from '../../shared/clock.js';
import { WEBCHAT_CHANNEL } from './normalize.js';
import { parseWebChatMessage, parseWebChatReceipts } from './parse.js';
import { createWebChatSender, type WebChatPublish } from './send.js';
import { createWebChatSessions, type WebChatSessions } from './session-token.js';
import { verifyWebChatRequest } from './verify.js';

export { WEBCHAT_CHANNEL, webChatMessageId, clientMessageIdOf, normalizeWebChatMessage } from './normalize.js';
export { parseWebChatMessage, parseWebChatReceipts } from './parse.js';
export { createWebChatSender, type WebChatPublish, type WebChatSignal } from './send.js';
export {
  createWebChatSessions,
  issueSessionToken,
  readSessionToken,
  verifySessionToken,
  assertSessionSecret,
  SessionExpired,
  MIN_SESSION_SECRET_LENGTH,
  type WebChatSession,
  type WebChatSessions,
  type WebChatSessionsConfig,
} from './session-token.js';
export { sessionOfRequest, tokenOf, verifyWebChatRequest } from './verify.js';

export const WEBCHAT_CAPABILITIES: ChannelCapabilities = {
  quickReplies: true,
  typing: true,
  maxTextLength: WEBCHAT_MAX_TEXT_LENGTH,
  deliveryReceipts: true,
  dialog: true,
  // A browser tab: once it is closed, nothing reaches the customer there (the dialog asks for a contact).
  reachableLater: false,
};

/** The broadcast topic of one session's stream. */
export function webChatTopic(sessionId: string): string {
  return `webchat:${sessionId}`;
}

export interface WebChatAdapterConfig {
  /** WEBCHAT_SESSION_SECRET, or the one kept in the settings table (at least 32 characters). */
  sessionSecret: string;
  /** How long a session token is valid. */
  sessionTtlMs: number;
  clock: Clock;
  /** Signals a session's stream (send.ts). */
  publish: WebChatPublish;
}

export interface WebChatAdapter extends ChannelAdapter {
  readonly sender: ChannelSender & { sendTyping(replyAddress: string): Promise<SendResult> };
  readonly sessions: WebChatSessions;
  /** The receipts of a `POST /chat/receipts` frame (after verify). */
  parseReceipts(request: RawWebhookRequest, receivedAt: Date): ParseResult[];
}

/** The web chat adapter; throws ConfigInvalid when the secret is too short. */
export function createWebChatAdapter(config: WebChatAdapterConfig): WebChatAdapter {
  const sessions = createWebChatSessions({ secret: config.sessionSecret, ttlMs: config.sessionTtlMs, clock: config.clock });
  return {
    channel: WEBCHAT_CHANNEL,
    capabilities: WEBCHAT_CAPABILITIES,
    sessions,
    verify: (request) => verifyWebChatRequest(request, sessions),
    parse: (request, receivedAt) => parseWebChatMessage(request, receivedAt, sessions),
    parseReceipts: (request, receivedAt) => parseWebChatReceipts(request, receivedAt),
    sender: createWebChatSender({ publish: config.publish }),
  };
}
