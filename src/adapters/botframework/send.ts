/**
 * Replies through the Bot Connector REST API of the channel that sent the message:
 * `POST {serviceUrl}/v3/conversations/{conversationId}/activities/{replyToId}` (threaded under the customer's
 * Activity; `…/activities` when there is none), a `message` Activity from the bot to the customer, quick replies
 * as `suggestedActions` (`imBack`: a tap comes back as an ordinary message whose text is the value). With an app id
 * the request carries the bot's Azure AD token (token.ts); without one (Emulator mode) it carries none.
 *
 * Classification: 2xx sent (the connector's `id` is the vendor message id); 408/425/429 (Retry-After honoured),
 * 5xx, timeouts and network errors retryable; 400/401/403/404 permanent (a 401 also drops the cached token). The
 * connector has no idempotency key, so a reply whose answer was lost may arrive twice after a retry.
 *
 * SSRF: the serviceUrl comes from the inbound Activity. With an app id it is bound to the Microsoft-signed token
 * (verify.ts checks the `serviceurl` claim) and must be https; in Emulator mode (no app id) nothing vouches for it,
 * so only loopback hosts are reached. `channelServiceOrigin` admits one more origin exactly, http or https (a local
 * fake connector in tests, an Emulator or a private channel gateway). URLs with credentials are always refused.
 */
import { z } from 'zod';
import type { ChannelSender, OutboundDelivery, SendResult } from '../../contracts/handling.js';
import type { Clock } from '../../shared/clock.js';
import { postForDelivery } from '../../shared/http-delivery.js';
import { BOT_FRAMEWORK_CHANNEL } from './normalize.js';
import { decodeReplyAddress, type BotFrameworkReplyAddress } from './reply-address.js';
import type { TokenProvider } from './token.js';

export interface BotFrameworkSenderConfig {
  /** The bot's token source; null in Emulator mode (no app id): requests go unauthenticated. */
  tokens: TokenProvider | null;
  timeoutMs: number;
  clock: Clock;
  /** One origin admitted besides the defaults (see the module comment). */
  channelServiceOrigin?: string | undefined;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const ConnectorAnswer = z.looseObject({ id: z.string().min(1).optional() });

/** Whether replies may be POSTed to this serviceUrl. */
export function isAllowedServiceUrl(serviceUrl: string, options: { authenticated: boolean; channelServiceOrigin?: string | undefined }): boolean {
  let url: URL;
  try {
    url = new URL(serviceUrl);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
  if (options.channelServiceOrigin !== undefined && URL.canParse(options.channelServiceOrigin)) {
    if (url.origin === new URL(options.channelServiceOrigin).origin) return true;
  }
  return options.authenticated ? url.protocol === 'https:' : LOOPBACK_HOSTS.has(url.hostname);
}

/** The connector URL a reply to this address goes to. */
export function replyUrl(address: BotFrameworkReplyAddress): string {
  const base = address.serviceUrl.replace(/\/+$/, '');
  const activities = `${base}/v3/conversations/${encodeURIComponent(address.conversationId)}/activities`;
  return address.activityId ? `${activities}/${encodeURIComponent(address.activityId)}` : activities;
}

/** The reply Activity (Bot Framework schema). */
export function replyActivity(address: BotFrameworkReplyAddress, delivery: OutboundDelivery): Record<string, unknown> {
  return {
    type: 'message',
    text: delivery.text,
    textFormat: 'plain',
    from: address.bot,
    recipient: address.user,
    conversation: { id: address.conversationId },
    ...(address.activityId ? { replyToId: address.activityId } : {}),
    ...(delivery.quickReplies.length > 0
      ? {
          suggestedActions: {
            to: [address.user.id],
            actions: delivery.quickReplies.map((quick) => ({ type: 'imBack', title: quick.label, value: quick.value })),
          },
        }
      : {}),
  };
}

function vendorMessageId(body: string | undefined): string | undefined {
  try {
    const parsed = ConnectorAnswer.safeParse(JSON.parse(body ?? ''));
    return parsed.success ? parsed.data.id : undefined;
  } catch {
    return undefined;
  }
}

export function createBotFrameworkSender(config: BotFrameworkSenderConfig): ChannelSender {
  return {
    channel: BOT_FRAMEWORK_CHANNEL,
    async send(delivery: OutboundDelivery): Promise<SendResult> {
      const address = decodeReplyAddress(delivery.replyAddress);
      if (!address) return { ok: false, retryable: false, error: 'not a Bot Framework reply address' };
      if (!isAllowedServiceUrl(address.serviceUrl, { authenticated: config.tokens !== null, channelServiceOrigin: config.channelServiceOrigin })) {
        return { ok: false, retryable: false, error: `serviceUrl not allowed: ${address.serviceUrl}` };
      }
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (config.tokens) {
        const token = await config.tokens.token();
        if (!token.ok) return token;
        headers.authorization = `Bearer ${token.token}`;
      }
      const outcome = await postForDelivery(replyUrl(address), {
        body: JSON.stringify(replyActivity(address, delivery)),
        headers,
        timeoutMs: config.timeoutMs,
        now: () => config.clock.now(),
      });
      if (outcome.ok) {
        const id = vendorMessageId(outcome.body);
        return id === undefined ? { ok: true } : { ok: true, vendorMessageId: id };
      }
      if (outcome.status === 401) config.tokens?.invalidate();
      return {
        ok: false,
        retryable: outcome.retryable,
        error: outcome.error ?? 'delivery failed',
        ...(outcome.status === undefined ? {} : { status: outcome.status }),
        ...(outcome.retryAfterMs === undefined ? {} : { retryAfterMs: outcome.retryAfterMs }),
      };
    },
  };
}
