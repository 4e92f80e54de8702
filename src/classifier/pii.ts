/**
 * First-layer PII redaction (DOMAIN.md §5.1), run before anything is stored, logged or sent out: e-mail,
 * secrets after a cue (CVV, PIN, OTP, password, 验证码, 密码 …), IBAN (mod 97), CN resident ID (MOD 11-2),
 * card numbers (13–19 digits, grouped or not, Luhn; UnionPay 62… and long digit runs after 卡号/账号/card/account
 * even without Luhn), then phone numbers (libphonenumber-js, default countries CN HK GB US AU), in that order so a
 * card is never mistaken for a phone. Detection runs on a width-folded copy (full-width digits count); the
 * output keeps the original text around the placeholders. Every step is linear in the input.
 */
import { isChineseResidentId, isIbanValid, isLuhnValid } from './pii-checksums.js';
import { phoneSpans } from './pii-phones.js';

export type PiiType = 'card' | 'cn_id' | 'iban' | 'phone' | 'email' | 'secret';

export interface PiiFinding {
  type: PiiType;
  /** For cards: the last four digits, the most a redacted text keeps. */
  last4?: string;
}

export interface PiiRedaction {
  text: string;
  findings: PiiFinding[];
  /** A CVV, PIN, OTP, password or similar code was present (never store it; warn the customer). */
  containsSecret: boolean;
  /** A full card number was present (Luhn-valid, UnionPay 62…, or a 13–19 digit run after a card cue). */
  containsFullCardNumber: boolean;
  /**
   * The identifiers removed (secrets excepted), normalised: phone digits with a leading + when written, e-mail in
   * lower case, card/ID/IBAN without separators. For the caller to hash (linking repeats) or to keep as contacts;
   * never to store in text.
   */
  identifiers: { type: Exclude<PiiType, 'secret'>; value: string }[];
}

function normalizeIdentifier(type: PiiType, raw: string): string {
  const folded = foldWidth(raw);
  if (type === 'email') return folded.trim().toLowerCase();
  if (type === 'phone') return `${folded.trimStart().startsWith('+') ? '+' : ''}${folded.replace(/\D/g, '')}`;
  return folded.replace(/[\s-]/g, '').toUpperCase();
}

interface Replacement {
  start: number;
  end: number;
  placeholder: string;
  finding: PiiFinding;
  fullCard?: boolean;
  /** The text replaced, as written (filled in when applied). */
  raw?: string;
}

interface Working {
  original: string;
  folded: string;
}

const CARD_CUE = /(?:卡号|卡號|账号|帐号|帳號|賬號|账户|帐户|賬戶|帳戶|户口|戶口|card|account|acct|a\/c)[^\d]{0,16}$/i;
const SECRET_CUE = /(?<![a-z0-9])(?:cvv2?|cvc2?|cvn|pin|otp|passcode|password|pwd)(?![a-z])|验证码|驗證碼|动态码|動態碼|校验码|安全码|密码|密碼|口令/gi;
const WORD_SECRET_CUE = /^(?:passcode|password|pwd|密码|密碼|口令)$/i;
const SECRET_CONNECTOR = /^\s{0,3}(?:[:：=]|is\b|was\b|number\b|no\.|code\b|是|为|為)/i;
const EXPLICIT_CONNECTOR = /[:：=]|is|was|是|为|為/i;
const SECRET_TOKEN = /^\s{0,3}([a-z0-9]{3,16})(?![a-z0-9])/i;
const NOT_A_SECRET = new Set(['not', 'wrong', 'reset', 'changed', 'incorrect', 'expired', 'locked', 'blocked', 'the', 'my', 'still', 'never', 'being']);
/** An IBAN at a word edge, or straight after the word IBAN ("IBANGB82 …", as typed in Chinese text). */
const IBAN_CANDIDATE = /(?:\b|(?<=iban))[a-z]{2}\d{2}(?:[ ]?[a-z0-9]){11,30}/gi;
/** Digit runs that may hold an 18-character CN ID (its last character may be X); longer runs are not searched. */
const CN_ID_RUN = /(?<![\dx])[\dx]{18,40}(?![\dx])/gi;
const CN_ID_LENGTH = 18;

