/**
 * One bounded JSON POST to the WeChat server API (`https://api.weixin.qq.com/cgi-bin/…`, or a configured base URL),
 * read the way WeChat answers: HTTP 200 with `{"errcode":0,…}` on success and `{"errcode":N,"errmsg":…}` on failure;
 * a non-2xx status only comes from a gateway or proxy in front of it. Never throws.
 */
import { parseRetryAfter } from '../../shared/http-delivery.js';

export type WeChatApiOutcome =
  /** HTTP 2xx with `errcode` 0 or absent: the answer's fields. */
  | { kind: 'ok'; body: Record<string, unknown> }
  /** HTTP 2xx with a non-zero `errcode`. */
  | { kind: 'errcode'; errcode: number; errmsg: string }
  /** A non-2xx status (a gateway): retry on 429/5xx. */
  | { kind: 'http'; status: number; retryAfterMs?: number }
  /** No usable answer: network error, timeout, or a body that is not WeChat's JSON. */
  | { kind: 'unreachable'; error: string };

const ERRMSG_KEPT = 200;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export async function postWeChatApi(url: string, body: unknown, options: { timeoutMs: number; now: () => Date }): Promise<WeChatApiOutcome> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json; charset=utf-8' },
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    // The URL carries the access token: report the error's kind, never its text.
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    const cause = error instanceof Error && isRecord(error.cause) && typeof error.cause.code === 'string' ? ` (${error.cause.code})` : '';
    return { kind: 'unreachable', error: timedOut ? `timed out after ${options.timeoutMs} ms` : `network error${cause}` };
  }
  const text = await response.text().catch(() => '');
  if (response.status < 200 || response.status >= 300) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), options.now());
    return { kind: 'http', status: response.status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  }
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    return { kind: 'unreachable', error: `HTTP ${response.status} with a body that is not JSON` };
  }
  if (!isRecord(json)) return { kind: 'unreachable', error: `HTTP ${response.status} with a body that is not a JSON object` };
  const errcode = json.errcode;
  if (errcode === undefined || errcode === 0) return { kind: 'ok', body: json };
  const errmsg = typeof json.errmsg === 'string' ? json.errmsg.slice(0, ERRMSG_KEPT) : '';
  return typeof errcode === 'number' && Number.isInteger(errcode)
    ? { kind: 'errcode', errcode, errmsg }
    : { kind: 'unreachable', error: 'an errcode that is not a number' };
}
