/**
 * Jobs a transaction decides on but must not enqueue until it has committed (a job for a row that was rolled back
 * would run on nothing; a row whose job was never enqueued is found by the reconcilers). Services return them;
 * the caller enqueues them after the commit with {@link enqueueFollowUps}.
 */
import type { JobPayloads, QueueName } from '../contracts/index.js';
import type { EnqueueOptions, QueueDriver } from './queue-driver.js';

export type FollowUpJob = { [Q in QueueName]: { queue: Q; payload: JobPayloads[Q]; options: EnqueueOptions } }[QueueName];

/** Enqueues follow-up jobs grouped by queue (one round trip per queue). */
export async function enqueueFollowUps(driver: QueueDriver, jobs: readonly FollowUpJob[]): Promise<void> {
  const byQueue = new Map<QueueName, FollowUpJob[]>();
  for (const job of jobs) byQueue.set(job.queue, [...(byQueue.get(job.queue) ?? []), job]);
  await Promise.all(
    [...byQueue.entries()].map(([queue, group]) =>
      driver.enqueueMany(queue, group.map((job) => ({ payload: job.payload, options: job.options })) as never),
    ),
  );
}
