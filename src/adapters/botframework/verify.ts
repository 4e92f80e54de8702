/**
 * Proves an inbound Activity came from the Bot Framework channel service (Azure Bot Service, Direct Line, Web Chat,
 * Teams) with botframework-connector's `BotFrameworkAuthentication.authenticateRequest(activity, authHeader)`, the
 * call the SDK's CloudAdapter.process makes: the JWT must be signed (RS256/384/512) by a key from the channel's
 * OpenID metadata that endorses the Activity's `channelId`, issued by `https://api.botframework.com`, addressed to
 * our app id, within its lifetime (5 minutes' skew), with a `serviceurl` claim equal to the Activity's `serviceUrl`
 * (so a captured token cannot steer our replies elsewhere). Keys are cached by the SDK for a day, per metadata URL
 * and process; an unknown key id refetches them at most once an hour.
 *
 * Around the SDK call:
 * - Only channel tokens reach it. A token naming another issuer (Emulator, skill, ASE) is refused here: those paths
 *   bind no serviceUrl and would fetch Microsoft's AAD metadata on an unauthenticated request. The body must name
 *   the `serviceUrl` and `channelId` the token is checked against (the SDK skips the serviceUrl check without one).
 * - Its failures are mapped, never passed through: a bad token is a 401 SignatureInvalid with a short reason of
 *   ours (CloudAdapter.process answers a forged signature with 500); keys that cannot be fetched, or no answer within
 *   `timeoutMs` (the SDK's fetch has no timeout), are a 503 AuthMetadataUnavailable the channel retries.
 * - botframework-connector 4.23.3 adds issuers built from the unverified token's `tid` claim to a list shared by
 *   the process on every request (EmulatorValidation.isTokenFromEmulator); the list is trimmed back after each call
 *   so unauthenticated requests cannot grow it.
 *
 * Without an app id verification is off: the Bot Framework Emulator's local mode, never production (anyone could
 * post Activities and pick the serviceUrl our replies go to; send.ts then replies to loopback addresses only).
 */
import { ToBotFromBotOrEmulatorTokenValidationParameters, type BotFrameworkAuthentication } from 'botframework-connector';
import type { Activity } from 'botbuilder';
import { z } from 'zod';
import type { RawWebhookRequest } from '../../contracts/channel-adapter.js';
import { isOmbudsError, OmbudsError, SignatureInvalid } from '../../shared/errors.js';
import { BOT_FRAMEWORK_ISSUER } from './authentication.js';

export class AuthMetadataUnavailable extends OmbudsError {
  constructor(cause?: unknown) {
    super('AUTH_METADATA_UNAVAILABLE', 'The Bot Framework signing keys cannot be fetched; retry later.', {
      httpStatus: 503,
      retryable: true,
      cause,
    });
  }
}

export interface BotFrameworkVerifierConfig {
  /** MicrosoftAppId; undefined turns verification off (local Emulator mode). */
  appId: string | undefined;
  authentication: BotFrameworkAuthentication;
  /** Longest wait for the SDK (its metadata and key fetches have no timeout of their own). */
  timeoutMs: number;
}

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]*$/;
const UnverifiedClaims = z.looseObject({ iss: z.string() });

/** What the token is checked against; the full Activity is validated by parse.ts. */
const ActivityBinding = z.looseObject({ type: z.string().min(1), serviceUrl: z.string().min(1), channelId: z.string().min(1) });
/** The SDK's Activity type, for a body carrying what authenticateRequest reads (as CloudAdapter.process checks). */
const AuthenticatedActivity = z.custom<Activity>((value) => ActivityBinding.safeParse(value).success);

/** The SDK's refusals (messages of botframework-connector 4.23.3 and jsonwebtoken 9), in our words. */
const REASONS: readonly (readonly [RegExp, string])[] = [
  [/Invalid AppId passed on token/, 'wrong audience'],
  [/token has expired|jwt expired/, 'expired'],
  [/jwt not active/, 'not yet valid'],
  [/ServiceUrl claim do not match/, 'serviceurl claim does not match the Activity'],
  [/^invalid signature$/, 'bad signature'],
  [/Signing Key could not be retrieved/, 'unknown signing key'],
  [/Issuer Claim MUST be present/, 'wrong issuer'],
];
const JWT_ERRORS = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);

