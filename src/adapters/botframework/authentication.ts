/**
 * botframework-connector's BotFrameworkAuthentication for Ombuds' configuration: the public Azure cloud's settings
 * (the SDK's AuthenticationConstants) with the channel's OpenID metadata URL configurable (tests: the local fake),
 * the bot's credentials (credentials.ts) and the connector transport (connector-transport.ts). One object serves
 * both directions, as in the SDK's CloudAdapter: `authenticateRequest` checks inbound channel tokens (verify.ts) and
 * its ConnectorFactory builds the ConnectorClient replies go through (send.ts).
 */
import {
  AuthenticationConfiguration,
  AuthenticationConstants,
  BotFrameworkAuthenticationFactory,
  type BotFrameworkAuthentication,
  type ServiceClientCredentialsFactory,
} from 'botframework-connector';
import { CallerIdConstants } from 'botbuilder';
import type { ConnectorHttpClient } from './connector-transport.js';

/** Channel → bot OpenID metadata (AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl). */
export const BOT_FRAMEWORK_OPENID_METADATA_URL: string = AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl;
/** The issuer of channel tokens (AuthenticationConstants.ToBotFromChannelTokenIssuer). */
export const BOT_FRAMEWORK_ISSUER: string = AuthenticationConstants.ToBotFromChannelTokenIssuer;

export interface BotFrameworkAuthenticationOptions {
  /** MicrosoftAppTenantId for single-tenant bots (the login URL the SDK hands the credentials factory). */
  tenantId?: string | undefined;
  /** Channel → bot OpenID metadata; default {@link BOT_FRAMEWORK_OPENID_METADATA_URL}. */
  openIdMetadataUrl?: string | undefined;
  credentials: ServiceClientCredentialsFactory;
  transport: ConnectorHttpClient;
}

export function createBotFrameworkAuthentication(options: BotFrameworkAuthenticationOptions): BotFrameworkAuthentication {
  const metadataUrl = options.openIdMetadataUrl ?? BOT_FRAMEWORK_OPENID_METADATA_URL;
  return BotFrameworkAuthenticationFactory.create(
    '', // channel service: the public cloud
    true, // validateAuthority (used by the SDK's MSAL credentials only; ours ignore it)
    `${AuthenticationConstants.ToChannelFromBotLoginUrlPrefix}${options.tenantId ?? AuthenticationConstants.DefaultChannelAuthTenant}`,
    AuthenticationConstants.ToChannelFromBotOAuthScope,
    BOT_FRAMEWORK_ISSUER,
    AuthenticationConstants.OAuthUrl,
    metadataUrl,
    // Emulator- and skill-issued tokens are refused before the SDK sees them (verify.ts); were one to get through,
    // it would be checked against the configured keys, never fetched from Microsoft on an unauthenticated request.
    metadataUrl,
    CallerIdConstants.PublicAzureChannel,
    options.credentials,
    new AuthenticationConfiguration(),
    undefined,
    { httpClient: options.transport },
  );
}
