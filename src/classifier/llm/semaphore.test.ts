import { describe, expect, it } from 'vitest';
import { createSemaphore } from './semaphore.js';

describe('createSemaphore', () => {
  it('grants up to the limit and hands a freed slot to the first waiter', async () => {
    const semaphore = createSemaphore(1);
    const release = await semaphore.acquire();
    const order: string[] = [];
    const first = semaphore.acquire().then((next) => {
      order.push('first');
      return next;
    });
    const second = semaphore.acquire().then((next) => {
      order.push('second');
      return next;
    });
    expect(semaphore.waiting).toBe(2);
    release();
    release();
    (await first)();
    (await second)();
    expect(order).toEqual(['first', 'second']);
    expect(semaphore.inUse).toBe(0);
  });

  it('drops a waiter whose signal aborts', async () => {
    const semaphore = createSemaphore(1);
    const release = await semaphore.acquire();
    const controller = new AbortController();
    const waiting = semaphore.acquire(controller.signal);
    controller.abort(new Error('deadline'));
    await expect(waiting).rejects.toThrow('deadline');
    expect(semaphore.waiting).toBe(0);
    release();
    expect(semaphore.inUse).toBe(0);
  });
});
