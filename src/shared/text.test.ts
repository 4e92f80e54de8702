import { describe, expect, it } from 'vitest';
import { decodeJsonBody } from './json.js';
import { splitText, withTypedOptions } from './text.js';

describe('splitText', () => {
  it('cuts at a line break, else a space, else hard without splitting a surrogate pair, and loses nothing but the cut', () => {
    expect(splitText('short', 10)).toEqual(['short']);
    expect(splitText('', 10)).toEqual(['']);
    expect(splitText('aaaa\nbbbb cccc', 9)).toEqual(['aaaa', 'bbbb cccc']);
    expect(splitText('aaaa bbbb cccc', 9)).toEqual(['aaaa bbbb', 'cccc']);
    expect(splitText('abcdefgh😀ij', 9)).toEqual(['abcdefgh', '😀ij']);
    for (const part of splitText('x'.repeat(25), 10)) expect(part.length).toBeLessThanOrEqual(10);
    expect(splitText('x'.repeat(25), 10).join('')).toBe('x'.repeat(25));
  });

  it('lists the quick replies the text does not name, as what to type back', () => {
    expect(withTypedOptions('Which product?', [{ label: 'Cards', value: 'product:cards' }, { label: 'skip', value: 'skip' }])).toBe('Which product?\nproduct:cards: Cards\nskip');
    expect(withTypedOptions('Answer yes or skip', [{ label: 'skip', value: 'skip' }])).toBe('Answer yes or skip');
  });
});

describe('decodeJsonBody', () => {
  it('parses strict UTF-8 JSON and refuses anything else with PAYLOAD_INVALID naming the body', () => {
    expect(decodeJsonBody(Buffer.from('{"a":"好"}'), 'The body')).toEqual({ a: '好' });
    expect(() => decodeJsonBody(Buffer.from([0xff, 0x7b]), 'The body')).toThrow(/The body is not UTF-8 text/);
    expect(() => decodeJsonBody(Buffer.from('{"a":'), 'The body')).toThrow(expect.objectContaining({ code: 'PAYLOAD_INVALID' }) as Error);
  });
});
