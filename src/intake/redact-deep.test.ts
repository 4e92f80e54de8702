import { describe, expect, it } from 'vitest';
import { redactDeep, storable } from './redact-deep.js';

describe('redactDeep and storable', () => {
  it('replaces NUL and unpaired surrogates, and keeps valid pairs', () => {
    expect(storable('a\u0000b')).toBe('a\uFFFDb');
    expect(storable('x\uD83Dy')).toBe('x\uFFFDy');
    expect(storable('x\uDE00y')).toBe('x\uFFFDy');
    expect(storable('ok 😀 好')).toBe('ok 😀 好');
  });

  it('redacts each distinct string once, reusing what the caller already redacted', () => {
    const known = new Map([['call me on 13912345678', 'call me on [PHONE] (known)']]);
    expect(redactDeep({ text: 'call me on 13912345678', again: ['call me on 13912345678'], other: 'card 4111 1111 1111 1111' }, 0, known)).toEqual({
      text: 'call me on [PHONE] (known)',
      again: ['call me on [PHONE] (known)'],
      other: 'card [CARD ••••1111]',
    });
  });

  it('makes keys and values of a raw payload storable, and redacts PII in them', () => {
    expect(redactDeep({ 'k\u0000': ['call 13912345678\u0000'], nested: { n: 1, t: null } })).toEqual({ 'k\uFFFD': ['call [PHONE]\uFFFD'], nested: { n: 1, t: null } });
  });
});
