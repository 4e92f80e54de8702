/**
 * A counting semaphore for the LLM calls in flight. A caller beyond the limit waits in a FIFO queue until a slot
 * frees or its abort signal fires (the LLM client passes its deadline, so a wait never outlasts the timeout).
 */
export interface Semaphore {
  /** Resolves with a release function once a slot is held; rejects with the signal's reason if aborted first. */
  acquire(signal?: AbortSignal): Promise<() => void>;
  /** Slots held now. */
  readonly inUse: number;
  /** Callers waiting for a slot. */
  readonly waiting: number;
}

interface Waiter {
  grant: () => void;
}

export function createSemaphore(limit: number): Semaphore {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`semaphore limit must be a positive integer, got ${limit}`);
  let inUse = 0;
  const queue: Waiter[] = [];

  const releaser = (): (() => void) => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = queue.shift();
      if (next) next.grant();
      else inUse -= 1;
    };
  };

  return {
    get inUse() {
      return inUse;
    },
    get waiting() {
      return queue.length;
    },
    acquire(signal?: AbortSignal): Promise<() => void> {
      if (signal?.aborted) return Promise.reject(signal.reason as Error);
      if (inUse < limit) {
        inUse += 1;
        return Promise.resolve(releaser());
      }
      return new Promise((resolve, reject) => {
        const onAbort = () => {
          const index = queue.indexOf(waiter);
          if (index >= 0) queue.splice(index, 1);
          reject(signal?.reason as Error);
        };
        const waiter: Waiter = {
          grant: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve(releaser());
          },
        };
        queue.push(waiter);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}
