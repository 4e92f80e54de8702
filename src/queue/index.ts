/** What other folders may use of the queue layer: the driver interface, its error, the two drivers, and the broadcast port (pub/sub signals). */
export type {
  EnqueueOptions,
  JobContext,
  Processor,
  QueueCounts,
  QueueDriver,
  QueueDriverConfig,
} from './queue-driver.js';
export { PermanentJobFailure } from './queue-driver.js';
export { createBullmqDriver, type BullmqDriver, type BullmqDriverConfig } from './bullmq-driver.js';
export { createInProcessDriver, type InProcessDriverConfig } from './in-process-driver.js';
export { enqueueFollowUps, type FollowUpJob } from './follow-up-jobs.js';
export {
  createInProcessBroadcast,
  createRedisBroadcast,
  type Broadcast,
  type BroadcastListener,
  type BroadcastSubscription,
  type RedisBroadcastConfig,
} from './broadcast.js';
