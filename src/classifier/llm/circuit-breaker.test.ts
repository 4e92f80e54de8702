import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/index.js';
import { createCircuitBreaker } from './circuit-breaker.js';

describe('createCircuitBreaker', () => {
  it('opens after N consecutive failures, not after failures broken by a success', () => {
    const breaker = createCircuitBreaker({ failureThreshold: 3, cooldownMs: 1_000, clock: fixedClock(new Date(0)) });
    breaker.recordFailure();
    breaker.recordFailure();
    breaker.recordSuccess();
    breaker.recordFailure();
    breaker.recordFailure();
    expect(breaker.state()).toBe('closed');
    breaker.recordFailure();
    expect(breaker.state()).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
  });

  it('lets one trial through when half-open, and a neutral end frees the trial slot', () => {
    const clock = fixedClock(new Date(0));
    const breaker = createCircuitBreaker({ failureThreshold: 1, cooldownMs: 1_000, clock });
    breaker.recordFailure();
    clock.advance(1_000);
    expect(breaker.state()).toBe('half_open');
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
    breaker.recordNeutral();
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordSuccess();
    expect(breaker.state()).toBe('closed');
  });
});
