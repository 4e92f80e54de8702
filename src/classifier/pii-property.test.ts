/**
 * Property tests for the first-layer PII redaction (DOMAIN.md §5.1, issue 3): checksum-valid card numbers, CN
 * resident IDs, IBANs, phone numbers valid per libphonenumber, and e-mail addresses, written the way customers
 * type them inside random EN/ZH text, must be found (≥ 99% per type over a fixed-seed run) and never left readable
 * in the redacted text or in the logs. All runs use fixed seeds, so the test is deterministic.
 */
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { isValidPhoneNumber, parsePhoneNumberWithError, type CountryCode } from 'libphonenumber-js';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../shared/logger.js';
import { redactPii, type PiiType } from './pii.js';
import { chineseIdCheckCharacter, isLuhnValid } from './pii-checksums.js';

const SAMPLES = 2_000;
const MIN_DETECTION_RATE = 0.99;
/** A leak is this many consecutive characters of the identifier surviving in the redacted text (separators removed). */
const LEAK_WINDOW = 7;

interface Identifier {
  type: Exclude<PiiType, 'secret'>;
  /** As the customer typed it. */
  written: string;
  /** The characters that must not survive: digits (cards, IDs, the national significant number of a phone), the IBAN, the address. */
  core: string;
}

const digit = fc.integer({ min: 0, max: 9 }).map(String);
const digits = (length: number): fc.Arbitrary<string> => fc.array(digit, { minLength: length, maxLength: length }).map((list) => list.join(''));
const upper = fc.integer({ min: 65, max: 90 }).map((code) => String.fromCharCode(code));
const alnum = fc.oneof(digit, upper);
const chars = (unit: fc.Arbitrary<string>, length: number): fc.Arbitrary<string> =>
  fc.array(unit, { minLength: length, maxLength: length }).map((list) => list.join(''));

function groupsOf(value: string, size: number, separator: string): string {
  return (value.match(new RegExp(`.{1,${size}}`, 'g')) ?? []).join(separator);
}

// ---------------------------------------------------------------------------------------------------------------
// Card numbers: Luhn-valid, real IIN prefixes and lengths, ungrouped or in groups of four (Amex 4-6-5).

const CARD_BRANDS: readonly { prefixes: readonly string[]; lengths: readonly number[] }[] = [
  { prefixes: ['4'], lengths: [13, 16, 19] },
  { prefixes: ['51', '52', '53', '54', '55', '2221', '2720'], lengths: [16] },
  { prefixes: ['34', '37'], lengths: [15] },
  { prefixes: ['62', '621700', '622202', '625'], lengths: [16, 17, 18, 19] },
  { prefixes: ['6011', '65'], lengths: [16] },
  { prefixes: ['3528', '3589'], lengths: [16] },
  { prefixes: ['36'], lengths: [14] },
];

const cardNumber: fc.Arbitrary<Identifier> = fc
  .tuple(fc.constantFrom(...CARD_BRANDS), fc.nat(), fc.nat(), digits(19), fc.constantFrom('', ' ', '-'))
  .map(([brand, prefixPick, lengthPick, body, separator]) => {
    const prefix = brand.prefixes[prefixPick % brand.prefixes.length] ?? '4';
    const length = brand.lengths[lengthPick % brand.lengths.length] ?? 16;
    const partial = (prefix + body).slice(0, length - 1);
    const check = [...Array(10).keys()].map(String).find((candidate) => isLuhnValid(partial + candidate)) ?? '0';
    const number = partial + check;
    let written = number;
    if (separator !== '') {
      written = length === 15 ? [number.slice(0, 4), number.slice(4, 10), number.slice(10)].join(separator) : groupsOf(number, 4, separator);
    }
    return { type: 'card' as const, written, core: number };
  });

// ---------------------------------------------------------------------------------------------------------------
// CN resident IDs: area code, real birth date, sequence, MOD 11-2 check character (X upper or lower case).

