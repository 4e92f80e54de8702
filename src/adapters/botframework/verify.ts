/**
 * Proves an inbound Activity came from the Bot Framework channel service (Azure Bot Service, Direct Line, Web Chat,
 * Teams): the `Authorization: Bearer <JWT>` must be signed (RS256/384/512) by a key from the Bot Framework's OpenID
 * metadata, issued by `https://api.botframework.com`, addressed to our app id, within its lifetime (5 minutes'
 * skew), carry a `serviceurl` claim equal to the Activity's `serviceUrl` (so a captured token cannot steer our
 * replies elsewhere), and, when the key lists endorsements, be from a key that endorses the Activity's `channelId`.
 * These are the checks of botframework-connector's ChannelValidation / JwtTokenExtractor (CHANNELS.md §1).
 *
 * Without an app id verification is off: that is the Bot Framework Emulator's local mode, never production
 * (anyone could post Activities and pick the serviceUrl our replies go to).
 *
 * Emulator-, skill- and AAD-v2-issued tokens (other issuers) are refused: Ombuds is a root bot behind the channel
 * service; run the Emulator without an app id.
 */
import { z } from 'zod';
import type { RawWebhookRequest } from '../../contracts/channel-adapter.js';
import { SignatureInvalid } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { decodeJwt, hasValidSignature } from './jwt.js';
import type { OpenIdKeySource } from './openid-keys.js';

export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';
const CLOCK_SKEW_SECONDS = 5 * 60;
const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

/** Just what the token is checked against; the full Activity is validated by parse.ts. */
const ActivityBinding = z.looseObject({ serviceUrl: z.string().min(1), channelId: z.string().optional() });

export interface BotFrameworkVerifierConfig {
  /** MicrosoftAppId; undefined turns verification off (local Emulator mode). */
  appId: string | undefined;
  keys: OpenIdKeySource;
  clock: Clock;
}

function refuse(reason: string): never {
  throw new SignatureInvalid(`Bot Framework token refused: ${reason}.`);
}

function activityBinding(rawBody: Buffer): z.infer<typeof ActivityBinding> {
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8')) as unknown;
  } catch {
    return refuse('the body is not an Activity to check the token against');
  }
  const parsed = ActivityBinding.safeParse(body);
  return parsed.success ? parsed.data : refuse('the Activity has no serviceUrl to check the token against');
}

export function createBotFrameworkVerifier(config: BotFrameworkVerifierConfig): (request: RawWebhookRequest) => Promise<void> {
  return async (request) => {
    if (!config.appId) return;
    const header = request.headers.authorization;
    const token = header === undefined ? undefined : BEARER.exec(header)?.[1];
    if (!token) return refuse('no Authorization: Bearer token');
    const decoded = decodeJwt(token);
    if (!decoded) return refuse('not a signed JWT');
    const key = await config.keys.keyFor(decoded.header.kid);
    if (!key) return refuse('unknown signing key');
    if (!hasValidSignature(decoded, key)) return refuse('bad signature');

    const { claims } = decoded;
    if (claims.iss !== BOT_FRAMEWORK_ISSUER) return refuse('wrong issuer');
    const audiences = typeof claims.aud === 'string' ? [claims.aud] : claims.aud;
    if (!audiences.includes(config.appId)) return refuse('wrong audience');
    const now = config.clock.now().getTime() / 1000;
    if (claims.exp + CLOCK_SKEW_SECONDS <= now) return refuse('expired');
    if (claims.nbf !== undefined && claims.nbf - CLOCK_SKEW_SECONDS > now) return refuse('not yet valid');

    const activity = activityBinding(request.rawBody);
    if (claims.serviceurl !== activity.serviceUrl) return refuse('serviceurl claim does not match the Activity');
    if (key.endorsements && activity.channelId && !key.endorsements.includes(activity.channelId)) {
      return refuse(`signing key does not endorse channel "${activity.channelId}"`);
    }
  };
}
