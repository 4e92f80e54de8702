/**
 * The behaviour both queue drivers promise (DESIGN.md §5), as one suite that each driver's test file runs with its
 * own factory. Named `.test-helper.ts` so that vitest does not also run it on its own.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isOmbudsError } from '../shared/errors.js';
import { PermanentJobFailure, type JobContext, type QueueDriver, type QueueDriverConfig } from './queue-driver.js';

export interface DriverFactory {
  /** A driver on fresh queues that no other test sees. */
  create(config: QueueDriverConfig & { closeGraceMs?: number }): QueueDriver;
  /** Removes what one test's drivers left behind; called after they are closed. */
  cleanUp?(): Promise<void>;
}

const defaults: QueueDriverConfig = { attempts: 1, backoffMs: 50, concurrency: 1 };

/** Polls until `assertion` passes (generous timeout: the BullMQ driver runs against a shared Redis). */
function until(assertion: () => void | Promise<void>): Promise<void> {
  return vi.waitFor(assertion, { timeout: 15_000, interval: 20 });
}

function intakeJob(messageId: string = randomUUID()) {
  return { payload: { messageId }, options: { jobId: `intake-${messageId}` } };
}

/** A promise to hold a processor inside its job until the test lets it go. */
export function gate(): { wait: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}

/** Registers an intake processor that records each run's context and then does `work`; starts the driver. */
async function startIntake(
  driver: QueueDriver,
  work: (context: JobContext) => Promise<void> = () => Promise.resolve(),
): Promise<JobContext[]> {
  const runs: JobContext[] = [];
  driver.process('intake', (_payload, context) => {
    runs.push(context);
    return work(context);
  });
  await driver.start();
  return runs;
}

