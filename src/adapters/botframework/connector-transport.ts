/**
 * The HTTP transport under botframework-connector's ConnectorClient (its `httpClient` option): each connector call
 * is one bounded POST through shared/http-delivery (timeout, no redirects followed), and every answer but a 2xx is
 * thrown as a ConnectorRequestFailed carrying the classified outcome (status, retryable, Retry-After) for send.ts.
 *
 * Why not the SDK's own transport: its pipeline (@azure/core-rest-pipeline) retries 5xx, 408 and network errors
 * three times with backoff, sleeps through a 429's Retry-After inside the delivery job, follows redirects, and has
 * no timeout. Retries belong to Ombuds' outbound queue (rows before jobs, Retry-After honoured between attempts,
 * failures visible on the complaint), so nothing here retries. The SDK's retry strategies let an error without a
 * system-error `code` and without a response pass through untouched, which is what ConnectorRequestFailed is.
 */
import type { ConnectorClientOptions } from 'botframework-connector';
import type { Clock } from '../../shared/clock.js';
import { postForDelivery, type DeliveryOutcome } from '../../shared/http-delivery.js';

/** The transport type botframework-connector accepts (a core-http `HttpClient`, i.e. a RequestPolicy). */
export type ConnectorHttpClient = NonNullable<ConnectorClientOptions['httpClient']>;

/** A connector call that did not get a 2xx: the outcome says whether and when to retry. */
export class ConnectorRequestFailed extends Error {
  readonly outcome: DeliveryOutcome;

  constructor(outcome: DeliveryOutcome) {
    super(outcome.error ?? 'connector request failed');
    this.name = 'ConnectorRequestFailed';
    this.outcome = outcome;
  }
}

/** The body for the SDK to deserialize: connector answers are JSON (`{"id": …}`); anything else is dropped, not a failure. */
function jsonBody(text: string | undefined): string {
  if (!text) return '';
  try {
    JSON.parse(text);
    return text;
  } catch {
    return '';
  }
}

export function createConnectorTransport(options: { timeoutMs: number; clock: Clock }): ConnectorHttpClient {
  return {
    async sendRequest(request) {
      // Replies and new Activities are the only connector calls Ombuds makes: both POST a JSON Activity.
      const body: unknown = request.body;
      if (request.method !== 'POST' || typeof body !== 'string') {
        throw new ConnectorRequestFailed({ ok: false, retryable: false, error: `unexpected connector call: ${request.method} ${request.url}` });
      }
      const outcome = await postForDelivery(request.url, {
        body,
        headers: request.headers.toJson(),
        timeoutMs: options.timeoutMs,
        now: () => options.clock.now(),
      });
      if (!outcome.ok) throw new ConnectorRequestFailed(outcome);
      // An empty header set of the SDK's own kind (it has no public constructor here): the body is JSON.
      const headers = request.headers.clone();
      for (const name of headers.headerNames()) headers.remove(name);
      headers.set('content-type', 'application/json');
      return { request, status: outcome.status ?? 200, headers, bodyAsText: jsonBody(outcome.body) };
    },
  };
}
