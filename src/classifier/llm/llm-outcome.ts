/**
 * What became of one LLM call, named for metrics, and how an error thrown by the openai SDK (or by parsing its
 * answer) maps to it. Which outcomes count against the circuit breaker and which are worth one retry is decided here.
 */
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  ContentFilterFinishReasonError,
  LengthFinishReasonError,
} from 'openai/error';
import { z } from 'zod';

export const LLM_OUTCOMES = [
  'ok',
  'rate_limited',
  'server_error',
  'timeout',
  'refusal',
  'invalid_json',
  'schema_mismatch',
  'length',
  'circuit_open',
  'other',
] as const;

/** One LLM call's outcome: `ok`, or why the offline result was kept. */
export type LlmOutcome = (typeof LLM_OUTCOMES)[number];
/** Every outcome but `ok`. */
export type LlmFailure = Exclude<LlmOutcome, 'ok'>;

/** Outcomes that say the endpoint is unhealthy (they open the breaker); refusal and length are about one message. */
export function countsAsEndpointFailure(outcome: LlmOutcome): boolean {
  return outcome !== 'ok' && outcome !== 'refusal' && outcome !== 'length' && outcome !== 'circuit_open';
}

/**
 * Whether a second attempt may fix a failure: 429, 5xx and lost connections. A timeout is not retried (the deadline
 * covers the whole call), nor are other 4xx answers (a wrong key or model stays wrong) or answers the model gave.
 */
export function isRetryable(outcome: LlmFailure, error: unknown): boolean {
  if (outcome === 'rate_limited' || outcome === 'server_error') return true;
  return outcome === 'other' && error instanceof APIConnectionError;
}

/** Maps what an SDK call threw to an outcome; `deadlinePassed` tells our own abort apart from other aborts. */
export function outcomeOfError(error: unknown, deadlinePassed: boolean): LlmFailure {
  if (error instanceof APIConnectionTimeoutError) return 'timeout';
  if (error instanceof APIUserAbortError) return deadlinePassed ? 'timeout' : 'other';
  if (error instanceof APIConnectionError) return deadlinePassed ? 'timeout' : 'other';
  if (error instanceof APIError) {
    if (error.status === 429) return 'rate_limited';
    if (typeof error.status === 'number' && error.status >= 500) return 'server_error';
    return 'other';
  }
  if (error instanceof LengthFinishReasonError) return 'length';
  if (error instanceof ContentFilterFinishReasonError) return 'refusal';
  if (error instanceof SyntaxError) return 'invalid_json';
  if (error instanceof z.ZodError) return 'schema_mismatch';
  if (deadlinePassed) return 'timeout';
  return 'other';
}

/** The delay a 429 or 503 asked for (`retry-after-ms` or `retry-after` in seconds), in ms, if any. */
export function retryAfterMs(error: unknown): number | undefined {
  if (!(error instanceof APIError)) return undefined;
  const headers: unknown = error.headers;
  if (!(headers instanceof Headers)) return undefined;
  const milliseconds = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(milliseconds)) return Math.max(0, milliseconds);
  const seconds = Number.parseFloat(headers.get('retry-after') ?? '');
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  return undefined;
}