const chineseId: fc.Arbitrary<Identifier> = fc
  .tuple(
    fc.integer({ min: 110000, max: 659999 }),
    fc.date({ min: new Date('1930-01-01'), max: new Date('2010-12-31'), noInvalidDate: true }),
    fc.integer({ min: 0, max: 999 }),
    fc.boolean(),
  )
  .map(([area, birth, sequence, lowerX]) => {
    const date = birth.toISOString().slice(0, 10).replaceAll('-', '');
    const first17 = `${area}${date}${String(sequence).padStart(3, '0')}`;
    const id = first17 + chineseIdCheckCharacter(first17);
    return { type: 'cn_id' as const, written: lowerX ? id.toLowerCase() : id, core: id };
  });

// ---------------------------------------------------------------------------------------------------------------
// IBANs: a BBAN of the country's real shape, check digits computed by ISO 13616 mod 97.

const IBAN_COUNTRIES: readonly { country: string; bban: fc.Arbitrary<string> }[] = [
  { country: 'GB', bban: fc.tuple(chars(upper, 4), digits(14)).map((parts) => parts.join('')) }, // 22
  { country: 'DE', bban: digits(18) }, // 22
  { country: 'FR', bban: fc.tuple(digits(10), chars(alnum, 11), digits(2)).map((parts) => parts.join('')) }, // 27
  { country: 'ES', bban: digits(20) }, // 24
  { country: 'NL', bban: fc.tuple(chars(upper, 4), digits(10)).map((parts) => parts.join('')) }, // 18
  { country: 'IT', bban: fc.tuple(upper, digits(10), chars(alnum, 12)).map((parts) => parts.join('')) }, // 27
  { country: 'BE', bban: digits(12) }, // 16
  { country: 'IE', bban: fc.tuple(chars(upper, 4), digits(14)).map((parts) => parts.join('')) }, // 22
];

function mod97(value: string): number {
  let remainder = 0;
  for (const character of value) {
    const code = character.charCodeAt(0);
    const expanded = code >= 65 ? String(code - 55) : character;
    for (const unit of expanded) remainder = (remainder * 10 + (unit.charCodeAt(0) - 48)) % 97;
  }
  return remainder;
}

const iban: fc.Arbitrary<Identifier> = fc
  .constantFrom(...IBAN_COUNTRIES)
  .chain(({ country, bban }) => fc.tuple(fc.constant(country), bban, fc.constantFrom('grouped', 'compact', 'lower')))
  .map(([country, bban, style]) => {
    const check = String(98 - mod97(`${bban}${country}00`)).padStart(2, '0');
    const value = `${country}${check}${bban}`;
    const written = style === 'compact' ? value : style === 'lower' ? groupsOf(value, 4, ' ').toLowerCase() : groupsOf(value, 4, ' ');
    return { type: 'iban' as const, written, core: value };
  });

// ---------------------------------------------------------------------------------------------------------------
// Phone numbers: candidates in each country's usual written forms, kept only when libphonenumber accepts them.

interface PhoneCandidate {
  written: string;
  country: CountryCode;
}

const cnPhone: fc.Arbitrary<PhoneCandidate> = fc
  .tuple(fc.integer({ min: 3, max: 9 }), digits(9), fc.integer({ min: 0, max: 5 }))
  .map(([second, rest, style]) => {
    const n = `1${second}${rest}`;
    const spaced = `${n.slice(0, 3)} ${n.slice(3, 7)} ${n.slice(7)}`;
    const forms = [n, spaced, `${n.slice(0, 3)}-${n.slice(3, 7)}-${n.slice(7)}`, `+86 ${spaced}`, `+86${n}`, `+86-${n}`];
    return { written: forms[style] ?? n, country: 'CN' as const };
  });

const hkPhone: fc.Arbitrary<PhoneCandidate> = fc
  .tuple(fc.constantFrom('5', '6', '9'), digits(7), fc.integer({ min: 0, max: 4 }))
  .map(([first, rest, style]) => {
    const n = first + rest;
    const spaced = `${n.slice(0, 4)} ${n.slice(4)}`;
    const forms = [n, spaced, `+852 ${spaced}`, `+852${n}`, `(852) ${spaced}`];
    return { written: forms[style] ?? n, country: 'HK' as const };
  });

