/** Tests for pii.ts and pii-checksums.ts, with fast-check properties for card numbers and CN IDs. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactPii } from './pii.js';
import { chineseIdCheckCharacter, isChineseResidentId, isIbanValid, isLuhnValid } from './pii-checksums.js';

describe('checksums', () => {
  it('validates Luhn, MOD 11-2 and mod 97', () => {
    expect(isLuhnValid('4539526018159083')).toBe(true);
    expect(isLuhnValid('4539526018159084')).toBe(false);
    expect(isChineseResidentId('11010519520314027X')).toBe(true);
    expect(isChineseResidentId('110105195203140271')).toBe(false);
    expect(isChineseResidentId('110105195213140270')).toBe(false);
    expect(isIbanValid('GB82 WEST 1234 5698 7654 32')).toBe(true);
    expect(isIbanValid('GB82 WEST 1234 5698 7654 33')).toBe(false);
  });
});

describe('redactPii', () => {
  it('masks a grouped Luhn-valid card number, keeping only the last four digits', () => {
    const result = redactPii('My card 4539 5260 1815 9083 was charged twice.');
    expect(result.text).toBe('My card [CARD ••••9083] was charged twice.');
    expect(result.findings).toEqual([{ type: 'card', last4: '9083' }]);
    expect(result.containsFullCardNumber).toBe(true);
  });

  it('masks hyphenated, ungrouped, full-width and back-to-back card numbers', () => {
    expect(redactPii('4716-3016-6131-8609').text).toBe('[CARD ••••8609]');
    expect(redactPii('卡号4716301661318609').text).toBe('卡号[CARD ••••8609]');
    expect(redactPii('４５３９　５２６０　１８１５　９０８３').text).toBe('[CARD ••••9083]');
    expect(redactPii('4539526018159083 4716301661318609').text).toBe('[CARD ••••9083] [CARD ••••8609]');
    expect(redactPii('card no. 2 4539 5260 1815 9083').text).toBe('card no. 2 [CARD ••••9083]');
  });

  it('masks long digit runs after 卡号/账号/account even when not Luhn-valid', () => {
    const result = redactPii('我的卡号6217007865797543，昨天下午');
    expect(result.text).toBe('我的卡号[CARD ••••7543]，昨天下午');
    expect(redactPii('賬號 123456789012 請查').text).toBe('賬號 [CARD ••••9012] 請查');
    expect(redactPii('reference 123456789012 is mine').text).toBe('reference 123456789012 is mine');
  });

  it('masks checksum-valid CN resident IDs but not other 18-digit numbers', () => {
    expect(redactPii('身份证号440304198809211532，名字是我的').text).toBe('身份证号[CN_ID]，名字是我的');
    expect(redactPii('身份证11010519520314027x').text).toBe('身份证[CN_ID]');
    expect(redactPii('单号 110105195203140271').findings.map((finding) => finding.type)).not.toContain('cn_id');
  });

  it('masks IBANs, e-mail addresses and phone numbers', () => {
    expect(redactPii('IBAN GB82 WEST 1234 5698 7654 32 please refund').text).toBe('IBAN [IBAN] please refund');
    expect(redactPii('write to john.doe+bank@example.co.uk today').text).toBe('write to [EMAIL] today');
    expect(redactPii('请回电13800138000 谢谢').text).toBe('请回电[PHONE] 谢谢');
    expect(redactPii('pls call me back on 07700 900461 re the fee').text).toBe('pls call me back on [PHONE] re the fee');
    expect(redactPii('Call me on 0491 570 156 please').text).toBe('Call me on [PHONE] please');
    expect(redactPii('call +852 9123 4567 or +44 20 7946 0958').text).toBe('call [PHONE] or [PHONE]');
  });

  it('finds identifiers run together with cues and neighbouring numbers (issue 3 property-test misses)', () => {
    expect(redactPii('请转账IBANGB82 WEST 1234 5698 7654 32谢谢').text).toBe('请转账IBAN[IBAN]谢谢');
    expect(redactPii('pay to IT95G9261453085926CVV2E907E? card').text).toBe('pay to [IBAN]? card');
    expect(redactPii('mobile +86-15254092486 12').findings).toEqual([{ type: 'phone' }]);
    expect(redactPii('5月 (852) 5981 7978 5月').text).toBe('5月 [PHONE] 5月');
    expect(redactPii('电话239.960.6088）5月').text).toBe('电话[PHONE]）5月');
    expect(redactPii('2024年 478-300-1621 2024年').findings).toEqual([{ type: 'phone' }]);
    expect(redactPii('请回电： 07814 546787 2024年').findings).toEqual([{ type: 'phone' }]);
    expect(redactPii('call 138 0013 8000 12 times').text).toBe('call [PHONE] 12 times');
  });

  it('does not take dates, amounts or case references for phone numbers', () => {
    const text = 'On 2024-05-18 I paid $1,843.22; case 12-25-118734, ref PNX-2025-04417, 工单号20240518007';
    expect(redactPii(text).text).toBe(text);
  });

  it('masks secrets after a cue word and reports them', () => {
    const result = redactPii('my OTP is 482913, CVV: 123, password is hunter2, 验证码是386512，密码123456');
    expect(result.text).toBe('my OTP is [SECRET], CVV: [SECRET], password is [SECRET], 验证码是[SECRET]，密码[SECRET]');
    expect(result.containsSecret).toBe(true);
  });

  it('does not take ordinary words after a cue for secrets', () => {
    const text = 'PIN blocked, OTP txt not received, password was reset, 让我把验证码念给他, 登录密码也被改了';
    const result = redactPii(text);
    expect(result.text).toBe(text);
    expect(result.containsSecret).toBe(false);
  });

  it('leaves text without personal data unchanged', () => {
    const text = 'Refund from Amazon for $79.99 has been pending for 12 days. 转账两个小时了还没到账';
    expect(redactPii(text)).toEqual({ text, findings: [], containsSecret: false, containsFullCardNumber: false, identifiers: [] });
  });

  it('finishes on 100 KB of adversarial input', () => {
    const inputs = ['a'.repeat(100_000), '1 '.repeat(50_000), '1'.repeat(100_000), '12-'.repeat(33_000), '(1) '.repeat(25_000), 'a@'.repeat(50_000), 'pin '.repeat(25_000), 'GB82 '.repeat(20_000), '我的卡号'.repeat(25_000)];
    for (const input of inputs) expect(typeof redactPii(input).text).toBe('string');
  });

  it('masks every number of a flood of phone numbers, past the budget too', () => {
    // 1,200 distinct UK mobiles with a year after each: more candidates than libphonenumber is given per message.
    const numbers = Array.from({ length: 1200 }, (_, index) => `07700 9${String(index).padStart(5, '0')}`);
    const text = numbers.map((number) => `call ${number} 2024年`).join(' ');
    const redacted = redactPii(text).text;
    for (const number of numbers) expect(redacted).not.toContain(number.replace(' ', ''));
    for (const number of numbers) expect(redacted).not.toContain(number);
    expect(redacted.match(/\[PHONE\]/g)?.length).toBeGreaterThanOrEqual(1200);
  });
});

const digit = fc.integer({ min: 0, max: 9 }).map(String);

/** Luhn-valid card numbers with real IIN prefixes, 13–19 digits. */
const cardNumber = fc
  .tuple(fc.constantFrom('4', '51', '55', '2221', '34', '37', '62', '6011', '3528'), fc.integer({ min: 13, max: 19 }), fc.array(digit, { minLength: 18, maxLength: 18 }))
  .map(([prefix, length, body]) => {
    const partial = (prefix + body.join('')).slice(0, length - 1);
    const check = [...Array(10).keys()].map(String).find((candidate) => isLuhnValid(partial + candidate)) ?? '0';
    return partial + check;
  });