/** The list EmulatorValidation.isTokenFromEmulator appends to, and its length as shipped. */
const emulatorIssuers = ToBotFromBotOrEmulatorTokenValidationParameters.issuer;
const EMULATOR_ISSUERS_SHIPPED = Array.isArray(emulatorIssuers) ? emulatorIssuers.length : 0;

function trimEmulatorIssuers(): void {
  if (Array.isArray(emulatorIssuers) && emulatorIssuers.length > EMULATOR_ISSUERS_SHIPPED) emulatorIssuers.length = EMULATOR_ISSUERS_SHIPPED;
}

function refuse(reason: string): never {
  throw new SignatureInvalid(`Bot Framework token refused: ${reason}.`);
}

/** The `iss` claim, read without verifying anything (to route the token), or null when it is no compact JWT. */
function unverifiedIssuer(token: string): string | null {
  const payload = COMPACT_JWS.exec(token)?.[1];
  if (payload === undefined) return null;
  try {
    const claims = UnverifiedClaims.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
    return claims.success ? claims.data.iss : null;
  } catch {
    return null;
  }
}

function activityOf(rawBody: Buffer): Activity {
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8')) as unknown;
  } catch {
    return refuse('the body is not an Activity to check the token against');
  }
  const activity = AuthenticatedActivity.safeParse(body);
  return activity.success ? activity.data : refuse('the Activity has no serviceUrl and channelId to check the token against');
}

function statusCodeOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('statusCode' in error)) return undefined;
  return typeof error.statusCode === 'number' ? error.statusCode : undefined;
}

/** The SDK's failure as ours: 503 when the keys could not be had, 401 for everything about the token. */
function refusalOf(error: unknown, channelId: string): OmbudsError {
  if (isOmbudsError(error)) return error;
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : '';
  const status = statusCodeOf(error);
  // node-fetch's FetchError (network, bad JSON) or the SDK's "Failed to load openID config / Keys" (500).
  if (name === 'FetchError' || (status !== undefined && status >= 500)) return new AuthMetadataUnavailable(error);
  if (message.startsWith('Could not validate endorsement')) return new SignatureInvalid(`Bot Framework token refused: signing key does not endorse channel "${channelId}".`);
  const reason = REASONS.find(([pattern]) => pattern.test(message))?.[1];
  if (reason) return new SignatureInvalid(`Bot Framework token refused: ${reason}.`);
  // Anything else the SDK throws on a token it could not accept: nothing is proven, so nothing is let in.
  return new SignatureInvalid(`Bot Framework token refused: ${JWT_ERRORS.has(name) ? 'not a valid RS256/RS384/RS512 JWT' : 'not accepted'}.`);
}

async function withinTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new AuthMetadataUnavailable(new Error(`no answer within ${String(timeoutMs)} ms`)));
    }, timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
    // A check given up on still settles later (its fetch has no timeout): nothing waits for it.
    void work.catch(() => undefined);
  }
}

export function createBotFrameworkVerifier(config: BotFrameworkVerifierConfig): (request: RawWebhookRequest) => Promise<void> {
  return async (request) => {
    if (!config.appId) return;
    const header = request.headers.authorization;
    const token = header === undefined ? undefined : BEARER.exec(header)?.[1];
    if (!token) return refuse('no Authorization: Bearer token');
    const issuer = unverifiedIssuer(token);
    if (issuer === null) return refuse('not a signed JWT');
    if (issuer !== BOT_FRAMEWORK_ISSUER) return refuse('wrong issuer');
    const activity = activityOf(request.rawBody);
    try {
      // The scheme is case-insensitive (RFC 7235); the SDK expects exactly "Bearer <token>".
      await withinTimeout(config.authentication.authenticateRequest(activity, `Bearer ${token}`), config.timeoutMs);
    } catch (error) {
      throw refusalOf(error, activity.channelId);
    } finally {
      trimEmulatorIssuers();
    }
  };
}
