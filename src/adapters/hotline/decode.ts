/**
 * Bytes → text for every transcript, whatever the call centre's export tool wrote: UTF-8 with or without a BOM,
 * UTF-16 LE/BE with a BOM (and BOM-less UTF-16 that is plainly so: NUL in every other byte), GB18030 (a superset of
 * GBK) when the bytes are not valid UTF-8, and then a repair of double-encoded UTF-8 — UTF-8 bytes once read as
 * Latin-1 or Windows-1252 and written again as UTF-8 (`â€”` for `—`), a realistic hazard (webvtt-1). One pass each.
 */
import iconv from 'iconv-lite';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeTranscriptText(bytes: Buffer): string {
  return repairDoubleEncodedUtf8(decodeBytes(bytes));
}

function decodeBytes(bytes: Buffer): string {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.toString('utf8', 3);
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return iconv.decode(bytes.subarray(2), 'utf-16le');
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return iconv.decode(bytes.subarray(2), 'utf-16be');
  const utf16 = bomlessUtf16(bytes);
  if (utf16) return iconv.decode(bytes, utf16);
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return iconv.decode(bytes, 'gb18030');
  }
}

/** UTF-16 without a BOM: mostly-ASCII text has a NUL in (nearly) every other byte of its first kilobyte. */
function bomlessUtf16(bytes: Buffer): 'utf-16le' | 'utf-16be' | undefined {
  const sample = Math.min(bytes.length, 1024) & ~1;
  if (sample < 4) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let index = 0; index < sample; index += 2) {
    if (bytes[index] === 0) evenNul += 1;
    if (bytes[index + 1] === 0) oddNul += 1;
  }
  const pairs = sample / 2;
  if (oddNul >= pairs * 0.9 && evenNul === 0) return 'utf-16le';
  if (evenNul >= pairs * 0.9 && oddNul === 0) return 'utf-16be';
  return undefined;
}

/** Windows-1252's 0x80–0x9F, the bytes a double-encoding step most often turns into these characters. */
const WINDOWS_1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

function byteOf(character: string): number | undefined {
  const code = character.charCodeAt(0);
  if (code >= 0x80 && code <= 0xff) return code;
  const index = WINDOWS_1252_HIGH.indexOf(character);
  return index >= 0 ? 0x80 + index : undefined;
}

function continuationCount(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 1;
  if (lead >= 0xe0 && lead <= 0xef) return 2;
  if (lead >= 0xf0 && lead <= 0xf4) return 3;
  return 0;
}

/**
 * Replaces each run of characters that spells a well-formed UTF-8 sequence byte by byte (a lead `Â`–`ô` followed by
 * the right number of continuation characters, each standing for a byte 0x80–0xBF) with the character it encodes.
 * Genuine Latin-1 text almost never has that shape (`Ã` followed by `©` is `é`, not French).
 */
export function repairDoubleEncodedUtf8(input: string): string {
  if (!/[\u00c2-\u00f4]/.test(input)) return input;
  let output = '';
  let index = 0;
  while (index < input.length) {
    const character = input.charAt(index);
    const lead = character.charCodeAt(0);
    const needed = lead >= 0xc2 && lead <= 0xf4 ? continuationCount(lead) : 0;
    if (needed > 0 && index + needed < input.length) {
      const bytes = [lead];
      for (let offset = 1; offset <= needed; offset += 1) {
        const byte = byteOf(input.charAt(index + offset));
        if (byte === undefined || byte < 0x80 || byte > 0xbf) break;
        bytes.push(byte);
      }
      if (bytes.length === needed + 1) {
        try {
          output += strictUtf8.decode(Uint8Array.from(bytes));
          index += needed + 1;
          continue;
        } catch {
          // not a valid sequence after all (an overlong or surrogate form): keep the characters as they are
        }
      }
    }
    output += character;
    index += 1;
  }
  return output;
}
