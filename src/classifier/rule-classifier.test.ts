/** Tests for the rule classifier end to end: valid Classifications for any input, hint and store context. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Classification } from '../contracts/index.js';
import { MAX_CLASSIFIED_CHARS } from './classifier.js';
import { createRuleClassifier } from './index.js';

const classifier = createRuleClassifier();

async function classify(text: string, extra: Partial<Parameters<typeof classifier.classify>[0]> = {}) {
  const result = await classifier.classify({ text, ...extra });
  return Classification.parse(result);
}

describe('createRuleClassifier', () => {
  it('classifies an in-progress fraud in Chinese as a critical complaint with explained reasons', async () => {
    const result = await classify('刚收到验证码短信不是我操作的，尾号0934的卡钱正在被转走！！快冻结！！电话打不进去');
    expect(result.language).toBe('zh');
    expect(result.kind.value).toBe('complaint');
    expect(result.urgency.level).toBe('critical');
    expect(result.urgency.score).toBeGreaterThanOrEqual(75);
    expect(result.issue.value).toBe('unauthorized_fraud');
    expect(result.flags.map((reason) => reason.flag)).toEqual(['fraud']);
    expect(result.urgency.reasons[0]).toMatch(/^fraud in progress \(rule fraud_zh_in_progress: '正在被转'.*\) → critical$/);
  });

  it('classifies a plain inquiry as low urgency, with product and kind from rules', async () => {
    const result = await classify('How do I activate my new debit card? It came today.');
    expect(result).toMatchObject({ language: 'en', kind: { value: 'inquiry', source: 'rule' }, product: { value: 'cards', source: 'rule' }, urgency: { level: 'low' } });
    expect(result.flags).toEqual([]);
  });

  it('lets the channel product hint win and uses the open-complaint fact', async () => {
    const result = await classify('我的卡还没寄到', { productHint: 'mortgages', customerHasOpenComplaint: true, locale: 'zh-CN' });
    expect(result.product).toEqual({ value: 'mortgages', source: 'channel', confidence: 1, reason: 'product given by the channel' });
    expect(result.flags).toContainEqual({ flag: 'repeat_complaint', source: 'rule', rule: 'structural_open_complaint', matched: [] });
    expect(result.urgency.level).toBe('medium');
  });

  it('asks for review when product or kind is a default', async () => {
    expect((await classify('hmm')).needsReview).toBe(true);
    expect((await classify('My credit card was charged twice for one hotel night, please refund one.')).needsReview).toBe(false);
  });

  it('puts spam on no product', async () => {
    const result = await classify("Congratulations! You've been selected for a $500 gift card. Claim now at bit.ly/x");
    expect(result.kind.value).toBe('other');
    expect(result.product.value).toBe('other');
  });

  it.each([
    ['empty', ''],
    ['whitespace', ' \n\t '],
    ['emoji only', '👍🙏🧧😭'],
    ['RTL text', 'مرحبا، حسابي مجمد منذ أسبوع'],
    ['RTL overrides', '\u202egnihtemos\u202c \u2067abc\u2069'],
    ['binary garbage', String.fromCharCode(...Array.from({ length: 512 }, (_, index) => (index * 37) % 256))],
    ['lone surrogates', '\ud800\udc00\ud800x\udfff'],
    ['100 KB of a', 'a'.repeat(100_000)],
    ['100 KB of "1 "', '1 '.repeat(50_000)],
    ['100 KB of digits', '9'.repeat(100_000)],
    ['100 KB of digits and separators', '12-34 '.repeat(16_000)],
    ['100 KB of keywords', '盗刷 scam 不想活 $1,000 冻结 '.repeat(3_000)],
  ])('never throws and returns a valid Classification for %s', async (_name, text) => {
    const result = await classify(text);
    expect(result.urgency.score).toBeLessThanOrEqual(100);
    if (!/[\p{L}]/u.test(text)) expect(result.kind.value).toBe('other');
  });

  it('returns a valid Classification for any string (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 300 }), async (text) => {
        Classification.parse(await classifier.classify({ text }));
      }),
      { numRuns: 300 },
    );
  });

  it('answers even when the input is not what the type promises', async () => {
    const malformed = JSON.parse('{"text": 42}') as Parameters<typeof classifier.classify>[0];
    const result = Classification.parse(await classifier.classify(malformed));
    expect(result.kind.value).toBe('other');
  });
});

describe("a very long text (a long call's customer turns)", () => {
  const classifier = createRuleClassifier();
  const filler = 'I was on hold for a while and then the line went quiet for a bit before anyone came back. ';

  it('is classified on its first MAX_CLASSIFIED_CHARS characters: what they say counts, what lies beyond is not read', async () => {
    const signal = 'Someone stole my card and made transactions I did not authorise. ';
    const early = await classifier.classify({ text: signal + filler.repeat(Math.ceil((3 * MAX_CLASSIFIED_CHARS) / filler.length)) });
    expect(early.flags.map((reason) => reason.flag)).toContain('fraud');
    const late = await classifier.classify({ text: filler.repeat(Math.ceil(MAX_CLASSIFIED_CHARS / filler.length) + 1) + signal });
    expect(late.flags.map((reason) => reason.flag)).not.toContain('fraud');
  });
});
