/**
 * Replies through the Bot Connector of the channel that sent the message, with the SDK's CloudAdapter:
 * `continueConversationAsync` opens a turn on the stored reply address (its ConversationReference) and
 * `sendActivity` posts a `message` Activity from the bot to the customer through the ConnectorClient the adapter's
 * BotFrameworkAuthentication builds: `POST {serviceUrl}/v3/conversations/{conversationId}/activities/{replyToId}`
 * (threaded under the customer's Activity; `…/activities` when there is none). Quick replies are
 * `suggestedActions` (`imBack`: a tap comes back as an ordinary message whose text is the value); `sendTyping` posts a
 * `typing` Activity the same way. With an app id the call carries the bot's token (credentials.ts); without one
 * (Emulator mode) it carries none.
 *
 * Classification (the transport and the credentials throw it, see connector-transport.ts): 2xx sent (the
 * connector's `id` is the vendor message id); 408/425/429 (Retry-After honoured), 5xx, timeouts and network errors
 * retryable; 400/401/403/404 permanent (a 401 also drops the cached token); token-endpoint failures as token.ts
 * classifies them. The connector has no idempotency key, so a reply whose answer was lost may arrive twice after
 * a retry.
 *
 * SSRF: the serviceUrl comes from the inbound Activity. With an app id it is bound to the Microsoft-signed token
 * (verify.ts: the `serviceurl` claim) and must be https; in Emulator mode (no app id) nothing vouches for it, so
 * only loopback hosts are reached. `channelServiceOrigin` admits one more origin exactly, http or https (a local
 * fake connector in tests, an Emulator or a private channel gateway). URLs with credentials are always refused.
 */
import type { Activity, ChannelAccount, CloudAdapter, ConversationAccount, ConversationReference } from 'botbuilder';
import type { ChannelSender, OutboundDelivery, SendResult } from '../../contracts/handling.js';
import { ConnectorRequestFailed } from './connector-transport.js';
import { TokenUnavailable } from './credentials.js';
import { BOT_FRAMEWORK_CHANNEL } from './normalize.js';
import { decodeReplyAddress, type BotFrameworkReplyAddress } from './reply-address.js';
import type { TokenProvider } from './token.js';

export interface BotFrameworkSenderConfig {
  /** The SDK adapter over the channel's BotFrameworkAuthentication (authentication.ts). */
  adapter: CloudAdapter;
  /** MicrosoftAppId; undefined in Emulator mode (requests go unauthenticated). */
  appId: string | undefined;
  /** The bot's token source, to drop a token the connector refused; null in Emulator mode. */
  tokens: TokenProvider | null;
  /** One origin admitted besides the defaults (see the module comment). */
  channelServiceOrigin?: string | undefined;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

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

/**
 * The stored address as the SDK's ConversationReference. botframework-schema types an account's `name` and a
 * conversation's `isGroup`/`conversationType`/`name` as required; the wire protocol does not, and the connector gets
 * exactly what the channel sent us (made-up values would be sent on).
 */
export function conversationReference(address: BotFrameworkReplyAddress): Partial<ConversationReference> {
  return {
    channelId: address.channelId,
    serviceUrl: address.serviceUrl,
    conversation: { id: address.conversationId } as ConversationAccount,
    bot: address.bot as ChannelAccount,
    user: address.user as ChannelAccount,
    ...(address.activityId ? { activityId: address.activityId } : {}),
  };
}

/** The reply Activity; TurnContext adds channel, serviceUrl, conversation, from, recipient and replyToId. */
export function replyActivity(delivery: OutboundDelivery, address: BotFrameworkReplyAddress): Partial<Activity> {
  return {
    type: 'message',
    text: delivery.text,
    textFormat: 'plain',
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

function failureOf(error: unknown, tokens: TokenProvider | null): SendResult {
  if (error instanceof TokenUnavailable) return error.outcome;
  if (error instanceof ConnectorRequestFailed) {
    const { outcome } = error;
    if (outcome.status === 401) tokens?.invalidate();
    return {
      ok: false,
      retryable: outcome.retryable,
      error: outcome.error ?? 'delivery failed',
      ...(outcome.status === undefined ? {} : { status: outcome.status }),
      ...(outcome.retryAfterMs === undefined ? {} : { retryAfterMs: outcome.retryAfterMs }),
    };
  }
  // Every network and HTTP failure is classified above; what is left is the SDK refusing the call itself.
  return { ok: false, retryable: false, error: `Bot Framework SDK: ${error instanceof Error ? error.message : String(error)}` };
}

export function createBotFrameworkSender(config: BotFrameworkSenderConfig): ChannelSender & { sendTyping(replyAddress: string): Promise<SendResult> } {
  /** One Activity to the customer at `replyAddress`, in a turn the SDK's CloudAdapter opens on the stored address. */
  const post = async (replyAddress: string, activity: (address: BotFrameworkReplyAddress) => Partial<Activity>): Promise<SendResult> => {
    const address = decodeReplyAddress(replyAddress);
    if (!address) return { ok: false, retryable: false, error: 'not a Bot Framework reply address' };
    if (!isAllowedServiceUrl(address.serviceUrl, { authenticated: config.tokens !== null, channelServiceOrigin: config.channelServiceOrigin })) {
      return { ok: false, retryable: false, error: `serviceUrl not allowed: ${address.serviceUrl}` };
    }
    let vendorMessageId: string | undefined;
    try {
      await config.adapter.continueConversationAsync(config.appId ?? '', conversationReference(address), async (context) => {
        // The turn's continuation Activity has a fresh random id, which TurnContext would thread the reply under;
        // thread it under the customer's Activity instead (or post a new Activity when there is none).
        context.activity.id = address.activityId;
        vendorMessageId = (await context.sendActivity(activity(address)))?.id;
      });
    } catch (error) {
      return failureOf(error, config.tokens);
    }
    return vendorMessageId ? { ok: true, vendorMessageId } : { ok: true };
  };

  return {
    channel: BOT_FRAMEWORK_CHANNEL,
    send: (delivery: OutboundDelivery) => post(delivery.replyAddress, (address) => replyActivity(delivery, address)),
    /** A `typing` Activity: the channel shows "typing…" until the next message (or a few seconds). */
    sendTyping: (replyAddress: string) => post(replyAddress, () => ({ type: 'typing' })),
  };
}
