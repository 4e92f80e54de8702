/**
 * Encodings: one transcript written as UTF-8 (with and without BOM), UTF-16 LE/BE (BOM), BOM-less UTF-16 LE and
 * GBK/GB18030 parses to the same turns; double-encoded UTF-8 is repaired and genuine Latin-1 text left alone.
 */
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeTranscriptText, repairDoubleEncodedUtf8 } from './decode.js';
import { parseTranscript } from './index.js';

const CALL = '坐席：您好，某某银行，请问有什么可以帮您？\n客户：我的卡被扣了两次年费 — 要退钱。\nAgent: Thank you, let me check.\n';

function utf16be(text: string): Buffer {
  const little = Buffer.from(text, 'utf16le');
  const big = Buffer.alloc(little.length);
  for (let index = 0; index < little.length; index += 2) {
    big[index] = little[index + 1] ?? 0;
    big[index + 1] = little[index] ?? 0;
  }
  return big;
}

describe('decodeTranscriptText', () => {
  const variants: [string, Buffer][] = [
    ['UTF-8', Buffer.from(CALL, 'utf8')],
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CALL, 'utf8')])],
    ['UTF-16 LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CALL, 'utf16le')])],
    ['UTF-16 BE with BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(CALL)])],
    ['GBK', iconv.encode(CALL, 'gbk')],
    ['GB18030', iconv.encode(CALL, 'gb18030')],
  ];

  it.each(variants)('%s decodes to the same text', (_name, bytes) => {
    expect(decodeTranscriptText(bytes)).toBe(CALL);
  });

  it('every encoding of one call parses to the same turns', () => {
    const [reference, ...others] = variants.map(([, bytes]) => parseTranscript({ bytes }).turns);
    expect(reference).toHaveLength(3);
    expect(reference?.[0]).toMatchObject({ rawSpeaker: '坐席', role: 'agent', text: '您好，某某银行，请问有什么可以帮您？' });
    for (const turns of others) expect(turns).toEqual(reference);
  });

  it('reads BOM-less UTF-16 LE of mostly-ASCII text', () => {
    const text = 'Agent: Thank you for calling.\nCustomer: My card was charged twice.\n';
    expect(decodeTranscriptText(Buffer.from(text, 'utf16le'))).toBe(text);
  });

  it('repairs double-encoded UTF-8 read as Latin-1 (C3 A2 C2 80 C2 94) and as Windows-1252 (â€”)', () => {
    expect(decodeTranscriptText(Buffer.from([0x65, 0x64, 0xc3, 0xa2, 0xc2, 0x80, 0xc2, 0x94]))).toBe('ed—');
    expect(repairDoubleEncodedUtf8('e-mailedâ€” then Ã©tÃ© and ä½\u00a0å¥½')).toBe('e-mailed— then été and 你好');
  });

  it('leaves genuine accented text alone', () => {
    for (const text of ['Café crème à la française', 'Ärger über Öl', 'señor Ñandú', 'Â, a lone circumflex']) {
      expect(repairDoubleEncodedUtf8(text)).toBe(text);
    }
  });
});
