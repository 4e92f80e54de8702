/**
 * A circuit breaker for the LLM endpoint: after `failureThreshold` consecutive failed calls it opens and refuses
 * calls for `cooldownMs`; then it lets one trial call through (half-open). The trial's success closes it, its
 * failure opens it for another cooldown. Time comes from an injected clock so tests need not sleep.
 */
import { systemClock, type Clock } from '../../shared/index.js';

export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitBreakerOptions {
  failureThreshold: number;
  cooldownMs: number;
  clock?: Clock;
}

export interface CircuitBreaker {
  /** True when a call may go ahead; every true must be followed by one record call. */
  tryAcquire(): boolean;
  recordSuccess(): void;
  recordFailure(): void;
  /** The call ended without saying anything about the endpoint's health (e.g. it never left the queue). */
  recordNeutral(): void;
  state(): CircuitState;
}

export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  const clock = options.clock ?? systemClock;
  let consecutiveFailures = 0;
  let openedAt: number | null = null;
  let trialInFlight = false;

  const now = () => clock.now().getTime();
  const state = (): CircuitState => {
    if (openedAt === null) return 'closed';
    return now() - openedAt >= options.cooldownMs ? 'half_open' : 'open';
  };

  return {
    state,
    tryAcquire() {
      const current = state();
      if (current === 'closed') return true;
      if (current === 'open' || trialInFlight) return false;
      trialInFlight = true;
      return true;
    },
    recordSuccess() {
      consecutiveFailures = 0;
      openedAt = null;
      trialInFlight = false;
    },
    recordFailure() {
      consecutiveFailures += 1;
      if (trialInFlight || consecutiveFailures >= options.failureThreshold) openedAt = now();
      trialInFlight = false;
    },
    recordNeutral() {
      trialInFlight = false;
    },
  };
}
