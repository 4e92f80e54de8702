/** Tests for normalize.ts and the traditional → simplified table: width folding, quotes, whitespace, HK/TW text. */
import { describe, expect, it } from 'vitest';
import { CHINESE_LEXICON } from './lexicon-zh.js';
import { normalizeForMatching, normalizeText } from './normalize.js';
import { toSimplified, TRADITIONAL_TO_SIMPLIFIED } from './traditional-chinese.js';

describe('normalizeForMatching', () => {
  it('folds full-width letters, digits and punctuation (NFKC) and lower-cases', () => {
    expect(normalizeForMatching('ＨＫ＄８０，０００！Ｆｒａｕｄ？')).toBe('hk$80,000!fraud?');
  });

  it('collapses whitespace, including the ideographic space, and trims', () => {
    expect(normalizeForMatching('  my\t\taccount\u3000is \n frozen  ')).toBe('my account is frozen');
  });

  it('turns typographic quotes into ASCII so "don’t" matches like "don\'t"', () => {
    expect(normalizeForMatching('I don’t want to live “anymore”')).toBe('i don\'t want to live "anymore"');
  });

  it('removes zero-width characters that would hide a keyword', () => {
    expect(normalizeForMatching('sui\u200bcide 盗\u200d刷')).toBe('suicide 盗刷');
  });

  it('maps the traditional characters of the lexicons to simplified (HK/TW text)', () => {
    expect(normalizeForMatching('我張信用卡俾人盜刷咗')).toBe('我张信用卡俾人盗刷咗');
    expect(normalizeForMatching('戶口凍結咗，我唔想活落去')).toBe('户口冻结咗,我唔想活落去');
    expect(normalizeForMatching('電話詐騙，銀監會，轉賬，醫藥費')).toBe('电话诈骗,银监会,转账,医药费');
  });

  it('keeps the original beside the normalised text', () => {
    expect(normalizeText('ＡＢＣ')).toEqual({ original: 'ＡＢＣ', normalized: 'abc' });
  });

  it('never throws on lone surrogates or control characters', () => {
    expect(() => normalizeForMatching('\ud800abc\u0000\udfff')).not.toThrow();
  });
});

describe('the traditional → simplified table', () => {
  it('has no simplified character as a key (the lexicons are written in simplified)', () => {
    const simplified = new Set(TRADITIONAL_TO_SIMPLIFIED.values());
    for (const traditional of TRADITIONAL_TO_SIMPLIFIED.keys()) expect(simplified.has(traditional)).toBe(false);
  });

  it('leaves every Chinese lexicon term unchanged, so normalised text can reach it', () => {
    for (const entry of CHINESE_LEXICON) {
      for (const term of entry.terms) expect(toSimplified(term), `${entry.id}: ${term}`).toBe(term);
    }
  });

  it('covers the characters the brief lists', () => {
    const pairs = '盜盗騙骗凍冻結结臺台詐诈銀银監监記记錢钱帳账賬账號号訴诉師师殺杀絕绝產产務务員员態态導导費费額额轉转難难醫医過过電电話话';
    for (let index = 0; index < pairs.length; index += 2) {
      expect(TRADITIONAL_TO_SIMPLIFIED.get(pairs.charAt(index))).toBe(pairs.charAt(index + 1));
    }
  });
});
