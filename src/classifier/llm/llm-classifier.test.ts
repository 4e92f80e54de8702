import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exampleClassificationAnswer, startFakeOpenAi, type FakeOpenAi, type FakeReply } from '../../../test/support/fake-openai.js';
import { classifyWithRules, createRuleClassifier } from '../rule-classifier.js';
import { withLlm } from './llm-classifier.js';
import { createLlmClassifier } from './llm-client.js';
import type { LlmOutcome } from './llm-outcome.js';

const CARD = '4111 1111 1111 1111';
const PHONE = '+44 7700 900123';
const TEXT = `There is a payment on my credit card ${CARD} I never made, someone stole my money. Call me on ${PHONE}`;

let fake: FakeOpenAi;
let outcomes: LlmOutcome[];

beforeEach(async () => {
  fake = await startFakeOpenAi({ apiKey: 'sk-test' });
  outcomes = [];
});

afterEach(async () => {
  await fake.close();
});

function classifier() {
  const llm = createLlmClassifier({
    apiKey: 'sk-test',
    baseURL: fake.baseURL,
    model: 'gpt-4o-mini',
    timeoutMs: 500,
    maxConcurrency: 2,
    breaker: { failureThreshold: 100, cooldownMs: 30_000 },
    retryDelayMs: 0,
    onOutcome: (outcome) => outcomes.push(outcome),
  });
  return withLlm(createRuleClassifier(), llm);
}

describe('withLlm', () => {
  it('sends only redacted text and merges the answer into the offline result', async () => {
    fake.enqueue({ type: 'answer', body: exampleClassificationAnswer() });
    const offline = classifyWithRules({ text: TEXT });
    const result = await classifier().classify({ text: TEXT });

    const sent = fake.sentText();
    expect(sent).not.toContain(CARD);
    expect(sent).not.toContain('4111111111111111');
    expect(sent).not.toContain('7700 900123');
    expect(sent).toContain('[CARD ••••1111]');
    expect(sent).toContain('[PHONE]');

    expect(offline.flags.map((reason) => reason.flag)).not.toContain('fraud');
    expect(result.flags).toContainEqual({ flag: 'fraud', source: 'llm', rule: 'llm', matched: ["'I never made this payment'"] });
    expect(result.urgency.level).toBe('high');
    expect(result.issue).toMatchObject({ value: 'unauthorized_fraud', source: 'llm' });
    expect(result.product).toEqual(offline.product);
    expect(outcomes).toEqual(['ok']);
  });

  it.each<[string, FakeReply, LlmOutcome]>([
    ['429', { type: 'rate_limited' }, 'rate_limited'],
    ['500', { type: 'server_error' }, 'server_error'],
    ['a hang', { type: 'hang' }, 'timeout'],
    ['a refusal', { type: 'refusal' }, 'refusal'],
    ['invalid JSON', { type: 'invalid_json' }, 'invalid_json'],
    ['a schema mismatch', { type: 'schema_mismatch' }, 'schema_mismatch'],
    ['a length cut-off', { type: 'length' }, 'length'],
  ])('returns the offline result unchanged on %s', async (_name, reply, outcome) => {
    fake.setFallback(reply);
    const result = await classifier().classify({ text: TEXT });
    expect(result).toEqual(classifyWithRules({ text: TEXT }));
    expect(outcomes).toEqual([outcome]);
    expect(fake.sentText()).not.toContain(CARD);
  });

  it('does not call the LLM for a message without content', async () => {
    const result = await classifier().classify({ text: '   ' });
    expect(result).toEqual(classifyWithRules({ text: '   ' }));
    expect(fake.requests).toHaveLength(0);
    expect(outcomes).toEqual([]);
  });
});
