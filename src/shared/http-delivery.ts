/**
 * One bounded HTTP POST to a receiver Ombuds does not control (a bank app's callback, a helpdesk webhook, a vendor
 * API), classified for retrying: 2xx delivered; 408, 425, 429 and 5xx retryable (with Retry-After honoured, in
 * seconds or as an HTTP date, capped); other 4xx permanent; network errors and timeouts retryable. Redirects are
 * never followed (a 3xx is a permanent failure). With a guard (outbound-address-guard.ts) the POST goes only to
 * public addresses, resolved and checked once and connected to as checked; a refused destination is a permanent
 * failure whose error starts with OUTBOUND_ADDRESS_NOT_PUBLIC.
 *
 * Sent with node:http(s) rather than fetch: node:net's `lookup` hook is what lets the guard choose the address.
 */
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { ADDRESS_NOT_PUBLIC, isOutboundAddressNotPublic, type OutboundAddressGuard } from './outbound-address-guard.js';

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

export interface DeliveryOptions {
  body: string;
  headers: Record<string, string>;
  /** Limit of the whole exchange: connecting, sending and reading the answer. */
  timeoutMs: number;
  now?: () => Date;
  /** Send only to public addresses (URLs a bank registered); without it, the system resolver decides (vendor APIs). */
  guard?: OutboundAddressGuard;
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Bytes of the answer read before the rest is dropped (enough for BODY_KEPT characters of any UTF-8). */
const BYTES_READ = BODY_KEPT * 4;

class DeliveryTimedOut extends Error {}

function send(target: URL, options: DeliveryOptions): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    const payload = Buffer.from(options.body, 'utf8');
    const transport = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const protocol = target.protocol === 'https:' ? 'https:' : 'http:';
    let received: IncomingMessage | undefined;
    const outgoing = transport(
      target,
      {
        method: 'POST',
        headers: { ...options.headers, 'content-length': String(payload.length) },
        ...(options.guard ? { lookup: options.guard.lookup, agent: options.guard.agentFor(protocol) } : {}),
      },
      (response: IncomingMessage) => {
        received = response;
        const chunks: Buffer[] = [];
        let read = 0;
        let settled = false;
        // Whatever was read by the end, an early close or a broken body: the status is what counts.
        const finish = () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          const body = Buffer.concat(chunks).toString('utf8').slice(0, BODY_KEPT);
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body });
        };
        response.on('data', (chunk: Buffer) => {
          if (read < BYTES_READ) chunks.push(chunk);
          read += chunk.length;
          if (read >= BYTES_READ) response.destroy();
        });
        response.on('end', finish);
        response.on('close', finish);
        response.on('error', finish);
      },
    );
    // Once the status is in, running out of time only cuts the body short.
    const timer = setTimeout(() => (received ? received.destroy() : outgoing.destroy(new DeliveryTimedOut())), options.timeoutMs);
    outgoing.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    outgoing.end(payload);
  });
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

export async function postForDelivery(url: string, options: DeliveryOptions): Promise<DeliveryOutcome> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return { ok: false, retryable: false, error: 'not a valid URL' };
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return { ok: false, retryable: false, error: `not an http(s) URL (${target.protocol})` };
  const refused = options.guard?.refuseUrl(target);
  if (refused) return { ok: false, retryable: false, error: `${ADDRESS_NOT_PUBLIC}: ${refused}` };

  let answer: Answer;
  try {
    answer = await send(target, options);
  } catch (error) {
    if (isOutboundAddressNotPublic(error)) return { ok: false, retryable: false, error: `${error.code}: ${error.message}` };
    const reason = error instanceof DeliveryTimedOut ? `timed out after ${options.timeoutMs} ms` : error instanceof Error ? error.message : String(error);
    return { ok: false, retryable: true, error: reason };
  }
  const { status, body: text } = answer;
  if (status >= 200 && status < 300) return { ok: true, retryable: false, status, body: text };
  const retryable = status >= 500 || RETRYABLE_STATUSES.has(status);
  const retryAfterMs = parseRetryAfter(headerValue(answer.headers, 'retry-after'), options.now?.() ?? new Date());
  return {
    ok: false,
    retryable,
    status,
    error: `HTTP ${status}`,
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
