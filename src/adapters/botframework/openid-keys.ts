/**
 * The Bot Framework's signing keys: OpenID metadata (`…/.well-known/openidconfiguration`) → `jwks_uri` → JWKS, cached.
 *
 * Keys are kept for `cacheMs` (a day; the SDK keeps them five days). A token whose `kid` is unknown triggers one
 * refetch, at most every `minRefreshMs`, so keys rolled over by Microsoft are picked up while a flood of bad
 * tokens cannot make us hammer the metadata endpoint. When a refetch fails the cached keys are still used; with no
 * keys at all the request is answered 503 (retryable: the channel re-sends), not 401, because nothing is known to
 * be wrong with the token.
 */
import { z } from 'zod';
import { OmbudsError } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { RsaJwk } from './jwt.js';

/** The Bot Framework channel → bot OpenID metadata (AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl). */
export const BOT_FRAMEWORK_OPENID_METADATA_URL = 'https://login.botframework.com/v1/.well-known/openidconfiguration';

export class AuthMetadataUnavailable extends OmbudsError {
  constructor(cause?: unknown) {
    super('AUTH_METADATA_UNAVAILABLE', 'The Bot Framework signing keys cannot be fetched; retry later.', {
      httpStatus: 503,
      retryable: true,
      cause,
    });
  }
}

const OpenIdMetadata = z.looseObject({ jwks_uri: z.url({ protocol: /^https?$/ }) });
const Jwks = z.looseObject({ keys: z.array(z.unknown()) });

export interface OpenIdKeySourceOptions {
  metadataUrl: string;
  timeoutMs: number;
  clock: Clock;
  cacheMs?: number;
  minRefreshMs?: number;
}

export interface OpenIdKeySource {
  /** The RSA key with this id, or null when the current key set has none. Throws AuthMetadataUnavailable. */
  keyFor(kid: string): Promise<RsaJwk | null>;
}

async function fetchJson(url: string, timeoutMs: number): Promise<unknown> {
  const response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  return (await response.json()) as unknown;
}

async function fetchKeys(metadataUrl: string, timeoutMs: number): Promise<Map<string, RsaJwk>> {
  const metadata = OpenIdMetadata.parse(await fetchJson(metadataUrl, timeoutMs));
  const jwks = Jwks.parse(await fetchJson(metadata.jwks_uri, timeoutMs));
  const keys = new Map<string, RsaJwk>();
  for (const candidate of jwks.keys) {
    const key = RsaJwk.safeParse(candidate);
    if (key.success) keys.set(key.data.kid, key.data);
  }
  return keys;
}

export function createOpenIdKeySource(options: OpenIdKeySourceOptions): OpenIdKeySource {
  const cacheMs = options.cacheMs ?? 24 * 60 * 60 * 1000;
  const minRefreshMs = options.minRefreshMs ?? 5 * 60 * 1000;
  let keys: Map<string, RsaJwk> | null = null;
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let attemptedAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> | null = null;

  const refresh = (): Promise<void> => {
    inFlight ??= (async () => {
      attemptedAt = options.clock.now().getTime();
      try {
        keys = await fetchKeys(options.metadataUrl, options.timeoutMs);
        fetchedAt = options.clock.now().getTime();
      } catch (error) {
        if (!keys) throw new AuthMetadataUnavailable(error);
      } finally {
        inFlight = null;
      }
    })();
    return inFlight;
  };

  return {
    async keyFor(kid) {
      const now = options.clock.now().getTime();
      const stale = now - fetchedAt >= cacheMs;
      const unknown = !keys?.has(kid);
      // With no keys every request tries; otherwise refetches (stale set, unknown kid) are spaced out.
      if (!keys || ((stale || unknown) && now - attemptedAt >= minRefreshMs)) await refresh();
      return keys?.get(kid) ?? null;
    },
  };
}
