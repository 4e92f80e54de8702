/** Tests for product-rules.ts: product and issue votes in EN and ZH, the channel hint, the default. */
import { describe, expect, it } from 'vitest';
import type { FlagReason } from '../contracts/index.js';
import { normalizeForMatching } from './normalize.js';
import { decideIssue, decideProduct } from './product-rules.js';

const product = (text: string) => decideProduct(normalizeForMatching(text));
const issue = (text: string, flags: FlagReason[] = []) => decideIssue(normalizeForMatching(text), flags);

describe('decideProduct', () => {
  it.each([
    ['信用卡年费说好免的又扣了300', 'cards'],
    ['房贷利率怎么还没降', 'mortgages'],
    ['催收电话一天打五六个', 'debt_collection'],
    ['征信报告上多了一条查询记录', 'credit_reporting'],
    ['理财赎回三天了还没到账', 'wealth_insurance'],
    ['在你们柜台买的保险想退保', 'wealth_insurance'],
    ['跨行转账居然还要收手续费', 'payments_transfers'],
    ['手机银行一打开就闪退', 'digital_banking'],
    ['车贷提前还款有违约金吗', 'loans'],
    ['我的定期存款到期后被自动转存', 'deposit_accounts'],
    ['My credit card was charged twice', 'cards'],
    ['My mortgage payment date was moved', 'mortgages'],
    ['The wire transfer to Germany has not arrived', 'payments_transfers'],
    ['Experian shows a late payment reported by you', 'credit_reporting'],
    ['Your debt collection agency keeps ringing', 'debt_collection'],
    ['My personal loan repayment was taken twice', 'loans'],
    ['Can’t log in to online banking since the update', 'digital_banking'],
    ['我張信用卡俾人盜用咗', 'cards'],
  ])('%s → %s', (text, expected) => {
    const decision = product(text);
    expect(decision.value).toBe(expected);
    expect(decision.source).toBe('rule');
    expect(decision.confidence).toBeGreaterThan(0);
    expect(decision.reason).toMatch(/^rule product_/);
  });

  it('prefers the specific product when a generic word also matches (征信 over 信用卡)', () => {
    expect(product('你们报给征信的信息有错，显示我的信用卡逾期了三次').value).toBe('credit_reporting');
  });

  it('falls back to other from default, confidence 0, when nothing matches', () => {
    expect(product('hello there')).toEqual({ value: 'other', source: 'default', confidence: 0, reason: 'no product keyword matched' });
  });

  it('lets the channel hint win with confidence 1', () => {
    expect(decideProduct('信用卡', 'mortgages')).toMatchObject({ value: 'mortgages', source: 'channel', confidence: 1 });
  });
});

describe('decideIssue', () => {
  it('follows the fraud and funds_inaccessible flags', () => {
    const fraud: FlagReason = { flag: 'fraud', source: 'rule', rule: 'fraud_en_scam', matched: ['scam'] };
    const funds: FlagReason = { flag: 'funds_inaccessible', source: 'rule', rule: 'funds_zh_frozen', matched: ['被冻结'] };
    expect(issue('anything', [fraud]).value).toBe('unauthorized_fraud');
    expect(issue('anything', [funds]).value).toBe('account_access');
  });

  it.each([
    ['跨行转账居然还要收手续费', 'fees_interest'],
    ['Charged twice for the same hotel booking', 'transaction_problem'],
    ['催收打电话给我同事', 'collection_conduct'],
    ['征信上显示逾期', 'credit_report_error'],
    ['Your ad says zero fees, that is misleading', 'misleading_sales'],
    ['退订了还天天发贷款推销短信', 'privacy_data'],
    ['在网点排队排了两个小时', 'service_conduct'],
  ])('%s → %s', (text, expected) => {
    expect(issue(text).value).toBe(expected);
  });

  it('is other from default when nothing matches', () => {
    expect(issue('hello')).toMatchObject({ value: 'other', source: 'default', confidence: 0 });
  });
});