const gbPhone: fc.Arbitrary<PhoneCandidate> = fc
  .tuple(fc.integer({ min: 1, max: 9 }), digits(8), fc.integer({ min: 0, max: 4 }))
  .map(([second, rest, style]) => {
    const n = `7${second}${rest}`; // 10-digit NSN
    const forms = [`0${n}`, `0${n.slice(0, 4)} ${n.slice(4)}`, `+44 ${n.slice(0, 4)} ${n.slice(4)}`, `+44${n}`, `0${n.slice(0, 4)} ${n.slice(4, 7)} ${n.slice(7)}`];
    return { written: forms[style] ?? `0${n}`, country: 'GB' as const };
  });

const usPhone: fc.Arbitrary<PhoneCandidate> = fc
  .tuple(fc.integer({ min: 2, max: 9 }), fc.integer({ min: 0, max: 8 }), digit, fc.integer({ min: 2, max: 9 }), digits(2), digits(4), fc.integer({ min: 0, max: 5 }))
  .map(([a, b, c, d, exchangeRest, line, style]) => {
    const area = `${a}${b}${c}`;
    const exchange = `${d}${exchangeRest}`;
    const forms = [
      `(${area}) ${exchange}-${line}`,
      `${area}-${exchange}-${line}`,
      `${area}.${exchange}.${line}`,
      `+1 ${area} ${exchange} ${line}`,
      `+1-${area}-${exchange}-${line}`,
      `${area}${exchange}${line}`,
    ];
    return { written: forms[style] ?? `${area}${exchange}${line}`, country: 'US' as const };
  });

const auPhone: fc.Arbitrary<PhoneCandidate> = fc.tuple(digits(8), fc.integer({ min: 0, max: 3 })).map(([rest, style]) => {
  const n = `4${rest}`;
  const spaced = `${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`;
  const forms = [`0${n}`, `0${spaced}`, `+61 ${spaced}`, `+61${n}`];
  return { written: forms[style] ?? `0${n}`, country: 'AU' as const };
});

const phone: fc.Arbitrary<Identifier> = fc
  .oneof(cnPhone, hkPhone, gbPhone, usPhone, auPhone)
  .filter((candidate) => isValidPhoneNumber(candidate.written, candidate.country))
  .map((candidate) => ({ type: 'phone' as const, written: candidate.written, core: parsePhoneNumberWithError(candidate.written, candidate.country).nationalNumber }));

// ---------------------------------------------------------------------------------------------------------------
// E-mail addresses: realistic local parts (names, dots, digits, plus tags) and domains.

const localWord = fc.constantFrom('john', 'mary', 'li', 'wang', 'zhang.wei', 'chan', 'k.smith', 'tom_lee', 'a', 'xiaoming', 'j-doe', 'info');
const email: fc.Arbitrary<Identifier> = fc
  .tuple(
    localWord,
    fc.constantFrom('', '.', '_', '+bank', '+'),
    fc.option(fc.integer({ min: 1, max: 99_999 }), { nil: undefined }),
    fc.constantFrom('gmail.com', 'qq.com', '163.com', 'outlook.com', 'yahoo.com.hk', 'example.co.uk', 'bigpond.net.au', 'mail.example.cn', 'hotmail.com', 'icloud.com'),
    fc.boolean(),
  )
  .map(([name, join, number, domain, capitalised]) => {
    const tail = join === '' && number === undefined ? '' : `${join === '+' ? '' : join}${number ?? ''}`;
    const local = join === '+' ? `${name}+${number ?? 'x'}` : `${name}${tail}`;
    const address = `${local}@${domain}`;
    return { type: 'email' as const, written: capitalised ? address.charAt(0).toUpperCase() + address.slice(1) : address, core: address.toLowerCase() };
  });

// ---------------------------------------------------------------------------------------------------------------
// Surrounding text: EN and ZH words and punctuation, cue words, and identifiers right against Chinese characters.

