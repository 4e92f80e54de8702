/**
 * The Official Account's access token for the server API, from the stable-token endpoint
 * (`POST /cgi-bin/stable_token` with the appid and AppSecret in the body, never in a URL):
 * - kept in memory until shortly before `expires_in` (5 minutes, or half the lifetime if shorter), one fetch at a
 *   time however many sends wait for it;
 * - the stable token is the same for every caller while it is valid, so any number of `ombuds serve` / `ombuds work`
 *   processes share it without invalidating each other (the classic `GET /cgi-bin/token` hands out a new token per
 *   call and retires the previous one after five minutes, which breaks a multi-process deployment);
 * - when WeChat rejects a token (errcode 40001, 40014, 42001) the sender asks once for a fresh one: the endpoint is
 *   asked normally first (another process may already have renewed it) and with `force_refresh` only if it hands
 *   back the very token that was rejected.
 */
import type { Clock } from '../../shared/clock.js';
import { postWeChatApi, type WeChatApiOutcome } from './api-client.js';

export type AccessTokenResult =
  | { ok: true; token: string }
  | { ok: false; retryable: boolean; error: string; status?: number; retryAfterMs?: number };

export interface WeChatAccessTokens {
  /** A token believed valid (cached, or fetched now). */
  current(): Promise<AccessTokenResult>;
  /** A token other than `rejected`, which WeChat just refused. */
  refresh(rejected: string): Promise<AccessTokenResult>;
}

export interface WeChatAccessTokenConfig {
  apiRoot: string;
  appId: string;
  appSecret: string;
  timeoutMs: number;
  clock: Clock;
}

const MAX_MARGIN_SECONDS = 300;
/** errcodes of the token endpoint worth another try: system busy, quota per day / minute. */
const RETRYABLE_ERRCODES = new Set([-1, 45009, 45011]);
const ACCESS_TOKEN = /^[\x21-\x7e]{1,1024}$/;

function failure(outcome: Exclude<WeChatApiOutcome, { kind: 'ok' }>): AccessTokenResult {
  switch (outcome.kind) {
    case 'errcode':
      return {
        ok: false,
        retryable: RETRYABLE_ERRCODES.has(outcome.errcode),
        error: `WeChat stable_token refused: errcode ${outcome.errcode} ${outcome.errmsg}`.trim(),
      };
    case 'http':
      return {
        ok: false,
        retryable: outcome.status >= 500 || outcome.status === 429 || outcome.status === 408,
        error: `WeChat stable_token answered HTTP ${outcome.status}`,
        status: outcome.status,
        ...(outcome.retryAfterMs === undefined ? {} : { retryAfterMs: outcome.retryAfterMs }),
      };
    case 'unreachable':
      return { ok: false, retryable: true, error: `WeChat stable_token failed: ${outcome.error}` };
  }
}

export function createWeChatAccessTokens(config: WeChatAccessTokenConfig): WeChatAccessTokens {
  const url = `${config.apiRoot.replace(/\/+$/, '')}/cgi-bin/stable_token`;
  let cached: { token: string; renewAt: number } | null = null;
  let inflight: Promise<AccessTokenResult> | null = null;

  const fetchToken = async (forceRefresh: boolean): Promise<AccessTokenResult> => {
    const outcome = await postWeChatApi(
      url,
      { grant_type: 'client_credential', appid: config.appId, secret: config.appSecret, force_refresh: forceRefresh },
      { timeoutMs: config.timeoutMs, now: () => config.clock.now() },
    );
    if (outcome.kind !== 'ok') return failure(outcome);
    const token = outcome.body.access_token;
    const expiresIn = outcome.body.expires_in;
    if (typeof token !== 'string' || !ACCESS_TOKEN.test(token) || typeof expiresIn !== 'number' || !(expiresIn > 0)) {
      return { ok: false, retryable: true, error: 'WeChat stable_token answered without an access_token and expires_in' };
    }
    const margin = Math.min(MAX_MARGIN_SECONDS, expiresIn / 2);
    cached = { token, renewAt: config.clock.now().getTime() + (expiresIn - margin) * 1000 };
    return { ok: true, token };
  };

  /** One fetch at a time: concurrent callers share it. */
  const singleFlight = (run: () => Promise<AccessTokenResult>): Promise<AccessTokenResult> => {
    inflight ??= run().finally(() => {
      inflight = null;
    });
    return inflight;
  };

  return {
    current() {
      if (cached && config.clock.now().getTime() < cached.renewAt) return Promise.resolve({ ok: true, token: cached.token });
      return singleFlight(() => fetchToken(false));
    },
    refresh(rejected) {
      if (cached && cached.token !== rejected && config.clock.now().getTime() < cached.renewAt) {
        return Promise.resolve({ ok: true, token: cached.token });
      }
      return singleFlight(async () => {
        if (cached?.token === rejected) cached = null;
        const fresh = await fetchToken(false);
        return fresh.ok && fresh.token === rejected ? fetchToken(true) : fresh;
      });
    },
  };
}
