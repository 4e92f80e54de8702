/**
 * One call to Meta's Graph API (`POST <root>/<version>/<path>`, JSON, the access token as a bearer header so it is
 * never in a URL or a log) and its answer as a SendResult. The base URL and version are configuration, so tests
 * point them at a local fake.
 *
 * Graph answers errors as `{"error":{"message","type","code","error_subcode","fbtrace_id"}}`, mostly with HTTP 400
 * whatever the cause, so the error code decides (CHANNELS.md §4; Meta's error-code references):
 * - rate limits and transient faults are retried: 4 (app), 17 (user), 32 (page), 613 (hourly), 80007 (WhatsApp
 *   account), 130429 (Cloud API throughput), 131048 (spam rate limit), 131056 (pair rate limit), 1 and 2 (unknown /
 *   temporarily unavailable), 131000 (something went wrong), 131016 (service unavailable), 1200 (Messenger
 *   temporary send failure); with Retry-After honoured when Meta sends it;
 * - 131047 (WhatsApp) and 10 / 2018278 (Messenger) are the 24-hour customer-service window: permanent, and the error
 *   says so (the customer must write again, or the bank needs an approved template / message tag);
 * - any other error code is permanent; without a Graph error body, the HTTP status decides (429, 5xx, timeouts and
 *   network errors retried, other 4xx permanent).
 */
import { z } from 'zod';
import type { SendResult } from '../../contracts/handling.js';
import { postForDelivery, type DeliveryOutcome } from '../../shared/http-delivery.js';

export const DEFAULT_GRAPH_API_ROOT = 'https://graph.facebook.com';
export const DEFAULT_GRAPH_API_VERSION = 'v21.0';

export interface GraphApiConfig {
  /** META_GRAPH_API_ROOT, without a trailing slash. */
  apiRoot: string;
  /** META_GRAPH_API_VERSION (`v21.0`). */
  version: string;
  /** Bound on each call (OUTBOUND_TIMEOUT_MS). */
  timeoutMs: number;
  now?: () => Date;
}

/** A SendResult that is a failure. */
export type SendFailure = Extract<SendResult, { ok: false }>;

const RETRYABLE_CODES = new Set([1, 2, 4, 17, 32, 613, 1200, 80007, 130429, 131000, 131016, 131048, 131056]);
const WHATSAPP_WINDOW_CLOSED = 131047;
const MESSENGER_WINDOW = { code: 10, subcode: 2018278 } as const;

const GraphErrorBody = z.object({
  error: z.looseObject({
    message: z.string().optional(),
    type: z.string().optional(),
    code: z.number().int().optional(),
    error_subcode: z.number().int().optional(),
    error_data: z.looseObject({ details: z.string().optional() }).optional(),
  }),
});

function jsonOf(text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function failure(retryable: boolean, error: string, outcome: DeliveryOutcome): SendFailure {
  return {
    ok: false,
    retryable,
    error: error.slice(0, 500),
    ...(outcome.status === undefined ? {} : { status: outcome.status }),
    ...(outcome.retryAfterMs === undefined ? {} : { retryAfterMs: outcome.retryAfterMs }),
  };
}

/** A failed call's outcome as a SendResult, decided by Graph's error code where there is one. */
export function classifyGraphFailure(outcome: DeliveryOutcome, product: string): SendFailure {
  const parsed = GraphErrorBody.safeParse(jsonOf(outcome.body));
  if (!parsed.success) {
    const reason = outcome.status === undefined ? (outcome.error ?? 'request failed') : `HTTP ${String(outcome.status)}`;
    return failure(outcome.retryable, `Graph API (${product}): ${reason}`, outcome);
  }
  const { code, error_subcode: subcode, message, error_data: data } = parsed.data.error;
  const described = [message, data?.details].filter((part): part is string => part !== undefined && part !== '').join(': ');
  const label = `Graph API (${product}) error ${code === undefined ? '?' : String(code)}${subcode === undefined ? '' : `/${String(subcode)}`}${described ? `: ${described}` : ''}`;
  if (code === WHATSAPP_WINDOW_CLOSED) {
    return failure(false, `WhatsApp refused a free-form message outside the 24-hour customer-service window (the customer must write again, or an approved template is needed). ${label}`, outcome);
  }
  if (code === MESSENGER_WINDOW.code && subcode === MESSENGER_WINDOW.subcode) {
    return failure(false, `Messenger refused a message outside the 24-hour window (the customer must write again, or a message tag is needed). ${label}`, outcome);
  }
  if (code !== undefined && RETRYABLE_CODES.has(code)) return failure(true, label, outcome);
  return failure(code === undefined ? outcome.retryable : false, label, outcome);
}

/** POSTs `body` to `<root>/<version>/<path>`; the parsed JSON answer on 2xx, else the failure as a SendResult. */
export async function postToGraph(
  config: GraphApiConfig,
  options: { path: string; accessToken: string; body: unknown; product: string },
): Promise<{ ok: true; json: unknown } | SendFailure> {
  const url = `${config.apiRoot.replace(/\/+$/, '')}/${config.version}/${options.path}`;
  const outcome = await postForDelivery(url, {
    body: JSON.stringify(options.body),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${options.accessToken}` },
    timeoutMs: config.timeoutMs,
    ...(config.now ? { now: config.now } : {}),
  });
  if (outcome.ok) return { ok: true, json: jsonOf(outcome.body) };
  const result = classifyGraphFailure(outcome, options.product);
  // Graph does not echo tokens, but an error text must never carry one.
  return options.accessToken === '' ? result : { ...result, error: result.error.split(options.accessToken).join('<access-token>') };
}