/** Full-width ASCII (０-９, Ａ-Ｚ, ＠ …) and the ideographic space folded to ASCII, one UTF-16 unit for one. */
function foldWidth(text: string): string {
  return text.replace(/[\uff01-\uff5e]/g, (character) => String.fromCharCode(character.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

/** Applies non-overlapping replacements (earliest first wins) to both the original and the folded text. */
function apply(working: Working, replacements: Replacement[], findings: Replacement[]): Working {
  if (replacements.length === 0) return working;
  replacements.sort((left, right) => left.start - right.start || right.end - left.end);
  let original = '';
  let folded = '';
  let cursor = 0;
  for (const replacement of replacements) {
    if (replacement.start < cursor) continue;
    original += working.original.slice(cursor, replacement.start) + replacement.placeholder;
    folded += working.folded.slice(cursor, replacement.start) + replacement.placeholder;
    cursor = replacement.end;
    findings.push({ ...replacement, raw: working.original.slice(replacement.start, replacement.end) });
  }
  return { original: original + working.original.slice(cursor), folded: folded + working.folded.slice(cursor) };
}

const EMAIL_LOCAL = /[a-z0-9._%+-]/i;
const EMAIL_DOMAIN_CHARACTER = /[a-z0-9.-]/i;
const EMAIL_DOMAIN = /^[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){0,8}\.[a-z]{2,24}$/i;

function emails(text: string): Replacement[] {
  const found: Replacement[] = [];
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
    let start = at;
    while (start > 0 && at - start < 64 && EMAIL_LOCAL.test(text.charAt(start - 1))) start -= 1;
    let end = at + 1;
    while (end < text.length && end - at < 254 && EMAIL_DOMAIN_CHARACTER.test(text.charAt(end))) end += 1;
    while (end > at + 1 && /[.-]/.test(text.charAt(end - 1))) end -= 1;
    if (start < at && EMAIL_DOMAIN.test(text.slice(at + 1, end))) {
      found.push({ start, end, placeholder: '[EMAIL]', finding: { type: 'email' } });
    }
  }
  return found;
}

function secrets(text: string): Replacement[] {
  const found: Replacement[] = [];
  for (const cue of text.matchAll(SECRET_CUE)) {
    let position = cue.index + cue[0].length;
    let explicit = false;
    for (let step = 0; step < 4; step += 1) {
      const connector = SECRET_CONNECTOR.exec(text.slice(position, position + 12));
      if (connector === null) break;
      position += connector[0].length;
      explicit ||= EXPLICIT_CONNECTOR.test(connector[0]);
    }
    const token = SECRET_TOKEN.exec(text.slice(position, position + 24));
    const value = token?.[1];
    if (token === null || value === undefined) continue;
    // A token that runs on into more digits is the start of a longer number (a card): the card step handles it.
    if (/^[ -]?\d/.test(text.slice(position + token[0].length, position + token[0].length + 2))) continue;
    const wordSecret = explicit && WORD_SECRET_CUE.test(cue[0]) && !NOT_A_SECRET.has(value.toLowerCase());
    if (!/\d/.test(value) && !wordSecret) continue;
    const start = position + token[0].length - value.length;
    found.push({ start, end: start + value.length, placeholder: '[SECRET]', finding: { type: 'secret' } });
  }
  return found;
}

function ibans(text: string): Replacement[] {
  const found: Replacement[] = [];
  for (const match of text.matchAll(IBAN_CANDIDATE)) {
    const candidate = match[0];
    // The candidate may run into the next word; take the longest prefix that ends at a word edge and checks out.
    for (let cut = candidate.length; cut >= 15; cut -= 1) {
      const next = candidate.charAt(cut);
      if ((next === '' || next === ' ') && isIbanValid(candidate.slice(0, cut))) {
        found.push({ start: match.index, end: match.index + cut, placeholder: '[IBAN]', finding: { type: 'iban' } });
        break;
      }
    }
  }
  return found;
}

/** CN IDs, also where another number runs into one ("2024" + ID): every 18-character window of a run is checked. */
function chineseIds(text: string): Replacement[] {
  const found: Replacement[] = [];
  for (const run of text.matchAll(CN_ID_RUN)) {
    for (let offset = 0; offset + CN_ID_LENGTH <= run[0].length; offset += 1) {
      if (isChineseResidentId(run[0].slice(offset, offset + CN_ID_LENGTH))) {
        const start = run.index + offset;
        found.push({ start, end: start + CN_ID_LENGTH, placeholder: '[CN_ID]', finding: { type: 'cn_id' } });
        offset += CN_ID_LENGTH - 1;
      }
    }
  }
  return found;
}

interface DigitGroup {
  start: number;
  end: number;
}

/** Runs of digit groups joined by single spaces or hyphens ("4539 5260-1815 9083"), in one linear scan. */
function digitRuns(text: string): DigitGroup[][] {
  const runs: DigitGroup[][] = [];
  let index = 0;
  while (index < text.length) {
    if (!isDigit(text.charCodeAt(index))) {
      index += 1;
      continue;
    }
    const groups: DigitGroup[] = [];
    for (;;) {
      const start = index;
      while (index < text.length && isDigit(text.charCodeAt(index))) index += 1;
      groups.push({ start, end: index });
      const separator = text.charAt(index);
      if ((separator === ' ' || separator === '-') && isDigit(text.charCodeAt(index + 1))) index += 1;
      else break;
    }
    runs.push(groups);
  }
  return runs;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function digitsOf(text: string, groups: readonly DigitGroup[]): string {
  return groups.map((group) => text.slice(group.start, group.end)).join('');
}

/**
 * Card numbers are typed in one block or in groups of 4–6 starting with a group of 4 (4-4-4-4, Amex 4-6-5,
 * 4-4-4-4-3); a run grouped any other way ("478-300-1621 2024", "07814 546787 2024") is a phone number followed by another number.
 */
function isCardShaped(groups: readonly DigitGroup[]): boolean {
  if (groups.length === 1) return true;
  const first = groups[0];
  if (first === undefined || first.end - first.start !== 4) return false;
  return groups.slice(1, -1).every((group) => group.end - group.start >= 4 && group.end - group.start <= 6);
}

function cardReplacement(text: string, groups: readonly DigitGroup[], fullCard: boolean): Replacement {
  const first = groups[0] ?? { start: 0, end: 0 };
  const last = groups[groups.length - 1] ?? first;
  const last4 = digitsOf(text, groups).slice(-4);
  return { start: first.start, end: last.end, placeholder: `[CARD ••••${last4}]`, finding: { type: 'card', last4 }, fullCard };
}

/** Longest Luhn-valid 13–19 digit window of consecutive groups, starting at each group in turn. */
function cardWindows(text: string, groups: readonly DigitGroup[]): Replacement[] {
  const found: Replacement[] = [];
  let startGroup = 0;
  while (startGroup < groups.length) {
    let best = -1;
    let digits = '';
    for (let endGroup = startGroup; endGroup < groups.length; endGroup += 1) {
      const group = groups[endGroup];
      if (group === undefined) break;
      digits += text.slice(group.start, group.end);
      if (digits.length > 19) break;
      if (digits.length >= 13 && isLuhnValid(digits) && isCardShaped(groups.slice(startGroup, endGroup + 1))) best = endGroup;
    }
    if (best >= 0) {
      found.push(cardReplacement(text, groups.slice(startGroup, best + 1), true));
      startGroup = best + 1;
    } else {
      startGroup += 1;
    }
  }
  return found;
}

function cards(text: string): Replacement[] {
  const found: Replacement[] = [];
  for (const groups of digitRuns(text)) {
    // Nobody writes a card number after a "+": that is an international phone number ("+86-152 5409 2486").
    if (text.charAt((groups[0]?.start ?? 0) - 1) === '+') continue;
    const digits = digitsOf(text, groups);
    const unionPay = digits.startsWith('62') && digits.length >= 16 && digits.length <= 19;
    if (digits.length >= 13 && digits.length <= 19 && (isLuhnValid(digits) || unionPay) && isCardShaped(groups)) {
      found.push(cardReplacement(text, groups, true));
      continue;
    }
    // A card may share a run with a neighbouring number ("no. 2 4539 5260 1815 9083"): try group windows.
    const windows = groups.length > 1 && digits.length > 13 ? cardWindows(text, groups) : [];
    found.push(...windows);
    const before = text.slice(Math.max(0, (groups[0]?.start ?? 0) - 24), groups[0]?.start ?? 0);
    if (windows.length === 0 && digits.length >= 12 && CARD_CUE.test(before)) {
      found.push(cardReplacement(text, groups, digits.length >= 13 && digits.length <= 19));
    }
  }
  return found;
}

function phones(text: string): Replacement[] {
  return phoneSpans(text).map((span) => ({ ...span, placeholder: '[PHONE]', finding: { type: 'phone' } }));
}

/** Redacts personal data from `text`; see the module header for what is found and in which order. */
export function redactPii(text: string): PiiRedaction {
  const applied: Replacement[] = [];
  let working: Working = { original: text, folded: foldWidth(text) };
  for (const detect of [emails, secrets, ibans, chineseIds, cards, phones]) {
    working = apply(working, detect(working.folded), applied);
  }
  return {
    text: working.original,
    findings: applied.map((replacement) => replacement.finding),
    containsSecret: applied.some((replacement) => replacement.finding.type === 'secret'),
    containsFullCardNumber: applied.some((replacement) => replacement.fullCard === true),
    identifiers: applied.flatMap((replacement) => {
      const type = replacement.finding.type;
      return type === 'secret' || replacement.raw === undefined ? [] : [{ type, value: normalizeIdentifier(type, replacement.raw) }];
    }),
  };
}
