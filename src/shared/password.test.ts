import { describe, expect, it } from 'vitest';
import { DEFAULT_SCRYPT, hashPassword, passwordProblem, verifyDummyPassword, verifyPassword } from './password.js';

const FAST = { N: 2 ** 10, r: 8, p: 1 };

describe('staff passwords (scrypt)', () => {
  it('stores scrypt$N$r$p$salt$hash at the default cost, with a fresh salt each time, and verifies it', async () => {
    const first = await hashPassword('correct horse battery staple');
    const second = await hashPassword('correct horse battery staple');
    expect(first).toMatch(new RegExp(`^scrypt\\$${String(DEFAULT_SCRYPT.N)}\\$8\\$1\\$[A-Za-z0-9_-]{22}\\$[A-Za-z0-9_-]{43}$`));
    expect(first).not.toBe(second);
    expect(await verifyPassword('correct horse battery staple', first)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', first)).toBe(false);
    expect(await verifyPassword('', first)).toBe(false);
  });

  it('verifies with the parameters stored in the hash, and compares Unicode as typed on any keyboard (NFKC)', async () => {
    const stored = await hashPassword('ｐａｓｓｗｏｒｄ　密码很长很长', FAST);
    expect(stored.startsWith('scrypt$1024$8$1$')).toBe(true);
    expect(await verifyPassword('password 密码很长很长', stored)).toBe(true);
  });

  it('never matches a malformed or tampered hash, and a tampered cost is refused rather than computed', async () => {
    const stored = await hashPassword('correct horse battery staple', FAST);
    const parts = stored.split('$');
    for (const bad of ['', 'plain', stored.replace('scrypt$', 'bcrypt$'), ['scrypt', String(2 ** 30), ...parts.slice(2)].join('$'), ['scrypt', '1000', ...parts.slice(2)].join('$'), `${stored.slice(0, -2)}AA`]) {
      expect(await verifyPassword('correct horse battery staple', bad)).toBe(false);
    }
  });

  it('has a dummy verification for unknown users that never matches', async () => {
    expect(await verifyDummyPassword('anything')).toBe(false);
  });

  it('wants 12 to 1,024 characters, not only spaces', () => {
    expect(passwordProblem('short')).toMatch(/at least 12/);
    expect(passwordProblem('            ')).toMatch(/only spaces/);
    expect(passwordProblem('x'.repeat(1025))).toMatch(/at most 1024/);
    expect(passwordProblem('十二个字的中文密码也可以的')).toBeNull();
    expect(passwordProblem('correct horse battery staple')).toBeNull();
  });
});
