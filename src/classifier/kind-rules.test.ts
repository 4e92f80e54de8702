/** Tests for kind-rules.ts: complaint (sarcasm included), inquiry, compliment, other; sentiment. */
import { describe, expect, it } from 'vitest';
import type { FlagReason, ProductDecision } from '../contracts/index.js';
import { decideKind, decideSentiment } from './kind-rules.js';
import { normalizeForMatching } from './normalize.js';
import { decideProduct } from './product-rules.js';

function kindOf(text: string, flags: FlagReason[] = []) {
  const normalized = normalizeForMatching(text);
  const product: ProductDecision = decideProduct(normalized);
  return decideKind(normalized, flags, product);
}

const fraudFlag: FlagReason = { flag: 'fraud', source: 'rule', rule: 'fraud_en_scam', matched: ['scam'] };
const vulnerableFlag: FlagReason = { flag: 'vulnerable_customer', source: 'rule', rule: 'vulnerable_en_cognitive', matched: ['dementia'] };

describe('decideKind', () => {
  it.each([
    'Why is there suddenly a $3 paper statement fee? Nobody told me about this.',
    'App crashes every time I open the Payments tab since yesterday. Reinstalled, same thing.',
    '转账两个小时了还没到账 对方急着用 麻烦查一下',
    '退订了还天天发贷款推销短信 烦不烦',
    '提款機食咗我張卡，好唔方便',
    'Great, thanks so much for upgrading my account to one with a £15 monthly fee without asking me 🙃',
    'Wow, brilliant service as always 👏 Only 47 minutes on hold. #not',
    '真厉害，改个手机号跑了三趟网点，为你们的效率点赞👍',
    'This fee is killing me lol, who designed this?',
  ])('is complaint for dissatisfaction, sarcasm included: %s', (text) => {
    expect(kindOf(text)).toMatchObject({ value: 'complaint', source: 'rule' });
  });

  it('is complaint whenever a harm flag is set, even phrased as a question', () => {
    expect(kindOf('Is this you on the phone asking for my code?', [fraudFlag]).value).toBe('complaint');
  });

  it.each([
    'How do I activate my new debit card?',
    'Can I overpay my mortgage without a charge?',
    'I would like to reactivate my card.',
    '房贷可以提前还一部分吗？',
    '手机银行怎么修改登录密码',
    '想問下信用卡年費可唔可以豁免？',
    'If I got scammed into sending money, would I be covered?',
  ])('is inquiry for a question or request without dissatisfaction: %s', (text) => {
    expect(kindOf(text).value).toBe('inquiry');
  });

  it('keeps an inquiry an inquiry when the customer is only vulnerable', () => {
    expect(kindOf('My dad has dementia. How do I register my power of attorney?', [vulnerableFlag]).value).toBe('inquiry');
  });

  it.each([
    'The mortgage team were brilliant, completion went through bang on time. Thanks Dave!',
    'cheers for sorting the repayment plan so quick, made a massive difference',
    '客服小姐姐态度超好，一步一步教我爸用手机银行，点赞👍',
    '客户：我就是打来表扬一下你们的理财经理小李，我很满意。',
    '多謝你哋職員幫手，好快就搞掂咗，服務好好。',
  ])('is compliment for praise said straight: %s', (text) => {
    expect(kindOf(text).value).toBe('compliment');
  });

  it.each(['hi', 'test test 123', '在吗', '你好', '早晨！祝大家新年快樂，身體健康🧧', 'sorry wrong chat, meant to send this to my sister lol', '发错了不好意思',
    'Congratulations! You\'ve been selected for a $500 gift card. Claim now at bit.ly/x Reply STOP', '代开各类发票，有需要加V'])(
    'is other for greetings, spam and misdirected messages: %s',
    (text) => {
      expect(kindOf(text).value).toBe('other');
    },
  );

  it('is other from default for empty, emoji-only and binary text', () => {
    for (const text of ['', '👍👍', '\u0000\u0001\u0002']) expect(kindOf(text)).toMatchObject({ value: 'other', source: 'default', confidence: 0 });
  });
});

describe('decideSentiment', () => {
  it('is positive for a compliment, neutral for an inquiry, negative for an angry complaint', () => {
    const text = 'This is ridiculous, you charged me twice!!';
    const normalized = normalizeForMatching(text);
    expect(decideSentiment(normalized, kindOf(text), []).value).toBe('negative');
    expect(decideSentiment('thanks', { value: 'compliment', source: 'rule', confidence: 0.7, reason: '' }, []).value).toBe('positive');
    expect(decideSentiment('how do i', { value: 'inquiry', source: 'rule', confidence: 0.7, reason: '' }, []).value).toBe('neutral');
  });

  it('is neutral for a complaint stated calmly', () => {
    const text = 'BPAY payment to my electricity company went through twice, $312.40 each. Can you reverse one of them please.';
    expect(decideSentiment(normalizeForMatching(text), kindOf(text), []).value).toBe('neutral');
  });
});
