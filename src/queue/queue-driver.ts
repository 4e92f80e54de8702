/**
 * The one interface both queue drivers implement (DESIGN.md §5): BullMQ on Redis in production, an in-process
 * driver for the embedded default. The database is the system of record; queues only dispatch work, so every
 * job can be re-created from database state (see the reconciler) and every job id is deterministic.
 */
import type { JobPayloads, QueueName } from '../contracts/index.js';

export interface EnqueueOptions {
  /** Deterministic id: adding a job whose id is already waiting, delayed or active is a no-op. */
  jobId: string;
  /** Run no earlier than this many ms from now. */
  delayMs?: number;
  /** Overrides the driver's default attempts for this job. */
  attempts?: number;
  /** Lower runs first (BullMQ semantics); omitted = normal. */
  priority?: number;
}

export interface JobContext {
  jobId: string;
  /** 1 on the first run. */
  attempt: number;
  maxAttempts: number;
}

/**
 * Processes one job. Throw to retry with backoff; throw {@link PermanentJobFailure} to give up at once.
 * Processors must be idempotent: a job may run more than once (a worker killed mid-job, a re-enqueue).
 */
export type Processor<Q extends QueueName> = (payload: JobPayloads[Q], context: JobContext) => Promise<void>;

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
}

export interface QueueDriver {
  readonly kind: 'bullmq' | 'in-process';
  enqueue<Q extends QueueName>(queue: Q, payload: JobPayloads[Q], options: EnqueueOptions): Promise<void>;
  enqueueMany<Q extends QueueName>(
    queue: Q,
    jobs: readonly { payload: JobPayloads[Q]; options: EnqueueOptions }[],
  ): Promise<void>;
  /** Starts consuming `queue` with `processor` in this process. Call before {@link start}. */
  process<Q extends QueueName>(queue: Q, processor: Processor<Q>, options?: { concurrency?: number }): void;
  /** Starts the workers registered with {@link process}. */
  start(): Promise<void>;
  counts(queue: QueueName): Promise<QueueCounts>;
  /**
   * Makes the failed jobs of `queue` runnable again (BullMQ: moved back to waiting; in-process: their ids released
   * so that re-enqueueing them runs them). Failed ids are otherwise kept, and adding one is a no-op, so a
   * reconciler calls this before re-enqueueing what the database says is still pending.
   */
  retryFailed(queue: QueueName): Promise<void>;
  /** Resolves when the backing store answers; rejects otherwise (readiness). */
  ping(): Promise<void>;
  /** Stops workers (letting active jobs finish up to a grace period) and closes connections. */
  close(): Promise<void>;
}

/** Thrown by a processor when retrying cannot help (BullMQ's UnrecoverableError in the BullMQ driver). */
export class PermanentJobFailure extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentJobFailure';
  }
}

export interface QueueDriverConfig {
  /** Default attempts per job (first run included). */
  attempts: number;
  /** Base of the exponential backoff, ms. */
  backoffMs: number;
  /** Default worker concurrency per queue. */
  concurrency: number;
}
