/**
 * One bounded HTTP POST to a receiver Ombuds does not control (a bank app's callback, a helpdesk webhook, a vendor
 * API), classified for retrying: 2xx delivered; 408, 425, 429 and 5xx retryable (with Retry-After honoured, in
 * seconds or as an HTTP date, capped); other 4xx permanent; network errors and timeouts retryable.
 */
export interface DeliveryOutcome {
  ok: boolean;
  retryable: boolean;
  status?: number;
  /** From Retry-After, when the receiver sent one. */
  retryAfterMs?: number;
  error?: string;
  /** The response body, cut to 2 KB (vendors put their message ids there). */
  body?: string;
}

const RETRYABLE_STATUSES = new Set([408, 425, 429]);
const MAX_RETRY_AFTER_MS = 6 * 60 * 60 * 1000;
const BODY_KEPT = 2048;

export function parseRetryAfter(value: string | null, now: Date): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - now.getTime();
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, Math.round(ms)));
}

export async function postForDelivery(
  url: string,
  options: { body: string; headers: Record<string, string>; timeoutMs: number; now?: () => Date },
): Promise<DeliveryOutcome> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      body: options.body,
      headers: options.headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    const reason = error instanceof Error ? (error.name === 'TimeoutError' ? `timed out after ${options.timeoutMs} ms` : error.message) : String(error);
    return { ok: false, retryable: true, error: reason };
  }
  const text = (await response.text().catch(() => '')).slice(0, BODY_KEPT);
  if (response.status >= 200 && response.status < 300) return { ok: true, retryable: false, status: response.status, body: text };
  const retryable = response.status >= 500 || RETRYABLE_STATUSES.has(response.status);
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), options.now?.() ?? new Date());
  return {
    ok: false,
    retryable,
    status: response.status,
    error: `HTTP ${response.status}`,
    body: text,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
}

/** Exponential backoff with full jitter, at least the receiver's Retry-After. */
export function retryDelayMs(attempt: number, options: { baseMs: number; maxMs: number; retryAfterMs?: number; random?: () => number }): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.round(ceiling / 2 + (options.random ?? Math.random)() * (ceiling / 2));
  return Math.max(jittered, options.retryAfterMs ?? 0);
}