const EN_WORDS = ['my', 'card', 'was', 'charged', 'twice', 'on', 'June', 'refund', 'please', 'the', 'bank', 'still', 'no', 'reply', 'since', 'Monday', 'fee', 'transfer', '12', '2024', '£186', '$79.99', 'thanks', 'urgent', 'HSBC', 'account', 'is'];
const EN_PUNCT = [',', '.', '!', '?', ':', ';', '(see', 'below)'];
const ZH_WORDS = ['我的', '信用卡', '被盗刷了', '请', '尽快', '处理', '谢谢', '昨天', '转账', '还没到账', '银行', '客服', '一直', '不回复', '投诉', '退款', '手续费', '2024年', '5月', '3笔', '你好'];
const ZH_PUNCT = ['，', '。', '！', '？', '：', '、', '（', '）', '；'];
const CUES: Record<Identifier['type'], { en: readonly string[]; zh: readonly string[] }> = {
  card: { en: ['card', 'card no.', 'card number', 'my card', 'Visa', 'card:'], zh: ['卡号', '信用卡号', '银行卡', '卡號', '储蓄卡'] },
  cn_id: { en: ['ID', 'ID no.', 'Chinese ID', 'ID card:'], zh: ['身份证号', '身份证', '身份證號碼', '证件号'] },
  iban: { en: ['IBAN', 'IBAN:', 'account', 'pay to', 'to'], zh: ['IBAN', '账号', '收款账户', '国际账号'] },
  phone: { en: ['phone', 'phone:', 'call me on', 'mobile', 'tel', 'Tel:', 'contact me at', 'whatsapp'], zh: ['手机', '电话', '手机号', '联系电话', '请回电', '電話'] },
  email: { en: ['email', 'email:', 'e-mail me at', 'contact', 'write to'], zh: ['邮箱', '电子邮件', '郵箱', '邮件发到'] },
};

const enText = fc.array(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...EN_WORDS) }, { weight: 1, arbitrary: fc.constantFrom(...EN_PUNCT) }), { maxLength: 10 }).map((words) => words.join(' '));
const zhText = fc.array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...ZH_WORDS) }, { weight: 1, arbitrary: fc.constantFrom(...ZH_PUNCT) }), { maxLength: 10 }).map((words) => words.join(''));

const RUNS_ON = /[\w@.%+£$€¥-]/;

/**
 * What follows the identifier. Nobody types a number or address straight into more digits, Latin letters or an amount
 * ("…9083is", "…@qq.com3笔", "…6162£186"): that is unreadable for people too, so a separator goes in between. Chinese
 * characters and punctuation may follow directly.
 */
function glue(written: string, punctuation: string, rest: string, separator: string): string {
  const next = `${punctuation}${rest}`;
  return RUNS_ON.test(written.slice(-1)) && RUNS_ON.test(next.charAt(0)) ? `${separator}${next}` : next;
}

