/**
 * Failed console sign-ins, counted per key (`user:<username>`, `address:<client address>`) in a fixed window that
 * starts at the key's first failure: at `limit` failures the key is refused until the window ends. Only failures
 * count: a success clears the username's count and takes back its own attempt from the address's (it does not clear
 * the address's, so a valid account cannot be used to wipe the failures made from there).
 *
 * The counts live in the process's memory (decision 0014): with several `ombuds serve` processes each allows its
 * own `limit`, and a restart forgets them. That still turns an online guessing attack into a handful of guesses per
 * window per process, against scrypt-hashed passwords and 192-bit API keys.
 */
import type { Clock } from '../shared/clock.js';

export interface LoginRateLimiter {
  /**
   * Takes one attempt for every key, counted as a failure at once (so attempts racing in parallel cannot all pass
   * the check), or refuses when any key is at its limit, with how long until the latest of them may try again.
   */
  attempt(keys: readonly { key: string; limit: number }[]): { allowed: true } | { allowed: false; retryAfterMs: number };
  /** The attempt succeeded: forget `reset`'s failures (the username), and take back this attempt from `refund` (the address). */
  succeeded(options: { reset: readonly string[]; refund: readonly string[] }): void;
}

interface Window {
  failures: number;
  endsAt: number;
}

/** Above this many keys the ended windows are dropped; above twice as many the oldest go too (memory stays bounded). */
const PRUNE_ABOVE = 10_000;

export function createLoginRateLimiter(options: { windowMs: number; clock: Clock }): LoginRateLimiter {
  const windows = new Map<string, Window>();

  const prune = (now: number): void => {
    for (const [key, window] of windows) if (window.endsAt <= now) windows.delete(key);
    for (const key of windows.keys()) {
      if (windows.size <= PRUNE_ABOVE * 2) break;
      windows.delete(key);
    }
  };

  const current = (key: string, now: number): Window | undefined => {
    const window = windows.get(key);
    if (window && window.endsAt <= now) {
      windows.delete(key);
      return undefined;
    }
    return window;
  };

  return {
    attempt(keys) {
      const now = options.clock.now().getTime();
      if (windows.size > PRUNE_ABOVE) prune(now);
      let retryAfterMs = 0;
      for (const { key, limit } of keys) {
        const window = current(key, now);
        if (window && window.failures >= limit) retryAfterMs = Math.max(retryAfterMs, window.endsAt - now);
      }
      if (retryAfterMs > 0) return { allowed: false, retryAfterMs };
      for (const { key } of keys) {
        const window = current(key, now) ?? { failures: 0, endsAt: now + options.windowMs };
        window.failures += 1;
        windows.set(key, window);
      }
      return { allowed: true };
    },
    succeeded({ reset, refund }) {
      for (const key of reset) windows.delete(key);
      for (const key of refund) {
        const window = windows.get(key);
        if (window) window.failures = Math.max(0, window.failures - 1);
      }
    },
  };
}
