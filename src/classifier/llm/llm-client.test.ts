import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/index.js';
import { exampleClassificationAnswer, startFakeOpenAi, type FakeOpenAi, type FakeReply } from '../../../test/support/fake-openai.js';
import { createLlmClassifier, type LlmClientConfig } from './llm-client.js';
import type { LlmOutcome } from './llm-outcome.js';

const API_KEY = 'sk-test-key';
let fake: FakeOpenAi;
let outcomes: LlmOutcome[];

beforeEach(async () => {
  fake = await startFakeOpenAi({ apiKey: API_KEY });
  outcomes = [];
});

afterEach(async () => {
  await fake.close();
});

function client(overrides: Partial<LlmClientConfig> = {}) {
  return createLlmClassifier({
    apiKey: API_KEY,
    baseURL: fake.baseURL,
    model: 'gpt-4o-mini',
    timeoutMs: 5_000,
    maxConcurrency: 4,
    breaker: { failureThreshold: 100, cooldownMs: 30_000 },
    retryDelayMs: 0,
    onOutcome: (outcome) => outcomes.push(outcome),
    ...overrides,
  });
}

describe('createLlmClassifier against a fake OpenAI server', () => {
  it('sends a strict structured-output request and returns the parsed answer', async () => {
    fake.enqueue({ type: 'answer', body: exampleClassificationAnswer() });
    const result = await client().classify('my card [CARD ••••1111] was charged twice', 'en');

    expect(result).toEqual(exampleClassificationAnswer());
    expect(outcomes).toEqual(['ok']);
    expect(fake.requests).toHaveLength(1);
    const request = fake.requests[0]!;
    expect(request.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request.body.model).toBe('gpt-4o-mini');
    expect(request.body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'complaint_classification', strict: true } });
    expect(request.body.messages?.at(-1)?.content).toContain('[CARD ••••1111] was charged twice');
  });

  it.each<[string, FakeReply, LlmOutcome, number]>([
    ['429 twice', { type: 'rate_limited', retryAfterSeconds: 0 }, 'rate_limited', 2],
    ['500 twice', { type: 'server_error' }, 'server_error', 2],
    ['503 twice', { type: 'server_error', status: 503 }, 'server_error', 2],
    ['a refusal', { type: 'refusal' }, 'refusal', 1],
    ['invalid JSON content', { type: 'invalid_json' }, 'invalid_json', 1],
    ['JSON that breaks the schema', { type: 'schema_mismatch' }, 'schema_mismatch', 1],
    ['an unknown flag', { type: 'schema_mismatch', body: { ...exampleClassificationAnswer(), flags: [{ flag: 'angry', reason: 'x' }] } }, 'schema_mismatch', 1],
    ['a confidence above 1', { type: 'schema_mismatch', body: { ...exampleClassificationAnswer(), kind: { value: 'complaint', confidence: 1.5, reason: 'x' } } }, 'schema_mismatch', 1],
    ['a length cut-off', { type: 'length' }, 'length', 1],
  ])('answers null on %s, reports the outcome and sends the expected requests', async (_name, reply, outcome, requestCount) => {
    fake.setFallback(reply);
    await expect(client().classify('text', 'en')).resolves.toBeNull();
    expect(outcomes).toEqual([outcome]);
    expect(fake.requests).toHaveLength(requestCount);
  });

  it('retries a 500 exactly once and succeeds on the second attempt', async () => {
    fake.enqueue({ type: 'server_error' }, { type: 'answer', body: exampleClassificationAnswer() });
    await expect(client().classify('text', 'en')).resolves.toEqual(exampleClassificationAnswer());
    expect(fake.requests).toHaveLength(2);
    expect(outcomes).toEqual(['ok']);
  });

  it('does not wait for a retry-after longer than it allows', async () => {
    fake.enqueue({ type: 'rate_limited', retryAfterSeconds: 60 }, { type: 'answer', body: exampleClassificationAnswer() });
    const started = performance.now();
    await expect(client({ maxRetryDelayMs: 1_000 }).classify('text', 'en')).resolves.toBeNull();
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(fake.requests).toHaveLength(1);
    expect(outcomes).toEqual(['rate_limited']);
  });

  it('gives up on a hanging server within its deadline, without a retry', async () => {
    fake.setFallback({ type: 'hang' });
    const started = performance.now();
    await expect(client({ timeoutMs: 300 }).classify('text', 'en')).resolves.toBeNull();
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(2_000);
    expect(outcomes).toEqual(['timeout']);
    expect(fake.requests).toHaveLength(1);
  });

  it('reports a wrong API key as other, without a retry', async () => {
    fake.setFallback({ type: 'answer', body: exampleClassificationAnswer() });
    await expect(client({ apiKey: 'sk-wrong' }).classify('text', 'en')).resolves.toBeNull();
    expect(outcomes).toEqual(['other']);
    expect(fake.requests).toHaveLength(1);
  });

  it('reports an unreachable endpoint as other and never throws', async () => {
    const closed = await startFakeOpenAi();
    const baseURL = closed.baseURL;
    await closed.close();
    await expect(client({ baseURL }).classify('text', 'en')).resolves.toBeNull();
    expect(outcomes).toEqual(['other']);
  });

  it('survives an onOutcome callback that throws', async () => {
    fake.enqueue({ type: 'answer', body: exampleClassificationAnswer() });
    const llm = client({
      onOutcome: () => {
        throw new Error('metrics down');
      },
    });
    await expect(llm.classify('text', 'en')).resolves.toEqual(exampleClassificationAnswer());
  });

  it('opens the circuit after N failed calls, sends nothing while open, and closes after the cooldown', async () => {
    const clock = fixedClock(new Date('2026-01-01T00:00:00Z'));
    const llm = client({ breaker: { failureThreshold: 2, cooldownMs: 10_000 }, clock });
    fake.setFallback({ type: 'server_error' });

    await llm.classify('one', 'en');
    expect(llm.circuitState()).toBe('closed');
    await llm.classify('two', 'en');
    expect(llm.circuitState()).toBe('open');
    expect(fake.requests).toHaveLength(4);

    await expect(llm.classify('three', 'en')).resolves.toBeNull();
    clock.advance(9_999);
    await expect(llm.classify('four', 'en')).resolves.toBeNull();
    expect(fake.requests).toHaveLength(4);
    expect(outcomes).toEqual(['server_error', 'server_error', 'circuit_open', 'circuit_open']);

    clock.advance(1);
    expect(llm.circuitState()).toBe('half_open');
    fake.enqueue({ type: 'answer', body: exampleClassificationAnswer() });
    await expect(llm.classify('five', 'en')).resolves.toEqual(exampleClassificationAnswer());
    expect(llm.circuitState()).toBe('closed');
    expect(fake.requests).toHaveLength(5);
  });

  it('reopens the circuit when the half-open trial fails', async () => {
    const clock = fixedClock(new Date('2026-01-01T00:00:00Z'));
    const llm = client({ breaker: { failureThreshold: 1, cooldownMs: 1_000 }, clock });
    fake.setFallback({ type: 'invalid_json' });
    await llm.classify('one', 'en');
    expect(llm.circuitState()).toBe('open');
    clock.advance(1_000);
    await llm.classify('trial', 'en');
    expect(llm.circuitState()).toBe('open');
    await llm.classify('refused', 'en');
    expect(fake.requests).toHaveLength(2);
    expect(outcomes).toEqual(['invalid_json', 'invalid_json', 'circuit_open']);
  });

  it('does not let refusals or length cut-offs open the circuit', async () => {
    const llm = client({ breaker: { failureThreshold: 1, cooldownMs: 60_000 } });
    fake.enqueue({ type: 'refusal' }, { type: 'length' }, { type: 'answer', body: exampleClassificationAnswer() });
    await llm.classify('one', 'en');
    await llm.classify('two', 'en');
    await expect(llm.classify('three', 'en')).resolves.not.toBeNull();
    expect(outcomes).toEqual(['refusal', 'length', 'ok']);
  });

  it('keeps at most maxConcurrency requests in flight; the rest wait their turn', async () => {
    const llm = client({ maxConcurrency: 2 });
    fake.setFallback({ type: 'answer', body: exampleClassificationAnswer() });
    fake.hold();
    const calls = Array.from({ length: 5 }, (_, index) => llm.classify(`message ${index}`, 'en'));
    await expect.poll(() => fake.inFlight).toBe(2);
    expect(fake.requests).toHaveLength(2);
    fake.releaseHeld();
    const results = await Promise.all(calls);
    expect(results.every((result) => result !== null)).toBe(true);
    expect(fake.requests).toHaveLength(5);
    expect(fake.maxInFlight).toBe(2);
    expect(outcomes).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
  });

  it('times out a call still waiting for a slot without sending it', async () => {
    const llm = client({ maxConcurrency: 1, timeoutMs: 300 });
    fake.setFallback({ type: 'hang' });
    const results = await Promise.all([llm.classify('first', 'en'), llm.classify('second', 'en')]);
    expect(results).toEqual([null, null]);
    expect(fake.requests).toHaveLength(1);
    expect(outcomes).toEqual(['timeout', 'timeout']);
  });
});