/** The card written as it is typed: ungrouped, in fours with spaces, or in fours with hyphens. */
const writtenCard = fc.tuple(cardNumber, fc.constantFrom('', ' ', '-')).map(([digits, separator]) => ({
  digits,
  written: separator === '' ? digits : (digits.match(/.{1,4}/g) ?? []).join(separator),
}));

/** Checksum-valid CN resident IDs with a real birth date. */
const chineseId = fc
  .tuple(fc.integer({ min: 110000, max: 659999 }), fc.date({ min: new Date('1930-01-01'), max: new Date('2010-12-31'), noInvalidDate: true }), fc.integer({ min: 0, max: 999 }))
  .map(([area, birth, sequence]) => {
    const date = birth.toISOString().slice(0, 10).replaceAll('-', '');
    const first17 = `${area}${date}${String(sequence).padStart(3, '0')}`;
    return first17 + chineseIdCheckCharacter(first17);
  });

const word = fc.constantFrom('my', 'card', 'was', 'charged', 'twice', 'on', '12', 'June', '£186', 'refund', '信用卡', '被盗刷了', '卡号', '身份证号', '请', '谢谢', '，', '。', '!', '2024');
const sentence = fc.array(word, { maxLength: 8 }).map((words) => words.join(' '));

describe('redactPii properties', () => {
  it('never leaves a Luhn-valid card number readable in EN/ZH text', () => {
    fc.assert(
      fc.property(sentence, writtenCard, sentence, (before, card, after) => {
        const redacted = redactPii(`${before} ${card.written} ${after}`).text.replace(/[ -]/g, '');
        return !redacted.includes(card.digits.slice(0, -4)) && !redacted.includes(card.digits);
      }),
      { numRuns: 500 },
    );
  });

  it('never leaves a checksum-valid CN resident ID readable', () => {
    fc.assert(
      fc.property(sentence, chineseId, sentence, (before, id, after) => !redactPii(`${before}${id}${after}`).text.includes(id.slice(0, 17))),
      { numRuns: 500 },
    );
  });
});
