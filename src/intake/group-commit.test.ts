import { describe, expect, it } from 'vitest';
import { createGroupCommit } from './group-commit.js';

describe('group commit', () => {
  it('batches items submitted together and resolves each with its own result', async () => {
    const batches: number[][] = [];
    const commit = createGroupCommit<number, string>({
      maxBatch: 10,
      maxConcurrent: 1,
      flush: (items) => {
        batches.push(items);
        return Promise.resolve(items.map((item) => `ok-${item}`));
      },
    });
    const results = await Promise.all([1, 2, 3, 4, 5].map((item) => commit.submit(item)));
    expect(results).toEqual(['ok-1', 'ok-2', 'ok-3', 'ok-4', 'ok-5']);
    expect(batches).toEqual([[1, 2, 3, 4, 5]]);
    expect(commit.backlog).toBe(0);
  });

  it('respects maxBatch and maxConcurrent', async () => {
    let concurrent = 0;
    let peak = 0;
    const sizes: number[] = [];
    const commit = createGroupCommit<number, number>({
      maxBatch: 3,
      maxConcurrent: 2,
      flush: async (items) => {
        concurrent += 1;
        peak = Math.max(peak, concurrent);
        sizes.push(items.length);
        await new Promise((resolve) => setTimeout(resolve, 5));
        concurrent -= 1;
        return items;
      },
    });
    const results = await Promise.all(Array.from({ length: 20 }, (_, index) => commit.submit(index)));
    expect(results).toEqual(Array.from({ length: 20 }, (_, index) => index));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(3);
    expect(peak).toBeLessThanOrEqual(2);
  });

  it('rejects every item of a failed batch, or retries them alone when asked', async () => {
    const failing = createGroupCommit<number, number>({
      maxBatch: 10,
      maxConcurrent: 1,
      flush: () => Promise.reject(new Error('database down')),
    });
    const settled = await Promise.allSettled([1, 2].map((item) => failing.submit(item)));
    expect(settled.map((result) => result.status)).toEqual(['rejected', 'rejected']);

    const isolating = createGroupCommit<number, number>({
      maxBatch: 10,
      maxConcurrent: 1,
      flush: (items) => (items.includes(13) ? Promise.reject(new Error('bad item')) : Promise.resolve(items)),
      retryAlone: () => true,
    });
    const mixed = await Promise.allSettled([12, 13, 14].map((item) => isolating.submit(item)));
    expect(mixed.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});
