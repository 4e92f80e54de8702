/**
 * The reconciler: the database says which inbound messages are still pending; make sure each has an intake job
 * (and, through `others`, that every due outbound message, webhook delivery and open clock has its job).
 * Run at start-up and periodically, so a Redis flush or a crash between commit and enqueue loses nothing. Job ids
 * are deterministic, so re-enqueuing a message whose job still exists is a no-op.
 */
import { jobIds } from '../contracts/index.js';
import type { Logger } from '../shared/logger.js';
import type { QueueDriver } from '../queue/index.js';
import { listPendingInbound, type Database } from '../store/index.js';

export interface ReconcilerConfig {
  database: Database;
  queue: QueueDriver;
  logger: Logger;
  pageSize?: number;
  /**
   * The other queues' reconcilers (outbound messages, webhook deliveries, timers), run after intake's on every
   * pass; each returns how many jobs it (re-)enqueued. One failing does not stop the others.
   */
  others?: readonly { name: string; run: () => Promise<number> }[];
}

export interface Reconciler {
  /** Enqueues every pending message; returns how many were (re-)enqueued. */
  reconcileOnce(): Promise<number>;
  /** Runs {@link reconcileOnce} now and then every `intervalMs` until stopped. */
  start(intervalMs: number): void;
  stop(): Promise<void>;
}

export function createReconciler(config: ReconcilerConfig): Reconciler {
  const pageSize = config.pageSize ?? 500;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;

  async function reconcileOnce(): Promise<number> {
    let total = 0;
    let after: { receivedAt: Date; id: string } | undefined;
    // A job that failed outside the processor's reach (stalled twice, the database down at its last attempt) keeps
    // its id in the queue; release it so the pending message below is enqueued again.
    await config.queue.retryFailed('intake');
    for (;;) {
      const page = await listPendingInbound(config.database, { limit: pageSize, ...(after ? { after } : {}) });
      if (page.length === 0) break;
      await config.queue.enqueueMany(
        'intake',
        page.map((row) => ({ payload: { messageId: row.id }, options: { jobId: jobIds.intake(row.id) } })),
      );
      total += page.length;
      const last = page[page.length - 1];
      if (!last || page.length < pageSize) break;
      after = last;
    }
    if (total > 0) config.logger.info({ count: total }, 'reconciler enqueued pending messages');
    for (const other of config.others ?? []) {
      try {
        const count = await other.run();
        if (count > 0) config.logger.info({ count, queue: other.name }, 'reconciler re-enqueued jobs');
        total += count;
      } catch (error) {
        config.logger.warn({ err: error, queue: other.name }, 'reconcile failed; will try again');
      }
    }
    return total;
  }

  function tick(): void {
    if (running) return;
    running = reconcileOnce()
      .catch((error: unknown) => {
        config.logger.warn({ err: error }, 'reconcile failed; will try again');
        return 0;
      })
      .finally(() => {
        running = null;
      });
  }

  return {
    reconcileOnce,
    start(intervalMs) {
      tick();
      timer = setInterval(tick, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
}
