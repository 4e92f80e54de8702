/**
 * The in-process queue driver for the embedded single-process default (DESIGN.md §5): the same semantics as the
 * BullMQ driver, held in memory. Jobs do not survive a restart; the reconciler re-creates them from the database.
 * Not for production, and it says so in the log when created.
 */
import { QueueName, type JobPayloads } from '../contracts/index.js';
import { systemClock, type Clock } from '../shared/clock.js';
import { QueueUnavailable } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { ActiveJobs } from './active-jobs.js';
import { InProcessQueue, type StoredJob } from './in-process-queue.js';
import { backoffDelayMs, isPermanentJobFailure, parsePayload, validateEnqueueOptions } from './job-policy.js';
import type {
  EnqueueOptions,
  JobContext,
  Processor,
  QueueCounts,
  QueueDriver,
  QueueDriverConfig,
} from './queue-driver.js';

export interface InProcessDriverConfig extends QueueDriverConfig {
  logger?: Logger;
  /** Stamps failed jobs for their retention; timers themselves use the global `setTimeout`. */
  clock?: Clock;
  /** How long `close()` lets active jobs finish. Default 10 000 ms. */
  closeGraceMs?: number;
}

interface Registration {
  /** Checks the stored payload against the queue's contract, then calls the processor. */
  run: (payload: unknown, context: JobContext) => Promise<void>;
  concurrency: number;
}

export function createInProcessDriver(config: InProcessDriverConfig): QueueDriver {
  const { logger, closeGraceMs = 10_000 } = config;
  const clock = config.clock ?? systemClock;
  const queues = new Map<QueueName, InProcessQueue>(
    QueueName.options.map((name) => [name, new InProcessQueue(() => clock.now().getTime())]),
  );
  const registrations = new Map<QueueName, Registration>();
  const activeJobs = new ActiveJobs();
  let started = false;
  let closing: Promise<void> | undefined;

  logger?.warn(
    { queueDriver: 'in-process' },
    'In-process job queue: not for production. Jobs live in memory only; after a restart the reconciler ' +
      're-creates them from the database. Set REDIS_URL to use BullMQ.',
  );

  function stateOf(queue: QueueName): InProcessQueue {
    const state = queues.get(queue);
    if (!state) throw new RangeError(`Unknown queue "${queue}".`);
    return state;
  }

  function pump(queue: QueueName): void {
    const registration = registrations.get(queue);
    if (!started || closing || !registration) return;
    const state = stateOf(queue);
    while (state.activeCount < registration.concurrency) {
      const job = state.takeNext();
      if (!job) return;
      void runJob(queue, state, job, registration);
    }
  }

  async function runJob(queue: QueueName, state: InProcessQueue, job: StoredJob, registration: Registration) {
    const context: JobContext = { jobId: job.id, attempt: job.attemptsMade + 1, maxAttempts: job.maxAttempts };
    // Never run a processor inside the caller's own enqueue() call, as a Redis-backed queue never would.
    await Promise.resolve();
    try {
      await activeJobs.run(() => registration.run(job.payload, context));
      state.finish(job);
    } catch (error) {
      job.attemptsMade += 1;
      const willRetry = !isPermanentJobFailure(error) && job.attemptsMade < job.maxAttempts;
      logger?.warn(
        { queue, jobId: job.id, attempt: context.attempt, maxAttempts: job.maxAttempts, willRetry, err: error },
        'job failed',
      );
      if (!willRetry) {
        state.markFailed(job);
      } else {
        state.finish(job);
        // After close() the retry is dropped with the rest of memory; the reconciler re-creates the job.
        if (!closing) {
          state.addDelayed(job, backoffDelayMs(config.backoffMs, job.attemptsMade), () => {
            pump(queue);
          });
        }
      }
    }
    pump(queue);
  }

  function add(queue: QueueName, payload: unknown, options: EnqueueOptions): void {
    const state = stateOf(queue);
    if (state.has(options.jobId)) return;
    const job: StoredJob = {
      id: options.jobId,
      payload: structuredClone(payload),
      maxAttempts: options.attempts ?? config.attempts,
      priority: options.priority ?? 0,
      attemptsMade: 0,
    };
    if (options.delayMs) {
      state.addDelayed(job, options.delayMs, () => {
        pump(queue);
      });
    } else {
      state.addWaiting(job);
    }
  }

  /** Runs `work` now and reports its outcome as a promise, like the BullMQ driver does. */
  function settle(work: () => void): Promise<void> {
    try {
      if (closing) throw new QueueUnavailable(new Error('The in-process queue driver is closed.'));
      work();
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  return {
    kind: 'in-process',

    enqueue<Q extends QueueName>(queue: Q, payload: JobPayloads[Q], options: EnqueueOptions): Promise<void> {
      return settle(() => {
        validateEnqueueOptions(options);
        add(queue, payload, options);
        pump(queue);
      });
    },

    enqueueMany<Q extends QueueName>(
      queue: Q,
      jobs: readonly { payload: JobPayloads[Q]; options: EnqueueOptions }[],
    ): Promise<void> {
      return settle(() => {
        for (const job of jobs) validateEnqueueOptions(job.options);
        for (const job of jobs) add(queue, job.payload, job.options);
        pump(queue);
      });
    },

    process<Q extends QueueName>(queue: Q, processor: Processor<Q>, options?: { concurrency?: number }): void {
      if (registrations.has(queue)) throw new Error(`A processor for queue "${queue}" is already registered.`);
      registrations.set(queue, {
        run: (payload, context) => processor(parsePayload(queue, payload), context),
        concurrency: options?.concurrency ?? config.concurrency,
      });
      pump(queue);
    },

    start(): Promise<void> {
      started = true;
      for (const queue of registrations.keys()) pump(queue);
      return Promise.resolve();
    },

    counts(queue: QueueName): Promise<QueueCounts> {
      // Completed jobs are removed at once (as with BullMQ's removeOnComplete), so none are ever counted.
      return Promise.resolve({ ...stateOf(queue).counts(), completed: 0 });
    },

    retryFailed(queue: QueueName): Promise<void> {
      // Failed jobs keep only their id here, not their payload: releasing the id lets the reconciler re-add them.
      stateOf(queue).releaseFailed();
      return Promise.resolve();
    },

    ping(): Promise<void> {
      return Promise.resolve();
    },

    close(): Promise<void> {
      closing ??= (async () => {
        for (const state of queues.values()) state.clearTimers();
        const idle = await activeJobs.whenIdle(closeGraceMs);
        if (!idle) {
          logger?.warn({ activeJobs: activeJobs.size, closeGraceMs }, 'closed with jobs still running');
        }
      })();
      return closing;
    },
  };
}
