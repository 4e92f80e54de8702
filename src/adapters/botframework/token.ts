/**
 * The bot's access token for the Bot Connector: OAuth 2.0 client credentials (app id + password) against Azure AD,
 * scope `https://api.botframework.com/.default` (CHANNELS.md §1, botframework-connector's MicrosoftAppCredentials).
 * Multi-tenant bots use the `botframework.com` tenant; single-tenant bots their own. The token is cached until five
 * minutes before it expires, one request at a time.
 *
 * Token-endpoint answers are classified like any delivery: 429/5xx/network retryable; 400/401 (wrong app id or
 * password) permanent, because retrying a wrong secret only fills the queue.
 */
import { z } from 'zod';
import type { Clock } from '../../shared/clock.js';
import { parseRetryAfter } from '../../shared/http-delivery.js';

export const BOT_FRAMEWORK_SCOPE = 'https://api.botframework.com/.default';
const REFRESH_MARGIN_MS = 5 * 60 * 1000;

export function defaultTokenEndpoint(tenantId: string | undefined): string {
  return `https://login.microsoftonline.com/${encodeURIComponent(tenantId ?? 'botframework.com')}/oauth2/v2.0/token`;
}

const TokenResponse = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().int().positive(),
});

export type TokenOutcome =
  | { ok: true; token: string }
  | { ok: false; retryable: boolean; error: string; status?: number; retryAfterMs?: number };

export interface ClientCredentialsConfig {
  appId: string;
  appPassword: string;
  tokenEndpoint: string;
  timeoutMs: number;
  clock: Clock;
}

export interface TokenProvider {
  token(): Promise<TokenOutcome>;
  /** Forgets the cached token (the connector refused it). */
  invalidate(): void;
}

function parseToken(body: string): z.infer<typeof TokenResponse> | null {
  try {
    const parsed = TokenResponse.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function createClientCredentialsTokenProvider(config: ClientCredentialsConfig): TokenProvider {
  let cached: { token: string; refreshAt: number } | null = null;
  let inFlight: Promise<TokenOutcome> | null = null;

  const fetchToken = async (): Promise<TokenOutcome> => {
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: config.appId,
      client_secret: config.appPassword,
      scope: BOT_FRAMEWORK_SCOPE,
    }).toString();
    let response: Response;
    try {
      response = await fetch(config.tokenEndpoint, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        redirect: 'manual',
        signal: AbortSignal.timeout(config.timeoutMs),
      });
    } catch (error) {
      return { ok: false, retryable: true, error: `token endpoint: ${error instanceof Error ? error.message : String(error)}` };
    }
    // Read whole: access tokens can pass the 2 KB that postForDelivery keeps of a body.
    const text = await response.text().catch(() => '');
    if (response.status < 200 || response.status >= 300) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), config.clock.now());
      return {
        ok: false,
        retryable: response.status === 408 || response.status === 429 || response.status >= 500,
        error: `token endpoint: HTTP ${response.status}`,
        status: response.status,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      };
    }
    const token = parseToken(text);
    if (!token) return { ok: false, retryable: true, error: 'token endpoint: answer without an access_token' };
    cached = { token: token.access_token, refreshAt: config.clock.now().getTime() + token.expires_in * 1000 - REFRESH_MARGIN_MS };
    return { ok: true, token: token.access_token };
  };

  return {
    token() {
      if (cached && config.clock.now().getTime() < cached.refreshAt) return Promise.resolve({ ok: true, token: cached.token });
      inFlight ??= fetchToken().finally(() => {
        inFlight = null;
      });
      return inFlight;
    },
    invalidate() {
      cached = null;
    },
  };
}
