import { describe, expect, it } from 'vitest';
import { fixedClock } from '../shared/clock.js';
import { createLoginRateLimiter } from './login-rate-limit.js';

const WINDOW = 15 * 60_000;

describe('failed sign-in limits', () => {
  it('allows `limit` attempts per key in a window, then refuses until the window started by the first ends', () => {
    const clock = fixedClock(new Date('2026-03-02T09:00:00Z'));
    const limiter = createLoginRateLimiter({ windowMs: WINDOW, clock });
    const keys = [{ key: 'user:alice', limit: 3 }];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect(limiter.attempt(keys)).toEqual({ allowed: true });
      clock.advance(60_000);
    }
    expect(limiter.attempt(keys)).toEqual({ allowed: false, retryAfterMs: WINDOW - 3 * 60_000 });
    expect(limiter.attempt([{ key: 'user:bob', limit: 3 }])).toEqual({ allowed: true });
    clock.advance(WINDOW - 3 * 60_000);
    expect(limiter.attempt(keys)).toEqual({ allowed: true });
  });

  it('refuses when any key is at its limit, and then counts nothing against the others', () => {
    const clock = fixedClock(new Date('2026-03-02T09:00:00Z'));
    const limiter = createLoginRateLimiter({ windowMs: WINDOW, clock });
    expect(limiter.attempt([{ key: 'address:10.0.0.1', limit: 1 }])).toEqual({ allowed: true });
    expect(limiter.attempt([{ key: 'user:alice', limit: 2 }, { key: 'address:10.0.0.1', limit: 1 }]).allowed).toBe(false);
    expect(limiter.attempt([{ key: 'user:alice', limit: 1 }])).toEqual({ allowed: true });
  });

  it('after a success forgets the username’s failures and takes back only that attempt from the address', () => {
    const clock = fixedClock(new Date('2026-03-02T09:00:00Z'));
    const limiter = createLoginRateLimiter({ windowMs: WINDOW, clock });
    const both = [{ key: 'user:alice', limit: 2 }, { key: 'address:10.0.0.1', limit: 3 }];
    expect(limiter.attempt(both).allowed).toBe(true);
    expect(limiter.attempt(both).allowed).toBe(true);
    limiter.succeeded({ reset: ['user:alice'], refund: ['address:10.0.0.1'] });
    // The address has 1 failure left on its count (2 attempts, 1 refunded): two more allowed, then refused.
    expect(limiter.attempt(both).allowed).toBe(true);
    expect(limiter.attempt([{ key: 'user:carol', limit: 5 }, { key: 'address:10.0.0.1', limit: 3 }]).allowed).toBe(true);
    expect(limiter.attempt([{ key: 'user:dave', limit: 5 }, { key: 'address:10.0.0.1', limit: 3 }]).allowed).toBe(false);
  });
});
