/** Tests for language.ts: Han vs Latin share, und for garbage, the locale hint only when ambiguous. */
import { describe, expect, it } from 'vitest';
import { detectLanguage } from './language.js';

describe('detectLanguage', () => {
  it('detects simplified, traditional and Cantonese Chinese', () => {
    expect(detectLanguage('转账两个小时了还没到账 对方急着用')).toBe('zh');
    expect(detectLanguage('請問要怎麼在手機上開通網路理財服務？')).toBe('zh');
    expect(detectLanguage('你哋無啦啦凍結咗我個戶口')).toBe('zh');
  });

  it('detects English, including SMS style', () => {
    expect(detectLanguage('2 charges on my card i didnt make, pls fix asap')).toBe('en');
  });

  it('reads Chinese text with Latin brand names and amounts as Chinese', () => {
    expect(detectLanguage('手机银行一打开就闪退，华为Mate 40，已经卸载重装过了')).toBe('zh');
    expect(detectLanguage('12,800元')).toBe('zh');
  });

  it('reads English with a Chinese place name as English', () => {
    expect(detectLanguage("Hi, can I open a savings account online? I'm from 深圳, studying in London.")).toBe('en');
  });

  it('is und for empty, emoji-only, digits-only, other scripts and binary garbage', () => {
    expect(detectLanguage('')).toBe('und');
    expect(detectLanguage('   ')).toBe('und');
    expect(detectLanguage('👍👍🙏')).toBe('und');
    expect(detectLanguage('$1,843.22 4539 5260')).toBe('und');
    expect(detectLanguage('مرحبا، حسابي مجمد')).toBe('und');
    expect(detectLanguage('\u0000\u0001\ufffd\ufffd%$#@!\u0007\ufffdx\ufffd')).toBe('und');
  });

  it('honours a locale hint only when the text is ambiguous', () => {
    expect(detectLanguage('ok', 'zh-HK')).toBe('zh');
    expect(detectLanguage('ok')).toBe('en');
    expect(detectLanguage('app 登录 login fail', 'en-GB')).toBe('en');
    expect(detectLanguage('My card was charged twice', 'zh-CN')).toBe('en');
    expect(detectLanguage('信用卡被盗刷了', 'en-US')).toBe('zh');
  });

  it('reads only the start of very long text', () => {
    expect(detectLanguage('盗刷'.repeat(60_000))).toBe('zh');
  });
});
