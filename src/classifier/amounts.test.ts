/** Tests for amounts.ts and number-words.ts: notations, currencies, limits and ads, thresholds. */
import { describe, expect, it } from 'vitest';
import { isLargeAmount, largestAmount, parseAmounts, toUsd, type ParsedAmount } from './amounts.js';
import { parseChineseNumber, parseEnglishNumber } from './number-words.js';

function values(text: string, defaultCurrency?: ParsedAmount['currency']) {
  return parseAmounts(text, defaultCurrency === undefined ? {} : { defaultCurrency }).map((amount) => ({
    value: amount.value,
    currency: amount.currency,
    atStake: amount.atStake,
  }));
}

describe('parseAmounts', () => {
  it.each([
    ['I transferred £15,000 to my solicitor', 15_000, 'GBP'],
    ['Premiums paid so far HK$600,000', 600_000, 'HKD'],
    ['sent an international wire of {$14500.00} to', 14_500, 'USD'],
    ['a transfer 25000 USD to Germany', 25_000, 'USD'],
    ['my new personal loan with you. $12k.', 12_000, 'USD'],
    ['Total is $1,843.22.', 1_843.22, 'USD'],
    ['US$2,500 and nothing', 2_500, 'USD'],
    ['A$15,000 gone', 15_000, 'AUD'],
    ['€9.999,00 is not parsed as ten million', 9.999, 'EUR'],
    ['我的定期存款¥50,000到期', 50_000, 'CNY'],
    ['RMB 8,000 扣了', 8_000, 'CNY'],
    ['多出来6万元', 60_000, 'CNY'],
    ['一共6万多！', 60_000, 'CNY'],
    ['上周三转给装修公司8万块钱', 80_000, 'CNY'],
    ['１２，８００元', 12_800, 'CNY'],
    ['5w都没了', 50_000, 'CNY'],
  ])('%s → %d %s', (text, value, currency) => {
    expect(values(text, 'CNY')[0]).toMatchObject({ value, currency });
  });

  it('reads numbers in words, English and Chinese', () => {
    expect(values('Eighteen thousand pounds, that is everything I have')[0]).toMatchObject({ value: 18_000, currency: 'GBP' });
    expect(values("That's two hundred quid")[0]).toMatchObject({ value: 200, currency: 'GBP' });
    expect(values('Two grand has been sitting pending')[0]).toMatchObject({ value: 2_000, currency: 'USD' });
    expect(values('网贷加上信用卡一共欠了二十多万', 'CNY')[0]).toMatchObject({ value: 200_000, currency: 'CNY' });
    expect(values('十万块养老钱', 'CNY')[0]).toMatchObject({ value: 100_000, currency: 'CNY' });
    expect(values('三千幾蚊嘢')[0]).toMatchObject({ value: 3_000, currency: 'HKD' });
  });

  it('uses the currency the text names elsewhere for an amount without one', () => {
    const amounts = parseAmounts("I've already sent the first eight thousand. Eighteen thousand pounds, that's everything.");
    expect(amounts.map((amount) => [amount.value, amount.currency, amount.currencyAssumed])).toEqual([
      [8_000, 'GBP', true],
      [18_000, 'GBP', false],
    ]);
  });

  it('ignores numbers that are not money: card numbers, dates, percentages, ages, 401k, 万一, 千万', () => {
    expect(values('card 4539 5260 1815 9083 on 12 June 2024, 0.75% a year')).toEqual([]);
    expect(values('my 401k rollover went into a fund')).toEqual([]);
    expect(values('万一被盗刷怎么办，请您千万不要告诉对方，什么百万保障', 'CNY')).toEqual([]);
    expect(values('我今年七十多了')).toEqual([]);
  });

  it('marks amounts in limits, ads and general questions as not at stake', () => {
    expect(values('Can I get a credit limit of $20,000?')[0]?.atStake).toBe(false);
    expect(values('My credit file shows a £5,000 limit')[0]?.atStake).toBe(false);
    expect(values('您有一笔5万元备用金额度待领取', 'CNY')[0]?.atStake).toBe(false);
    expect(values('坐席：最高可以申请30万元', 'CNY')[0]?.atStake).toBe(false);
    expect(values('Is there a fee to send $15,000 to Manila?')[0]?.atStake).toBe(false);
    expect(values('去年买了20万的结构性存款，宣传单上最高4%', 'CNY')[0]?.atStake).toBe(true);
    expect(values('多出来6万元，让我先按账单还款？', 'CNY')[0]?.atStake).toBe(true);
  });

  it('finishes on adversarial input', () => {
    for (const text of ['1 '.repeat(50_000), '$1,'.repeat(33_000), 'one thousand '.repeat(7_000), '一'.repeat(100_000), '万'.repeat(100_000)]) {
      expect(Array.isArray(parseAmounts(text))).toBe(true);
    }
  });
});

describe('large amounts and conversion', () => {
  it('uses the thresholds of TAXONOMY.md', () => {
    expect(isLargeAmount({ value: 10_000, currency: 'USD' })).toBe(true);
    expect(isLargeAmount({ value: 9_999, currency: 'GBP' })).toBe(false);
    expect(isLargeAmount({ value: 50_000, currency: 'CNY' })).toBe(true);
    expect(isLargeAmount({ value: 79_999, currency: 'HKD' })).toBe(false);
    expect(isLargeAmount({ value: 15_000, currency: 'AUD' })).toBe(true);
    expect(isLargeAmount({ value: 10_000, currency: 'EUR' })).toBe(true);
  });

  it('converts with the fixed table and picks the largest amount at stake', () => {
    expect(toUsd({ value: 100, currency: 'GBP' })).toBeCloseTo(127);
    const amounts = parseAmounts('Limit of $50,000? No: I lost £9,000 and HK$20,000.');
    expect(largestAmount(amounts)).toMatchObject({ value: 9_000, currency: 'GBP' });
    expect(largestAmount(parseAmounts('no money here'))).toBeUndefined();
  });
});

describe('number words', () => {
  it('parses English number phrases', () => {
    expect(parseEnglishNumber('three hundred and ten')).toBe(310);
    expect(parseEnglishNumber('twenty-five thousand')).toBe(25_000);
    expect(parseEnglishNumber('a thousand')).toBe(1_000);
    expect(parseEnglishNumber('and a')).toBeUndefined();
  });

  it('parses Chinese numerals, colloquial forms included', () => {
    expect(parseChineseNumber('一万二')).toBe(12_000);
    expect(parseChineseNumber('两万几')).toBe(20_000);
    expect(parseChineseNumber('几十万')).toBe(200_000);
    expect(parseChineseNumber('十几万')).toBe(100_000);
    expect(parseChineseNumber('三千二')).toBe(3_200);
    expect(parseChineseNumber('一千零五')).toBe(1_005);
    expect(parseChineseNumber('两百万')).toBe(2_000_000);
  });
});

describe('number words in context', () => {
  it('does not count the "a" of "a month" as a number', () => {
    expect(parseEnglishNumber('eight hundred and fifty a')).toBe(850);
    expect(values('three hundred and ten pounds a month extra')[0]).toMatchObject({ value: 310, currency: 'GBP' });
  });
});
