/**
 * Group commit: concurrent callers' items are written together, one statement per batch, instead of one
 * transaction each (decision 0004). No timer: a batch leaves as soon as a writer slot is free, so at low load an
 * item waits for nothing, and under load the items that arrive while the slots are busy form the next batches.
 */
export interface GroupCommitOptions<Item, Result> {
  /** Most items in one batch. */
  maxBatch: number;
  /** Batches in flight at once (at most the database's useful parallelism). */
  maxConcurrent: number;
  /** Writes a batch; returns one result per item, in order. */
  flush(items: Item[]): Promise<Result[]>;
  /** Whether a failed batch should be retried item by item (to isolate one bad item from the rest). */
  retryAlone?(error: unknown): boolean;
}

interface Waiter<Item, Result> {
  item: Item;
  resolve(result: Result): void;
  reject(error: unknown): void;
}

export interface GroupCommit<Item, Result> {
  submit(item: Item): Promise<Result>;
  /** Items waiting or in flight. */
  readonly backlog: number;
}

export function createGroupCommit<Item, Result>(options: GroupCommitOptions<Item, Result>): GroupCommit<Item, Result> {
  const waiting: Waiter<Item, Result>[] = [];
  let inFlight = 0;
  let inFlightItems = 0;
  let scheduled = false;

  async function runBatch(batch: Waiter<Item, Result>[]): Promise<void> {
    try {
      const results = await options.flush(batch.map((waiter) => waiter.item));
      batch.forEach((waiter, index) => {
        waiter.resolve(results[index] as Result);
      });
    } catch (error) {
      if (batch.length > 1 && options.retryAlone?.(error) === true) {
        for (const waiter of batch) {
          try {
            const [result] = await options.flush([waiter.item]);
            waiter.resolve(result as Result);
          } catch (single) {
            waiter.reject(single);
          }
        }
      } else {
        for (const waiter of batch) waiter.reject(error);
      }
    }
  }

  function drain(): void {
    scheduled = false;
    while (inFlight < options.maxConcurrent && waiting.length > 0) {
      const batch = waiting.splice(0, options.maxBatch);
      inFlight += 1;
      inFlightItems += batch.length;
      void runBatch(batch).finally(() => {
        inFlight -= 1;
        inFlightItems -= batch.length;
        schedule();
      });
    }
  }

  function schedule(): void {
    if (scheduled || waiting.length === 0 || inFlight >= options.maxConcurrent) return;
    scheduled = true;
    // setImmediate lets the requests parsed in this turn of the event loop join the batch.
    setImmediate(drain);
  }

  return {
    submit(item) {
      return new Promise<Result>((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        schedule();
      });
    },
    get backlog() {
      return waiting.length + inFlightItems;
    },
  };
}
