/** The committed local model loads fast, predicts every field in both languages, and never throws on bad input. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Issue, Kind, Product, Sentiment } from '../contracts/index.js';
import { loadLocalModel } from './local-model.js';

const modelText = readFileSync(new URL('model/model.json', import.meta.url), 'utf8');

describe('the local model', () => {
  const started = performance.now();
  const model = loadLocalModel(JSON.parse(modelText));
  const loadMilliseconds = performance.now() - started;

  it('loads from model.json (parse excluded) within a generous bound, and the file stays small', () => {
    process.stdout.write(`model.json ${(modelText.length / 1024).toFixed(0)} KB, ${model.featureCount} features, loaded in ${loadMilliseconds.toFixed(0)} ms\n`);
    expect(loadMilliseconds).toBeLessThan(1500);
    expect(modelText.length).toBeLessThan(3 * 1024 * 1024);
  });

  it('predicts taxonomy values with confidences and reasons (EN and ZH)', () => {
    const english = model.predict('I was charged a fee twice on my card payment, please refund it');
    expect(english.product.value).toBe('cards');
    expect(english.issue.value).toBe('fees_interest');
    const chinese = model.predict('信用卡被盗刷了两笔，我没有消费过');
    for (const prediction of [english, chinese]) {
      expect(Kind.options).toContain(prediction.kind.value);
      expect(Product.options).toContain(prediction.product.value);
      expect(Issue.options).toContain(prediction.issue.value);
      expect(Sentiment.options).toContain(prediction.sentiment.value);
      expect(prediction.product.confidence).toBeGreaterThan(0);
      expect(prediction.product.confidence).toBeLessThanOrEqual(1);
      expect(prediction.product.reason).toMatch(/^model /);
      expect(prediction.knownFeatures).toBeGreaterThan(0);
    }
  });

  it('marks a field unsure below the threshold, and always when no feature is known', () => {
    const strict = loadLocalModel(JSON.parse(modelText), { threshold: 1.01 });
    expect(strict.predict('my card').product.unsure).toBe(true);
    const unknown = model.predict('zzqx qqzv');
    expect(unknown.knownFeatures).toBe(0);
    expect(unknown.kind.unsure).toBe(true);
    expect(unknown.product.reason).toContain('prior only');
  });

  it('rejects a file that is not a model', () => {
    expect(() => loadLocalModel({ format: 'something-else' })).toThrow();
    expect(() => loadLocalModel(null)).toThrow();
  });

  it.each([
    ['empty', ''],
    ['100 KB', 'my card was blocked '.repeat(5200)],
    ['binary garbage', String.fromCharCode(...Array.from({ length: 2000 }, (_, index) => (index * 7919) % 65536))],
    ['emoji only', '😡😡😡🔥💳'],
    ['right-to-left', 'البطاقة محظورة ‏ولا أستطيع السحب'],
    ['lone surrogates', '\ud800abc\udfff'],
  ])('never throws on %s input', (_name, text) => {
    const prediction = model.predict(text);
    expect(Kind.options).toContain(prediction.kind.value);
    expect(Number.isFinite(prediction.issue.confidence)).toBe(true);
  });
});
