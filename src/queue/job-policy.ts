/**
 * The rules both queue drivers share so that they behave alike: which job ids and options are accepted, how long
 * the backoff before a retry is, how long failed jobs are kept, which errors end a job at once, and how a stored
 * payload is checked before a processor sees it.
 */
import { DispatchJob, IntakeJob, OutboundJob, TimerJob, type JobPayloads, type QueueName } from '../contracts/index.js';
import { PermanentJobFailure, type EnqueueOptions } from './queue-driver.js';

/**
 * Failed jobs are kept for inspection (Bull Board, `counts()`). While one is kept, enqueuing its id again is a no-op
 * in both drivers, as in BullMQ; completed jobs are removed at once, so their ids may be enqueued again.
 */
export const failedJobRetention = { ageSeconds: 7 * 24 * 60 * 60, count: 10_000 } as const;

/** BullMQ's upper bound for `priority`. */
const PRIORITY_LIMIT = 2 ** 21;

/** Refuses what BullMQ would refuse, so a mistake shows up under the in-process driver too. */
export function validateEnqueueOptions(options: EnqueueOptions): void {
  const { jobId, delayMs, attempts, priority } = options;
  if (jobId.length === 0 || jobId.includes(':') || String(Number.parseInt(jobId, 10)) === jobId) {
    throw new RangeError(`Job id "${jobId}" is not allowed: it must be non-empty, not an integer and without ":".`);
  }
  if (delayMs !== undefined && !(Number.isFinite(delayMs) && delayMs >= 0)) {
    throw new RangeError(`delayMs must be a finite number >= 0 (job ${jobId}).`);
  }
  if (attempts !== undefined && !(Number.isInteger(attempts) && attempts >= 1)) {
    throw new RangeError(`attempts must be an integer >= 1 (job ${jobId}).`);
  }
  if (priority !== undefined && !(Number.isInteger(priority) && priority >= 0 && priority <= PRIORITY_LIMIT)) {
    throw new RangeError(`priority must be an integer from 0 to ${PRIORITY_LIMIT} (job ${jobId}).`);
  }
}

/** BullMQ's exponential backoff: the base after the first failure, then doubling. */
export function backoffDelayMs(backoffMs: number, failures: number): number {
  return Math.round(2 ** (failures - 1) * backoffMs);
}

/** Recognises a permanent failure by name too, so a second copy of this module does not defeat it. */
export function isPermanentJobFailure(error: unknown): error is Error {
  return error instanceof PermanentJobFailure || (error instanceof Error && error.name === 'PermanentJobFailure');
}

const payloadSchemas = { intake: IntakeJob, outbound: OutboundJob, timers: TimerJob, dispatch: DispatchJob } as const;

/**
 * Checks a stored payload against its contract. A payload that does not match can never succeed, so it fails the
 * job permanently instead of being retried.
 */
export function parsePayload<Q extends QueueName>(queue: Q, data: unknown): JobPayloads[Q] {
  const result = payloadSchemas[queue].safeParse(data);
  if (!result.success) {
    const paths = result.error.issues.map((issue) => issue.path.join('.') || '(root)').join(', ');
    throw new PermanentJobFailure(`The ${queue} job payload does not match its contract (at ${paths}).`);
  }
  // The schema for `queue` produced this value; TypeScript cannot narrow the union by the generic key.
  return result.data as JobPayloads[Q];
}
