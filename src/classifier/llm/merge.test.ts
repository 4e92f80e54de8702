import { describe, expect, it } from 'vitest';
import { Classification } from '../../contracts/index.js';
import { mergeLlmResult } from './merge.js';
import type { LlmResult } from './llm-schema.js';

function offline(overrides: Partial<Classification> = {}): Classification {
  return {
    language: 'en',
    kind: { value: 'complaint', source: 'rule', confidence: 0.8, reason: 'rule complaint_en_charged' },
    product: { value: 'cards', source: 'rule', confidence: 0.9, reason: 'rule product_cards_named' },
    issue: { value: 'other', source: 'default', confidence: 0, reason: 'no issue keyword matched' },
    sentiment: { value: 'neutral', source: 'rule', confidence: 0.4, reason: 'no strong feeling' },
    flags: [{ flag: 'legal_threat', source: 'rule', rule: 'legal_en', matched: ['lawyer'] }],
    urgency: { level: 'medium', score: 27, reasons: ["legal_threat (rule legal_en: 'lawyer') → medium"] },
    needsReview: true,
    ...overrides,
  };
}

function llm(overrides: Partial<LlmResult> = {}): LlmResult {
  return {
    kind: { value: 'inquiry', confidence: 0.9, reason: 'asks a question' },
    product: { value: 'loans', confidence: 0.9, reason: 'mentions a loan' },
    issue: { value: 'unauthorized_fraud', confidence: 0.85, reason: 'a payment they did not make' },
    sentiment: { value: 'negative', confidence: 0.9, reason: 'angry tone' },
    urgency: { value: 'low', confidence: 0.7, reason: 'nothing pressing' },
    flags: [],
    ...overrides,
  };
}

describe('mergeLlmResult', () => {
  it('keeps confident offline decisions and takes the LLM where the offline layer was unsure or silent', () => {
    const merged = mergeLlmResult(offline(), llm());
    expect(merged.kind).toEqual(offline().kind);
    expect(merged.product).toEqual(offline().product);
    expect(merged.issue).toEqual({ value: 'unauthorized_fraud', source: 'llm', confidence: 0.85, reason: 'llm: a payment they did not make' });
    expect(merged.sentiment).toMatchObject({ value: 'negative', source: 'llm', confidence: 0.9 });
    expect(() => Classification.parse(merged)).not.toThrow();
  });

  it('uses the confidence threshold it is given', () => {
    expect(mergeLlmResult(offline(), llm(), { confidenceThreshold: 0.95 }).product.source).toBe('llm');
    expect(mergeLlmResult(offline(), llm(), { confidenceThreshold: 0.3 }).sentiment.source).toBe('rule');
  });

  it('never overrides a value the channel or staff gave, however unsure', () => {
    const given = offline({
      product: { value: 'mortgages', source: 'channel', confidence: 0.1, reason: 'channel field' },
      kind: { value: 'complaint', source: 'staff', confidence: 0.2, reason: 'set by staff' },
    });
    const merged = mergeLlmResult(given, llm());
    expect(merged.product).toEqual(given.product);
    expect(merged.kind).toEqual(given.kind);
  });

  it('unions the flags, recording LLM-only flags with source llm and its reason', () => {
    const merged = mergeLlmResult(
      offline(),
      llm({ flags: [{ flag: 'legal_threat', reason: 'mentions a lawyer' }, { flag: 'media_threat', reason: "'post it on weibo'" }] }),
    );
    expect(merged.flags).toEqual([
      offline().flags[0],
      { flag: 'media_threat', source: 'llm', rule: 'llm', matched: ["'post it on weibo'"] },
    ]);
  });

  it('never lowers the offline urgency, and appends the LLM reason', () => {
    const merged = mergeLlmResult(offline(), llm({ urgency: { value: 'low', confidence: 0.9, reason: 'routine' } }));
    expect(merged.urgency.level).toBe('medium');
    expect(merged.urgency.score).toBe(27);
    expect(merged.urgency.reasons).toEqual([...offline().urgency.reasons, 'llm → low (routine)']);
  });

  it('raises urgency to the LLM level when higher', () => {
    const merged = mergeLlmResult(offline(), llm({ urgency: { value: 'critical', confidence: 0.9, reason: 'self-harm language' } }));
    expect(merged.urgency.level).toBe('critical');
    expect(merged.urgency.score).toBeGreaterThanOrEqual(75);
  });

  it('applies the TAXONOMY floor of a flag the LLM added, even when its own urgency is lower', () => {
    const merged = mergeLlmResult(offline(), llm({ flags: [{ flag: 'fraud', reason: 'payment never made' }] }));
    expect(merged.urgency.level).toBe('high');
    expect(merged.urgency.reasons).toContain('fraud (llm) → high');
  });

  it('does not apply medium floors of added flags to an inquiry', () => {
    const inquiry = offline({
      kind: { value: 'inquiry', source: 'rule', confidence: 0.9, reason: 'a question' },
      flags: [],
      urgency: { level: 'low', score: 0, reasons: [] },
    });
    const merged = mergeLlmResult(inquiry, llm({ flags: [{ flag: 'media_threat', reason: 'weibo' }] }));
    expect(merged.urgency.level).toBe('low');
  });

  it('clears needsReview only when every decided field is confident', () => {
    expect(mergeLlmResult(offline(), llm()).needsReview).toBe(false);
    expect(mergeLlmResult(offline(), llm({ issue: { value: 'other', confidence: 0.3, reason: 'unclear' } })).needsReview).toBe(true);
  });

  it('caps long LLM reasons to the contract limits', () => {
    const long = 'x'.repeat(2_000);
    const merged = mergeLlmResult(
      offline(),
      llm({ issue: { value: 'fees_interest', confidence: 0.9, reason: long }, urgency: { value: 'high', confidence: 0.9, reason: long }, flags: [{ flag: 'fraud', reason: long }] }),
    );
    expect(() => Classification.parse(merged)).not.toThrow();
  });

  it('does not change the offline classification it was given', () => {
    const before = offline();
    mergeLlmResult(before, llm({ flags: [{ flag: 'fraud', reason: 'x' }] }));
    expect(before).toEqual(offline());
  });
});
