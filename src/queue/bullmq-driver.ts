/**
 * The BullMQ queue driver (DESIGN.md §5): one BullMQ Queue per queue name on a shared producer connection, one
 * Worker per queue registered with `process()`, each on its own connection. Redis being down shows up as
 * QueueUnavailable within a bounded time, never as a hang.
 */
import { Queue, UnrecoverableError, Worker, type DefaultJobOptions, type Job, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { QueueName, type JobPayloads } from '../contracts/index.js';
import { QueueUnavailable } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { ActiveJobs } from './active-jobs.js';
import {
  failedJobRetention,
  isPermanentJobFailure,
  parsePayload,
  validateEnqueueOptions,
} from './job-policy.js';
import type {
  EnqueueOptions,
  JobContext,
  Processor,
  QueueCounts,
  QueueDriver,
  QueueDriverConfig,
} from './queue-driver.js';
import { closeRedisConnection, openRedisConnection } from './redis-connection.js';
import { createThrottledErrorLog } from './throttled-error-log.js';
import { withTimeout } from './with-timeout.js';

export interface BullmqDriverConfig extends QueueDriverConfig {
  redisUrl: string;
  /** Namespaces every BullMQ key in Redis. Default `ombuds`. */
  prefix?: string;
  /** How long a worker's lock on an active job lasts unless renewed (BullMQ `lockDuration`). Default 30 000 ms. */
  lockDurationMs?: number;
  /** How often workers look for active jobs whose worker died (BullMQ `stalledInterval`). Default 30 000 ms. */
  stalledIntervalMs?: number;
  /** How long enqueue, enqueueMany and counts wait for Redis before rejecting with QueueUnavailable. Default 2000. */
  enqueueTimeoutMs?: number;
  /** How long ping waits for Redis's PONG. Default 1000 ms. */
  pingTimeoutMs?: number;
  /** How long close() lets active jobs finish; jobs still running are then left to the stalled-job check. */
  closeGraceMs?: number;
  logger?: Logger;
}

/** The driver plus what the HTTP layer needs to mount Bull Board. */
export interface BullmqDriver extends QueueDriver {
  readonly kind: 'bullmq';
  /** The BullMQ Queue of each of the four queues, created if not yet. */
  bullQueues(): Queue[];
}

type OmbudsQueue = Queue<unknown, void>;
type OmbudsJob = Job<unknown, void>;

interface Registration {
  /** Checks the stored payload against the queue's contract, then calls the processor. */
  run: (payload: unknown, context: JobContext) => Promise<void>;
  concurrency: number;
}

interface RunningWorker {
  queue: QueueName;
  worker: Worker<unknown, void>;
  connection: Redis;
  activeJobs: ActiveJobs;
}

/** BullMQ retries anything thrown except its own UnrecoverableError. */
function toBullmqError(error: unknown): Error {
  if (isPermanentJobFailure(error)) {
    const unrecoverable = new UnrecoverableError(error.message);
    unrecoverable.cause = error;
    return unrecoverable;
  }
  return error instanceof Error ? error : new Error(String(error));
}

export function createBullmqDriver(config: BullmqDriverConfig): BullmqDriver {
  const { redisUrl, logger, prefix = 'ombuds', enqueueTimeoutMs = 2000, pingTimeoutMs = 1000 } = config;
  const closeGraceMs = config.closeGraceMs ?? 10_000;
  const producer = openRedisConnection(redisUrl, prefix, 'producer', logger);
  const queues = new Map<QueueName, OmbudsQueue>();
  const registrations = new Map<QueueName, Registration>();
  const workers: RunningWorker[] = [];
  const logBullmqError = createThrottledErrorLog(logger, { source: 'bullmq' });
  let started = false;
  let closing: Promise<void> | undefined;

  const defaultJobOptions: DefaultJobOptions = {
    attempts: config.attempts,
    backoff: { type: 'exponential', delay: config.backoffMs },
    // Removed at once so that a completed job's id may be enqueued again (BullMQ ignores an id it still holds).
    removeOnComplete: true,
    removeOnFail: { age: failedJobRetention.ageSeconds, count: failedJobRetention.count },
  };

  logger?.info({ queueDriver: 'bullmq', prefix }, 'job queue: BullMQ on Redis');

  function queueFor(name: QueueName): OmbudsQueue {
    let queue = queues.get(name);
    if (!queue) {
      queue = new Queue<unknown, void>(name, { connection: producer, prefix, defaultJobOptions });
      queue.on('error', logBullmqError);
      queues.set(name, queue);
    }
    return queue;
  }

  function jobOptions(options: EnqueueOptions): JobsOptions {
    return {
      jobId: options.jobId,
      ...(options.delayMs ? { delay: options.delayMs } : {}),
      ...(options.attempts === undefined ? {} : { attempts: options.attempts }),
      ...(options.priority ? { priority: options.priority } : {}),
    };
  }

  /** Runs a Redis operation, turning a timeout, a closed driver or a connection error into QueueUnavailable. */
  async function reachRedis<T>(operation: string, work: () => Promise<T>): Promise<T> {
    if (closing) throw new QueueUnavailable(new Error('The BullMQ queue driver is closed.'));
    try {
      return await withTimeout(
        work(),
        enqueueTimeoutMs,
        () => new Error(`Redis did not complete ${operation} within ${enqueueTimeoutMs} ms.`),
      );
    } catch (error) {
      throw new QueueUnavailable(error);
    }
  }

  async function runJob(registration: Registration, job: OmbudsJob): Promise<void> {
    const context: JobContext = {
      jobId: job.id ?? '',
      attempt: job.attemptsMade + 1,
      maxAttempts: job.opts.attempts ?? config.attempts,
    };
    try {
      await registration.run(job.data, context);
    } catch (error) {
      throw toBullmqError(error);
    }
  }

  function startWorker(queue: QueueName, registration: Registration): void {
    const connection = openRedisConnection(redisUrl, prefix, `worker-${queue}`, logger);
    const activeJobs = new ActiveJobs();
    const worker = new Worker<unknown, void>(
      queue,
      (job: OmbudsJob) => activeJobs.run(() => runJob(registration, job)),
      {
        connection,
        prefix,
        concurrency: registration.concurrency,
        // BullMQ applies its own defaults only to options that are absent, not to ones set to undefined.
        ...(config.lockDurationMs === undefined ? {} : { lockDuration: config.lockDurationMs }),
        ...(config.stalledIntervalMs === undefined ? {} : { stalledInterval: config.stalledIntervalMs }),
      },
    );
    worker.on('error', logBullmqError);
    worker.on('failed', (job, error) => {
      logger?.warn(
        { queue, jobId: job?.id, attemptsMade: job?.attemptsMade, maxAttempts: job?.opts.attempts, err: error },
        'job failed',
      );
    });
    workers.push({ queue, worker, connection, activeJobs });
  }

  /**
   * Stops fetching, lets the jobs in hand finish for up to `closeGraceMs`, then closes. A job still running is
   * abandoned: its lock expires and another worker's stalled-job check runs it again.
   */
  async function stopWorker({ queue, worker, connection, activeJobs }: RunningWorker): Promise<void> {
    try {
      await worker.pause(true);
      const idle = await activeJobs.whenIdle(closeGraceMs);
      if (!idle) logger?.warn({ queue, activeJobs: activeJobs.size, closeGraceMs }, 'closing with jobs still running');
      // A graceful close waits on Redis (to finish its bookkeeping); when Redis is away only a forced close returns.
      const force = !idle || connection.status !== 'ready';
      await withTimeout(worker.close(force), closeGraceMs, () => new Error('The worker did not close in time.'));
    } catch (error) {
      logger?.warn({ queue, err: error }, 'worker close failed');
    } finally {
      await closeRedisConnection(connection, pingTimeoutMs);
    }
  }

  return {
    kind: 'bullmq',

    async enqueue<Q extends QueueName>(queue: Q, payload: JobPayloads[Q], options: EnqueueOptions): Promise<void> {
      validateEnqueueOptions(options);
      await reachRedis('enqueue', () => queueFor(queue).add(queue, payload, jobOptions(options)));
    },

    async enqueueMany<Q extends QueueName>(
      queue: Q,
      jobs: readonly { payload: JobPayloads[Q]; options: EnqueueOptions }[],
    ): Promise<void> {
      for (const job of jobs) validateEnqueueOptions(job.options);
      if (jobs.length === 0) return;
      const bulk = jobs.map((job) => ({ name: queue, data: job.payload, opts: jobOptions(job.options) }));
      await reachRedis('enqueueMany', () => queueFor(queue).addBulk(bulk));
    },

    process<Q extends QueueName>(queue: Q, processor: Processor<Q>, options?: { concurrency?: number }): void {
      if (registrations.has(queue)) throw new Error(`A processor for queue "${queue}" is already registered.`);
      const registration: Registration = {
        run: (payload, context) => processor(parsePayload(queue, payload), context),
        concurrency: options?.concurrency ?? config.concurrency,
      };
      registrations.set(queue, registration);
      if (started && !closing) startWorker(queue, registration);
    },

    start(): Promise<void> {
      if (!started && !closing) {
        started = true;
        for (const [queue, registration] of registrations) startWorker(queue, registration);
      }
      return Promise.resolve();
    },

    async counts(queue: QueueName): Promise<QueueCounts> {
      const raw = await reachRedis('counts', () =>
        queueFor(queue).getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed', 'completed'),
      );
      return {
        waiting: (raw.waiting ?? 0) + (raw.prioritized ?? 0),
        active: raw.active ?? 0,
        delayed: raw.delayed ?? 0,
        failed: raw.failed ?? 0,
        completed: raw.completed ?? 0,
      };
    },

    async retryFailed(queue: QueueName): Promise<void> {
      await reachRedis('retryFailed', () => queueFor(queue).retryJobs({ state: 'failed', count: 1000 }));
    },

    async ping(): Promise<void> {
      const status = producer.status;
      // While ioredis waits to reconnect, a PING would only join its offline queue: answer at once instead.
      if (closing || status === 'reconnecting' || status === 'close' || status === 'end') {
        throw new QueueUnavailable(new Error(`The Redis connection is ${closing ? 'closed' : status}.`));
      }
      try {
        const timedOut = () => new Error(`Redis did not answer PING within ${pingTimeoutMs} ms.`);
        await withTimeout(producer.ping(), pingTimeoutMs, timedOut);
      } catch (error) {
        throw new QueueUnavailable(error);
      }
    },

    bullQueues(): Queue[] {
      return QueueName.options.map(queueFor);
    },

    close(): Promise<void> {
      closing ??= (async () => {
        await Promise.all(workers.map(stopWorker));
        await Promise.all([...queues.values()].map((queue) => queue.close()));
        await closeRedisConnection(producer, pingTimeoutMs);
      })();
      return closing;
    },
  };
}
