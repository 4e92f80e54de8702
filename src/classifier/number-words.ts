/**
 * Numbers written in words, for amounts in hotline transcripts and chat: English ("eighteen thousand",
 * "three hundred and ten") and Chinese numerals ("二十多万", "一万二", "两万几", "三千几"). Approximate amounts
 * ("二十多万", "几十万") give their lower bound; 几 ("a few") counts as 2 when it leads and as 0 after a digit.
 */

const ENGLISH_UNITS: Readonly<Record<string, number>> = {
  zero: 0, a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18,
  nineteen: 19, twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
};

/** Alternation of every English number word, longest first so "seventy" is tried before "seven". */
export const ENGLISH_NUMBER_WORDS: string = [...Object.keys(ENGLISH_UNITS), 'hundred', 'thousand', 'million', 'and']
  .sort((left, right) => right.length - left.length)
  .join('|');

/**
 * The value of an English number phrase ("eighteen thousand", "three hundred and ten", "twenty-five"), or
 * undefined when it holds no number word at all ("a", "and").
 */
export function parseEnglishNumber(phrase: string): number | undefined {
  let total = 0;
  let current = 0;
  let sawNumber = false;
  const words = phrase.split(/[ -]/);
  for (const [index, word] of words.entries()) {
    const unit = ENGLISH_UNITS[word];
    const next = words[index + 1] ?? '';
    if (word === 'a' || word === 'an') {
      // "a thousand" is 1,000; the "a" of "fifty a month" is no number.
      if (next === 'hundred' || next === 'thousand' || next === 'million') current += 1;
    } else if (unit !== undefined) {
      sawNumber = true;
      current += unit;
    } else if (word === 'hundred') {
      current = Math.max(current, 1) * 100;
    } else if (word === 'thousand' || word === 'million') {
      total += Math.max(current, 1) * (word === 'thousand' ? 1_000 : 1_000_000);
      current = 0;
      sawNumber = true;
    }
  }
  return sawNumber ? total + current : undefined;
}

const CHINESE_DIGITS: Readonly<Record<string, number>> = {
  零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};
const CHINESE_SMALL_UNITS: Readonly<Record<string, number>> = { 十: 10, 百: 100, 千: 1_000 };
const CHINESE_LARGE_UNITS: Readonly<Record<string, number>> = { 万: 10_000, 亿: 100_000_000 };

/** Characters a Chinese numeral is made of (多/余 "and more" are read as 0). */
export const CHINESE_NUMERAL_CHARACTERS = '零〇一二两三四五六七八九十百千万亿几多余';

/** Characters a Chinese numeral may start with: a digit, 十 or 几 (not 万一, 千万, 百万保障, 多出来). */
export const CHINESE_NUMERAL_START = /[零〇一二两三四五六七八九十几]/;

/** The value of a Chinese numeral such as 二十多万 (200000), 一万二 (12000), 三千几 (3000), 几十万 (200000). */
export function parseChineseNumber(numeral: string): number {
  let total = 0;
  let section = 0;
  let digit = 0;
  let lastUnit = 1;
  let index = 0;
  for (const character of numeral) {
    const value = CHINESE_DIGITS[character];
    const smallUnit = CHINESE_SMALL_UNITS[character];
    const largeUnit = CHINESE_LARGE_UNITS[character];
    if (value !== undefined) {
      digit = value;
    } else if (character === '几') {
      digit = index === 0 ? 2 : 0;
    } else if (smallUnit !== undefined) {
      section += (digit === 0 && smallUnit === 10 ? 1 : digit) * smallUnit;
      digit = 0;
      lastUnit = smallUnit;
    } else if (largeUnit !== undefined) {
      total = (total + section + digit) * largeUnit;
      section = 0;
      digit = 0;
      lastUnit = largeUnit;
    }
    index += 1;
  }
  if (digit > 0) {
    // 一万二 = 12000 and 三千二 = 3200: a lone digit right after a unit counts in the next unit down.
    section += lastUnit >= 10 && isDirectlyAfterUnit(numeral) ? digit * (lastUnit / 10) : digit;
  }
  return total + section;
}

/** Whether the numeral ends in one digit right after a unit (一万二, 三千二), ignoring a trailing 多/余. */
function isDirectlyAfterUnit(numeral: string): boolean {
  const trimmed = numeral.replace(/[多余]$/, '');
  if (CHINESE_DIGITS[trimmed[trimmed.length - 1] ?? ''] === undefined) return false;
  const before = trimmed[trimmed.length - 2];
  return before !== undefined && (CHINESE_SMALL_UNITS[before] !== undefined || CHINESE_LARGE_UNITS[before] !== undefined);
}
