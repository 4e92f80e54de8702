/**
 * Checksums that tell a real identifier from a random run of digits (DOMAIN.md §5.1): Luhn (mod 10) for card
 * numbers, ISO 7064 MOD 11-2 for Chinese resident ID numbers (GB 11643-1999), ISO 13616 mod 97 for IBANs.
 */

/** Luhn check over a string of digits only. */
export function isLuhnValid(digits: string): boolean {
  if (!/^\d{2,}$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let index = digits.length - 1; index >= 0; index -= 1) {
    let value = digits.charCodeAt(index) - 48;
    if (double) {
      value *= 2;
      if (value > 9) value -= 9;
    }
    sum += value;
    double = !double;
  }
  return sum % 10 === 0;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const ID_CHECK_CHARACTERS = '10X98765432';

/** The MOD 11-2 check character for the first 17 digits of a CN resident ID. */
export function chineseIdCheckCharacter(first17: string): string {
  let sum = 0;
  ID_WEIGHTS.forEach((weight, index) => {
    sum += (first17.charCodeAt(index) - 48) * weight;
  });
  return ID_CHECK_CHARACTERS.charAt(sum % 11);
}

function isPlausibleBirthDate(yyyymmdd: string): boolean {
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  return year >= 1900 && year <= 2099 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/** An 18-character CN resident ID: 17 digits and a check character, a plausible birth date, MOD 11-2 valid. */
export function isChineseResidentId(candidate: string): boolean {
  const value = candidate.toUpperCase();
  if (!/^[1-9]\d{16}[\dX]$/.test(value)) return false;
  return isPlausibleBirthDate(value.slice(6, 14)) && chineseIdCheckCharacter(value.slice(0, 17)) === value.charAt(17);
}

/** ISO 13616: move the first four characters to the end, letters to numbers (A = 10), remainder mod 97 is 1. */
export function isIbanValid(candidate: string): boolean {
  const value = candidate.replace(/\s/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(value)) return false;
  const rearranged = value.slice(4) + value.slice(0, 4);
  let remainder = 0;
  for (const character of rearranged) {
    const code = character.charCodeAt(0);
    const digits = code >= 65 ? String(code - 55) : character;
    for (const digit of digits) remainder = (remainder * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return remainder === 1;
}