export function describeQueueDriverContract(driverName: string, factory: DriverFactory): void {
  describe(`${driverName} queue driver contract`, () => {
    const opened: QueueDriver[] = [];
    const releases: (() => void)[] = [];

    function driverWith(overrides: Partial<QueueDriverConfig> & { closeGraceMs?: number } = {}): QueueDriver {
      const driver = factory.create({ ...defaults, ...overrides });
      opened.push(driver);
      return driver;
    }

    function heldGate(): { wait: Promise<void>; open: () => void } {
      const held = gate();
      releases.push(held.open);
      return held;
    }

    async function settled(driver: QueueDriver, queue: 'intake' | 'outbound' = 'intake'): Promise<void> {
      await until(async () => {
        expect(await driver.counts(queue)).toMatchObject({ waiting: 0, active: 0, delayed: 0 });
      });
    }

    afterEach(async () => {
      for (const release of releases.splice(0)) release();
      await Promise.all(opened.splice(0).map((driver) => driver.close()));
      await factory.cleanUp?.();
    });

    it('runs a job with its payload and context', async () => {
      const driver = driverWith();
      const seen: { payload: unknown; context: JobContext }[] = [];
      driver.process('intake', (payload, context) => {
        seen.push({ payload, context });
        return Promise.resolve();
      });
      await driver.start();
      const job = intakeJob();
      await driver.enqueue('intake', job.payload, job.options);

      await until(() => {
        expect(seen).toHaveLength(1);
      });
      const context = { jobId: job.options.jobId, attempt: 1, maxAttempts: 1 };
      expect(seen).toEqual([{ payload: job.payload, context }]);
      await settled(driver);
      expect(await driver.counts('intake')).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0 });
    });

    it('runs a job id once when it is enqueued again while waiting or active', async () => {
      const driver = driverWith();
      const job = intakeJob();
      await driver.enqueue('intake', job.payload, job.options);
      await driver.enqueue('intake', job.payload, job.options);
      await driver.enqueueMany('intake', [job]);
      expect((await driver.counts('intake')).waiting).toBe(1);

      const held = heldGate();
      const runs = await startIntake(driver, () => held.wait);
      await until(() => {
        expect(runs).toHaveLength(1);
      });
      await driver.enqueue('intake', job.payload, job.options);
      held.open();
      await settled(driver);
      expect(runs).toHaveLength(1);
    });

    it('lets a completed job id be enqueued again', async () => {
      const driver = driverWith();
      const runs = await startIntake(driver);
      const job = intakeJob();
      await driver.enqueue('intake', job.payload, job.options);
      await until(() => {
        expect(runs).toHaveLength(1);
      });
      await settled(driver);
      await driver.enqueue('intake', job.payload, job.options);
      await until(() => {
        expect(runs).toHaveLength(2);
      });
    });

    it('adds every job of enqueueMany once, duplicates within the batch included', async () => {
      const driver = driverWith({ concurrency: 4 });
      const jobs = [intakeJob(), intakeJob(), intakeJob()];
      const runs = await startIntake(driver);
      await driver.enqueueMany('intake', [...jobs, ...jobs.slice(0, 1)]);
      await driver.enqueueMany('intake', []);
      await until(() => {
        expect(runs).toHaveLength(3);
      });
      await settled(driver);
      expect(runs.map((run) => run.jobId).sort()).toEqual(jobs.map((job) => job.options.jobId).sort());
    });

    it('retries a thrown error with exponential backoff, passing the attempt number', async () => {
      const driver = driverWith({ backoffMs: 150 });
      const runs: { context: JobContext; at: number }[] = [];
      driver.process('outbound', (_payload, context) => {
        runs.push({ context, at: Date.now() });
        return context.attempt < 3 ? Promise.reject(new Error('provider timed out')) : Promise.resolve();
      });
      await driver.start();
      const outboundMessageId = randomUUID();
      const jobId = `outbound-${outboundMessageId}`;
      await driver.enqueue('outbound', { outboundMessageId, attempt: 1 }, { jobId, attempts: 3 });

      await until(() => {
        expect(runs).toHaveLength(3);
      });
      await settled(driver, 'outbound');
      expect(runs.map((run) => run.context)).toEqual([1, 2, 3].map((attempt) => ({ jobId, attempt, maxAttempts: 3 })));
      const times = runs.map((run) => run.at);
      const gaps = times.slice(1).map((at, index) => at - (times[index] ?? at));
      // Generous lower bounds only: the first backoff is the base (150 ms), the second doubles it (300 ms).
      expect(gaps[0]).toBeGreaterThanOrEqual(120);
      expect(gaps[1]).toBeGreaterThanOrEqual(240);
      expect((await driver.counts('outbound')).failed).toBe(0);
    });

    it('counts a job failed once its attempts are used up', async () => {
      const driver = driverWith({ attempts: 2, backoffMs: 20 });
      const runs = await startIntake(driver, () => Promise.reject(new Error('still broken')));
      const job = intakeJob();
      await driver.enqueue('intake', job.payload, job.options);
      await until(async () => {
        expect((await driver.counts('intake')).failed).toBe(1);
      });
      await settled(driver);
      expect(runs.map((run) => run.attempt)).toEqual([1, 2]);
    });

    it('runs a job that throws PermanentJobFailure once, counts it failed and keeps its id', async () => {
      const driver = driverWith({ attempts: 5, backoffMs: 20 });
      const runs = await startIntake(driver, () => Promise.reject(new PermanentJobFailure('message does not exist')));
      const job = intakeJob();
      await driver.enqueue('intake', job.payload, job.options);
      await until(async () => {
        expect((await driver.counts('intake')).failed).toBe(1);
      });
      await settled(driver);
      expect(runs).toHaveLength(1);

      // Kept for inspection, the failed job still holds its id: enqueuing it again is a no-op (as in BullMQ).
      await driver.enqueue('intake', job.payload, job.options);
      expect(await driver.counts('intake')).toMatchObject({ waiting: 0, delayed: 0, failed: 1 });
      expect(runs).toHaveLength(1);
    });

    it('runs a failed job again after retryFailed and a re-enqueue of its id', async () => {
      const driver = driverWith({ attempts: 1 });
      let fail = true;
      const runs = await startIntake(driver, () => (fail ? Promise.reject(new Error('database down')) : Promise.resolve()));
      const job = intakeJob();
      await driver.enqueue('intake', job.payload, job.options);
      await until(async () => {
        expect((await driver.counts('intake')).failed).toBe(1);
      });
      fail = false;
      await driver.retryFailed('intake');
      await driver.enqueue('intake', job.payload, job.options);
      await until(async () => {
        expect(await driver.counts('intake')).toMatchObject({ waiting: 0, active: 0, failed: 0 });
      });
      expect(runs).toHaveLength(2);
    });

    it('fails a job whose payload breaks its contract without running the processor', async () => {
      const driver = driverWith({ attempts: 3 });
      const runs = await startIntake(driver);
      await driver.enqueue('intake', { messageId: 'not-a-uuid' }, { jobId: 'intake-not-a-uuid' });
      await until(async () => {
        expect((await driver.counts('intake')).failed).toBe(1);
      });
      expect(runs).toHaveLength(0);
    });

    it('does not run a delayed job before its delay', async () => {
      const driver = driverWith();
      let ranAt: number | undefined;
      driver.process('timers', () => {
        ranAt = Date.now();
        return Promise.resolve();
      });
      await driver.start();
      const [complaintId, deadlineId] = [randomUUID(), randomUUID()];
      const enqueuedAt = Date.now();
      await driver.enqueue(
        'timers',
        { kind: 'deadline', complaintId, deadlineId, point: 'warning', dueAt: new Date().toISOString() },
        { jobId: `timer-${complaintId}-${deadlineId}-warning`, delayMs: 800 },
      );
      expect((await driver.counts('timers')).delayed).toBe(1);

      await until(() => {
        expect(ranAt).toBeDefined();
      });
      expect(ranAt).toBeGreaterThanOrEqual(enqueuedAt + 750);
    });

    it('never runs more jobs of a queue at once than its concurrency', async () => {
      const driver = driverWith();
      let running = 0;
      let mostAtOnce = 0;
      let done = 0;
      const work = async (): Promise<void> => {
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        await new Promise((resolve) => setTimeout(resolve, 100));
        running -= 1;
        done += 1;
      };
      driver.process('dispatch', work, { concurrency: 2 });
      await driver.start();
      const eventIds = Array.from({ length: 6 }, () => randomUUID());
      await driver.enqueueMany(
        'dispatch',
        eventIds.map((eventId) => ({ payload: { deliveryId: eventId, attempt: 1 }, options: { jobId: `dispatch-${eventId}` } })),
      );
      await until(() => {
        expect(done).toBe(6);
      });
      expect(mostAtOnce).toBe(2);
    });

    it('takes jobs without a priority first, then the lower priority first', async () => {
      const driver = driverWith();
      const [low, high, plainFirst, plainSecond] = [intakeJob(), intakeJob(), intakeJob(), intakeJob()];
      await driver.enqueue('intake', low.payload, { ...low.options, priority: 5 });
      await driver.enqueue('intake', high.payload, { ...high.options, priority: 1 });
      await driver.enqueue('intake', plainFirst.payload, plainFirst.options);
      await driver.enqueue('intake', plainSecond.payload, plainSecond.options);
      const runs = await startIntake(driver);
      await until(() => {
        expect(runs).toHaveLength(4);
      });
      const expectedOrder = [plainFirst, plainSecond, high, low].map((job) => job.options.jobId);
      expect(runs.map((run) => run.jobId)).toEqual(expectedOrder);
    });

    it('counts waiting, delayed and failed jobs per queue', async () => {
      const driver = driverWith();
      const enqueueOutbound = (options: { priority?: number; delayMs?: number } = {}) => {
        const outboundMessageId = randomUUID();
        const jobId = `outbound-${outboundMessageId}`;
        return driver.enqueue('outbound', { outboundMessageId, attempt: 1 }, { jobId, ...options });
      };
      await enqueueOutbound();
      await enqueueOutbound();
      await enqueueOutbound({ priority: 3 });
      await enqueueOutbound({ delayMs: 60_000 });
      expect(await driver.counts('outbound')).toEqual({ waiting: 3, active: 0, delayed: 1, failed: 0, completed: 0 });
      expect(await driver.counts('intake')).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0 });
    });

    it('refuses job ids and options that BullMQ would refuse', async () => {
      const driver = driverWith();
      const { payload } = intakeJob();
      const refused = [{ jobId: 'intake:1' }, { jobId: '42' }, { jobId: '' }, { jobId: 'intake-x', attempts: 0 }];
      for (const options of refused) {
        await expect(driver.enqueue('intake', payload, options)).rejects.toThrow(RangeError);
      }
      await expect(driver.enqueueMany('intake', [{ payload, options: { jobId: 'a:b' } }])).rejects.toThrow(RangeError);
      expect((await driver.counts('intake')).waiting).toBe(0);
    });

    it('answers ping while open', async () => {
      await expect(driverWith().ping()).resolves.toBeUndefined();
    });

    it('lets an active job finish on close, then refuses new jobs', async () => {
      const driver = driverWith();
      let finished = false;
      const runs = await startIntake(driver, async () => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        finished = true;
      });
      const job = intakeJob();
      await driver.enqueue('intake', job.payload, job.options);
      await until(() => {
        expect(runs).toHaveLength(1);
      });

      await driver.close();
      expect(finished).toBe(true);
      const next = intakeJob();
      await expect(driver.enqueue('intake', next.payload, next.options)).rejects.toSatisfy(
        (error) => isOmbudsError(error) && error.code === 'QUEUE_UNAVAILABLE',
      );
      await driver.close();
    });

    it('stops waiting for a stuck job after the close grace period', async () => {
      const driver = driverWith({ closeGraceMs: 200 });
      const held = heldGate();
      const runs = await startIntake(driver, () => held.wait);
      const job = intakeJob();
      await driver.enqueue('intake', job.payload, job.options);
      await until(() => {
        expect(runs).toHaveLength(1);
      });

      const closingStartedAt = Date.now();
      await driver.close();
      const closingTook = Date.now() - closingStartedAt;
      expect(closingTook).toBeGreaterThanOrEqual(150);
      expect(closingTook).toBeLessThan(5_000);
    });
  });
}