/** The identifier inside a message: EN with spaces, ZH with no spaces at all, or mixed, with or without a cue word. */
function inText(identifier: fc.Arbitrary<Identifier>): fc.Arbitrary<{ identifier: Identifier; text: string }> {
  return identifier.chain((id) =>
    fc
      .tuple(
        fc.constantFrom('en', 'zh', 'zh-spaced', 'mixed'),
        enText,
        zhText,
        fc.option(fc.constantFrom(...CUES[id.type].en), { nil: undefined }),
        fc.option(fc.constantFrom(...CUES[id.type].zh), { nil: undefined }),
        fc.constantFrom('', '：', ':', ' '),
        fc.constantFrom('', '，', '。', ' ', '！'),
      )
      .map(([style, en, zh, enCue, zhCue, colon, after]) => {
        let text: string;
        if (style === 'en') text = `${en} ${enCue ?? ''} ${id.written}${after === '' ? ' ' : after}${en}`;
        else if (style === 'zh') text = `${zh}${zhCue ?? ''}${colon.trim()}${id.written}${glue(id.written, after.trim(), zh, '，')}`;
        else if (style === 'zh-spaced') text = `${zh}${zhCue ?? ''}${colon} ${id.written} ${zh}`;
        else text = `${zh}${enCue ?? zhCue ?? ''} ${id.written}${glue(id.written, after.trim(), en, ' ')}`;
        return { identifier: id, text };
      }),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Leak and detection checks.

/** The redacted text with placeholders removed and separators dropped, in the identifier's own alphabet. */
function comparable(redacted: string, type: Identifier['type']): string {
  const withoutPlaceholders = redacted.replace(/\[(?:CARD[^\]]*|CN_ID|IBAN|PHONE|EMAIL|SECRET)\]/g, '|');
  if (type === 'email') return withoutPlaceholders.toLowerCase();
  const folded = withoutPlaceholders.replace(/[\s().+-]/g, '').toUpperCase();
  return type === 'iban' ? folded : folded.replace(/[^\dX|]/g, '|');
}

/** Whether any part of the identifier long enough to matter survives redaction. */
function leaks(identifier: Identifier, redacted: string): string | undefined {
  const text = comparable(redacted, identifier.type);
  if (identifier.type === 'email') {
    const [local = '', domain = ''] = identifier.core.split('@');
    for (const part of [identifier.core, `${local}@`, `@${domain}`]) if (text.includes(part)) return part;
    return undefined;
  }
  const core = identifier.core.toUpperCase();
  for (let start = 0; start + LEAK_WINDOW <= core.length; start += 1) {
    const window = core.slice(start, start + LEAK_WINDOW);
    if (text.includes(window)) return window;
  }
  return undefined;
}

function detected(identifier: Identifier, text: string): boolean {
  const result = redactPii(text);
  return result.findings.some((finding) => finding.type === identifier.type) && leaks(identifier, result.text) === undefined;
}

const GENERATORS: readonly { type: Identifier['type']; arbitrary: fc.Arbitrary<Identifier>; seed: number }[] = [
  { type: 'card', arbitrary: cardNumber, seed: 3_101 },
  { type: 'cn_id', arbitrary: chineseId, seed: 3_102 },
  { type: 'iban', arbitrary: iban, seed: 3_103 },
  { type: 'phone', arbitrary: phone, seed: 3_104 },
  { type: 'email', arbitrary: email, seed: 3_105 },
];

describe('PII redaction properties (issue 3)', () => {
  for (const { type, arbitrary, seed } of GENERATORS) {
    it(`never leaves a ${type} readable in random EN/ZH text`, () => {
      fc.assert(
        fc.property(inText(arbitrary), ({ identifier, text }) => {
          const result = redactPii(text);
          expect(leaks(identifier, result.text), `${text} → ${result.text}`).toBeUndefined();
          expect(result.findings.map((finding) => finding.type), `${text} → ${result.text}`).toContain(identifier.type);
        }),
        { seed, numRuns: SAMPLES },
      );
    });

    it(`finds at least 99% of ${type} identifiers over ${SAMPLES} fixed-seed samples`, () => {
      const samples = fc.sample(inText(arbitrary), { seed: seed + 1_000, numRuns: SAMPLES });
      const misses = samples.filter(({ identifier, text }) => !detected(identifier, text));
      const rate = 1 - misses.length / samples.length;
      process.stdout.write(`PII detection rate ${type}: ${(rate * 100).toFixed(2)}% (${samples.length - misses.length}/${samples.length})\n`);
      for (const miss of misses.slice(0, 5)) process.stdout.write(`  missed ${type}: ${miss.text}\n`);
      expect(samples.length).toBe(SAMPLES);
      expect(rate).toBeGreaterThanOrEqual(MIN_DETECTION_RATE);
    });
  }
});

describe('redacted text in the logs', () => {
  it('logs a message holding one of each type without any of them', () => {
    const identifiers = {
      card: '4539 5260 1815 9083',
      cnId: '440304198809211532',
      iban: 'GB82 WEST 1234 5698 7654 32',
      phone: '+852 9123 4567',
      mobile: '13800138000',
      email: 'zhang.wei+bank@example.co.uk',
    };
    const message = `卡号${identifiers.card}，身份证号${identifiers.cnId}，IBAN ${identifiers.iban}, call ${identifiers.phone} 或手机${identifiers.mobile}，邮箱${identifiers.email}谢谢`;
    const redacted = redactPii(message);
    expect(redacted.findings.map((finding) => finding.type).sort()).toEqual(['card', 'cn_id', 'email', 'iban', 'phone', 'phone']);

    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger({ level: 'info' }, stream);
    logger.info({ complaint: { redacted: redacted.text }, findings: redacted.findings }, `intake: ${redacted.text}`);
    const log = lines.join('');
    const logDigits = log.replace(/[\s().+-]/g, '');
    expect(log).toContain('intake:');
    for (const value of Object.values(identifiers)) {
      expect(log).not.toContain(value);
      expect(logDigits).not.toContain(value.replace(/[\s().+-]/g, '').slice(0, -4));
    }
    expect(log.toLowerCase()).not.toContain('@example.co.uk');
    expect(logDigits).not.toContain('91234567');
  });
});
