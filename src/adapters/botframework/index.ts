/**
 * The Bot Framework channel (Azure Bot Service: Web Chat, Direct Line, Teams, the Emulator): the channel POSTs one
 * Activity per request to `POST /api/messages`; verify.ts checks its JWT, parse.ts/normalize.ts turn a `message`
 * into an InboundMessage, send.ts replies through the channel's Bot Connector.
 *
 * Built on the Bot Framework SDK (botbuilder 4.23.3 and its botframework-connector), which is end-of-life upstream
 * (support ended 2025-12-31; successor: the Microsoft 365 Agents SDK, same Activity protocol): token checks are the
 * SDK's BotFrameworkAuthentication, replies go through its CloudAdapter and ConnectorClient. This folder is the only
 * place that imports it (a dependency-cruiser rule), so the SDK can be swapped without touching anything else
 * (docs/decisions/0011). Every vendor URL is an option so tests run against local fakes.
 */
import { CloudAdapter } from 'botbuilder';
import type { ChannelAdapter, ChannelCapabilities } from '../../contracts/channel-adapter.js';
import { systemClock, type Clock } from '../../shared/clock.js';
import { ConfigInvalid } from '../../shared/errors.js';
import { createBotFrameworkAuthentication } from './authentication.js';
import { createConnectorTransport } from './connector-transport.js';
import { BotCredentialsFactory } from './credentials.js';
import { BOT_FRAMEWORK_CHANNEL } from './normalize.js';
import { parseBotFrameworkActivity } from './parse.js';
import { createBotFrameworkSender } from './send.js';
import { createClientCredentialsTokenProvider, defaultTokenEndpoint } from './token.js';
import { createBotFrameworkVerifier } from './verify.js';

export { BOT_FRAMEWORK_CHANNEL, boundedKey, valueAsText } from './normalize.js';
export { parseBotFrameworkActivity } from './parse.js';
export { BOT_FRAMEWORK_ISSUER, BOT_FRAMEWORK_OPENID_METADATA_URL } from './authentication.js';
export { AuthMetadataUnavailable } from './verify.js';
export { BOT_FRAMEWORK_SCOPE, defaultTokenEndpoint } from './token.js';
export { isAllowedServiceUrl } from './send.js';
export { decodeReplyAddress, encodeReplyAddress, type BotFrameworkReplyAddress } from './reply-address.js';

export interface BotFrameworkAdapterConfig {
  /** MicrosoftAppId. Unset: Emulator mode, no token checked on the way in or sent on the way out (local only). */
  appId?: string | undefined;
  /** MicrosoftAppPassword (client secret); needed to reply when `appId` is set. */
  appPassword?: string | undefined;
  /** MicrosoftAppTenantId for single-tenant bots; multi-tenant bots use `botframework.com`. */
  tenantId?: string | undefined;
  /** Channel → bot OpenID metadata; default https://login.botframework.com/v1/.well-known/openidconfiguration. */
  openIdMetadataUrl?: string | undefined;
  /** Azure AD token endpoint; default https://login.microsoftonline.com/{tenantId|botframework.com}/oauth2/v2.0/token. */
  tokenEndpoint?: string | undefined;
  /** One serviceUrl origin admitted besides https ones (tests' fake connector, a private gateway): see send.ts. */
  channelServiceOrigin?: string | undefined;
  /** Timeout of each outbound request (token, reply) and of a token check (metadata and keys). */
  timeoutMs: number;
  clock?: Clock;
}

export const BOT_FRAMEWORK_CAPABILITIES: ChannelCapabilities = {
  quickReplies: true,
  typing: true,
  // Teams caps a message at about 28 KB of text (unconfirmed for other channels). Nothing splits longer replies yet:
  // send.ts sends each delivery as one Activity.
  maxTextLength: 28_000,
  deliveryReceipts: false,
  dialog: true,
  reachableLater: true,
};

/** The adapter; its sender also shows "typing…" (a `typing` Activity). */
export interface BotFrameworkChannelAdapter extends ChannelAdapter {
  readonly sender: ReturnType<typeof createBotFrameworkSender>;
}

export function createBotFrameworkAdapter(config: BotFrameworkAdapterConfig): BotFrameworkChannelAdapter {
  const clock = config.clock ?? systemClock;
  const appId = config.appId?.trim() ? config.appId.trim() : undefined;
  if (appId && !config.appPassword) {
    throw new ConfigInvalid('Bot Framework: an app id needs its app password (client secret) to reply; set both or neither.', [
      { path: 'appPassword', message: 'required when appId is set' },
    ]);
  }
  const tokens =
    appId && config.appPassword
      ? createClientCredentialsTokenProvider({
          appId,
          appPassword: config.appPassword,
          tokenEndpoint: config.tokenEndpoint ?? defaultTokenEndpoint(config.tenantId),
          timeoutMs: config.timeoutMs,
          clock,
        })
      : null;
  const authentication = createBotFrameworkAuthentication({
    tenantId: config.tenantId,
    openIdMetadataUrl: config.openIdMetadataUrl,
    credentials: new BotCredentialsFactory(appId, tokens),
    transport: createConnectorTransport({ timeoutMs: config.timeoutMs, clock }),
  });
  return {
    channel: BOT_FRAMEWORK_CHANNEL,
    capabilities: BOT_FRAMEWORK_CAPABILITIES,
    verify: createBotFrameworkVerifier({ appId, authentication, timeoutMs: config.timeoutMs }),
    parse: (request, receivedAt) => parseBotFrameworkActivity(request.rawBody, receivedAt),
    sender: createBotFrameworkSender({
      adapter: new CloudAdapter(authentication),
      appId,
      tokens,
      channelServiceOrigin: config.channelServiceOrigin,
    }),
  };
}
