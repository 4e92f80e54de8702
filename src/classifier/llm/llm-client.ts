/**
 * The LLM client: one structured-output call per message to any OpenAI-compatible endpoint (OpenAI, Azure's v1
 * API, vLLM, Ollama) through the openai SDK's `chat.completions.parse` with a zod response format. It never throws:
 * every failure resolves to null and is reported once through `onOutcome`.
 *
 * Protections, in order: the circuit breaker (open → fail fast, no request), the concurrency semaphore (callers
 * beyond the limit wait in line), then at most two attempts. One deadline of `timeoutMs` covers the whole call —
 * waiting for a slot, both attempts and the pause between them — so a classification never waits longer than that.
 * Only 429, 5xx and lost connections are retried, once, after `retry-after` when the server gives one no longer
 * than `maxRetryDelayMs` (otherwise not at all). The SDK's own retries are off so there is exactly one retry.
 */
import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import type { Language } from '../../contracts/index.js';
import type { Clock } from '../../shared/index.js';
import { createCircuitBreaker, type CircuitState } from './circuit-breaker.js';
import { buildClassificationMessages } from './llm-prompt.js';
import { countsAsEndpointFailure, isRetryable, outcomeOfError, retryAfterMs, type LlmFailure, type LlmOutcome } from './llm-outcome.js';
import { LLM_RESPONSE_FORMAT_NAME, LlmAnswer, type LlmResult } from './llm-schema.js';
import { createSemaphore } from './semaphore.js';

/** Sent as the bearer token when no key is configured (keyless local servers such as Ollama or vLLM). */
const KEYLESS_PLACEHOLDER = 'ombuds-no-key';
const OPENAI_BASE_URL = 'https://api.openai.com/v1';
const DEFAULT_RETRY_DELAY_MS = 200;
const DEFAULT_MAX_RETRY_DELAY_MS = 2_000;
const MAX_COMPLETION_TOKENS = 1_000;

export interface LlmClientConfig {
  /** The API key; omit for a keyless OpenAI-compatible server. */
  apiKey?: string;
  /** An OpenAI-compatible base URL ending in /v1 (vLLM, Ollama, Azure's /openai/v1); OpenAI's when omitted. */
  baseURL?: string;
  model: string;
  /** Deadline for the whole call: waiting for a slot, both attempts and the pause between them. */
  timeoutMs: number;
  /** Calls in flight at once; more wait in line (within their deadline). */
  maxConcurrency: number;
  breaker: { failureThreshold: number; cooldownMs: number };
  /** Pause before the retry when the server names none (default 200 ms). */
  retryDelayMs?: number;
  /** A `retry-after` longer than this is not waited for: the call fails at once (default 2 s). */
  maxRetryDelayMs?: number;
  clock?: Clock;
  /** Called once per call with what became of it (count it in metrics). Must not throw; errors are ignored. */
  onOutcome?: (outcome: LlmOutcome) => void;
}

export interface LlmClient {
  /** The LLM's reading of an already-redacted text, or null on any failure (never throws). */
  classify(redactedText: string, language: Language): Promise<LlmResult | null>;
  /** The breaker's state now (for a gauge). */
  circuitState(): CircuitState;
}

type AttemptResult = { outcome: 'ok'; result: LlmResult } | { outcome: LlmFailure; error?: unknown };

function sleep(milliseconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, milliseconds);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export function createLlmClassifier(config: LlmClientConfig): LlmClient {
  const client = new OpenAI({
    // Passed explicitly so the SDK does not read the environment itself (src/config is the only reader).
    apiKey: config.apiKey ?? KEYLESS_PLACEHOLDER,
    baseURL: config.baseURL ?? OPENAI_BASE_URL,
    organization: null,
    project: null,
    webhookSecret: null,
    maxRetries: 0,
    timeout: config.timeoutMs,
    logLevel: 'off',
  });
  const breaker = createCircuitBreaker({ ...config.breaker, ...(config.clock ? { clock: config.clock } : {}) });
  const semaphore = createSemaphore(config.maxConcurrency);
  const responseFormat = zodResponseFormat(LlmAnswer, LLM_RESPONSE_FORMAT_NAME);
  const retryDelayMs = config.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
  const maxRetryDelayMs = config.maxRetryDelayMs ?? DEFAULT_MAX_RETRY_DELAY_MS;

  const report = (outcome: LlmOutcome) => {
    try {
      config.onOutcome?.(outcome);
    } catch {
      // A metrics callback must never turn a classification into a failure.
    }
  };

  async function attempt(redactedText: string, language: Language, signal: AbortSignal): Promise<AttemptResult> {
    try {
      const completion = await client.chat.completions.parse(
        {
          model: config.model,
          messages: buildClassificationMessages(redactedText, language),
          response_format: responseFormat,
          temperature: 0,
          max_completion_tokens: MAX_COMPLETION_TOKENS,
        },
        { signal },
      );
      const message = completion.choices[0]?.message;
      if (!message) return { outcome: 'invalid_json' };
      if (message.refusal) return { outcome: 'refusal' };
      if (message.parsed === null) return { outcome: 'invalid_json' };
      return { outcome: 'ok', result: message.parsed };
    } catch (error) {
      return { outcome: outcomeOfError(error, signal.aborted), error };
    }
  }

  async function run(redactedText: string, language: Language, signal: AbortSignal): Promise<AttemptResult> {
    const first = await attempt(redactedText, language, signal);
    if (first.outcome === 'ok' || !isRetryable(first.outcome, first.error) || signal.aborted) return first;
    const asked = retryAfterMs(first.error);
    if (asked !== undefined && asked > maxRetryDelayMs) return first;
    try {
      await sleep(asked ?? retryDelayMs, signal);
    } catch {
      return { outcome: 'timeout' };
    }
    return attempt(redactedText, language, signal);
  }

  async function classify(redactedText: string, language: Language): Promise<LlmResult | null> {
    if (!breaker.tryAcquire()) {
      report('circuit_open');
      return null;
    }
    const deadline = new AbortController();
    const timer = setTimeout(() => {
      deadline.abort(new Error(`LLM call exceeded ${config.timeoutMs} ms`));
    }, config.timeoutMs);
    let release: (() => void) | undefined;
    try {
      try {
        release = await semaphore.acquire(deadline.signal);
      } catch {
        // The deadline passed while waiting in line: nothing was sent, so the endpoint's health is unknown.
        breaker.recordNeutral();
        report('timeout');
        return null;
      }
      const result = await run(redactedText, language, deadline.signal);
      if (countsAsEndpointFailure(result.outcome)) breaker.recordFailure();
      else breaker.recordSuccess();
      report(result.outcome);
      return result.outcome === 'ok' ? result.result : null;
    } catch {
      breaker.recordFailure();
      report('other');
      return null;
    } finally {
      clearTimeout(timer);
      release?.();
    }
  }

  return { classify, circuitState: () => breaker.state() };
}
