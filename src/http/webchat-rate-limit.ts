/**
 * A token bucket per key (a web chat session): `limit` messages at once, refilled at `limit` per `windowMs`. It
 * lives in the process's memory, so with several HTTP processes each allows its own share — it slows a runaway
 * page or script down; it is not an accounting. Idle buckets are dropped as the map grows.
 */
import type { Clock } from '../shared/clock.js';

export interface RateLimiter {
  /** Takes one token for `key`: allowed, or refused with how long until one is back. */
  take(key: string): { allowed: true } | { allowed: false; retryAfterMs: number };
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

const PRUNE_ABOVE = 10_000;

export function createRateLimiter(options: { limit: number; windowMs: number; clock: Clock }): RateLimiter {
  const buckets = new Map<string, Bucket>();
  const perMs = options.limit / options.windowMs;

  const prune = (now: number): void => {
    for (const [key, bucket] of buckets) {
      if (now - bucket.updatedAt >= options.windowMs) buckets.delete(key);
    }
  };

  return {
    take(key) {
      const now = options.clock.now().getTime();
      if (buckets.size > PRUNE_ABOVE) prune(now);
      const bucket = buckets.get(key) ?? { tokens: options.limit, updatedAt: now };
      bucket.tokens = Math.min(options.limit, bucket.tokens + Math.max(0, now - bucket.updatedAt) * perMs);
      bucket.updatedAt = now;
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { allowed: true };
      }
      return { allowed: false, retryAfterMs: Math.ceil((1 - bucket.tokens) / perMs) };
    },
  };
}
