/** The in-process driver: the shared driver contract, plus what only an in-memory driver has to promise. */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixedClock } from '../shared/clock.js';
import { createLogger } from '../shared/logger.js';
import { describeQueueDriverContract } from './driver-contract.test-helper.js';
import { createInProcessDriver } from './in-process-driver.js';
import { PermanentJobFailure } from './queue-driver.js';

describeQueueDriverContract('in-process', { create: (config) => createInProcessDriver(config) });

describe('in-process driver', () => {
  const config = { attempts: 1, backoffMs: 50, concurrency: 1 };

  afterEach(() => {
    vi.useRealTimers();
  });

  it('warns once, when created, that it is not for production', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString());
        callback();
      },
    });
    const driver = createInProcessDriver({ ...config, logger: createLogger({ level: 'info' }, destination) });
    driver.process('intake', () => Promise.resolve());
    await driver.start();
    await driver.close();

    const warnings = lines.map((line) => JSON.parse(line) as { level: string; msg: string });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 'warn', msg: expect.stringContaining('not for production') });
  });

  it('drops delayed jobs and their timers on close', async () => {
    vi.useFakeTimers();
    const driver = createInProcessDriver(config);
    let runs = 0;
    driver.process('timers', () => {
      runs += 1;
      return Promise.resolve();
    });
    await driver.start();
    const [complaintId, deadlineId] = [randomUUID(), randomUUID()];
    await driver.enqueue('timers', { kind: 'deadline', complaintId, deadlineId, point: 'breach', dueAt: new Date().toISOString() }, { jobId: 'timer-a', delayMs: 1_000 });
    expect(vi.getTimerCount()).toBe(1);

    await driver.close();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(runs).toBe(0);
  });

  it('runs a delayed job exactly when its delay has passed', async () => {
    vi.useFakeTimers();
    const driver = createInProcessDriver(config);
    let runs = 0;
    driver.process('timers', () => {
      runs += 1;
      return Promise.resolve();
    });
    await driver.start();
    const [complaintId, deadlineId] = [randomUUID(), randomUUID()];
    await driver.enqueue('timers', { kind: 'deadline', complaintId, deadlineId, point: 'warning', dueAt: new Date().toISOString() }, { jobId: 'timer-b', delayMs: 1_000 });

    await vi.advanceTimersByTimeAsync(999);
    expect(runs).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toBe(1);
    await driver.close();
  });

  it('holds a job delayed beyond 24.8 days (a 56-day clock) until its time, not firing it at once', async () => {
    vi.useFakeTimers();
    const driver = createInProcessDriver(config);
    let runs = 0;
    driver.process('timers', () => {
      runs += 1;
      return Promise.resolve();
    });
    await driver.start();
    const day = 86_400_000;
    const [complaintId, deadlineId] = [randomUUID(), randomUUID()];
    await driver.enqueue('timers', { kind: 'deadline', complaintId, deadlineId, point: 'due', dueAt: new Date().toISOString() }, { jobId: 'timer-c', delayMs: 56 * day });

    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toBe(0);
    await vi.advanceTimersByTimeAsync(56 * day - 2_000);
    expect(runs).toBe(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toBe(1);
    await driver.close();
  });

  it('forgets a failed job after the retention period, so its id may be enqueued again', async () => {
    const clock = fixedClock(new Date('2025-03-01T09:00:00Z'));
    const driver = createInProcessDriver({ ...config, clock });
    let runs = 0;
    driver.process('intake', () => {
      runs += 1;
      return Promise.reject(new PermanentJobFailure('no such message'));
    });
    await driver.start();
    const messageId = randomUUID();
    await driver.enqueue('intake', { messageId }, { jobId: `intake-${messageId}` });
    await vi.waitFor(async () => {
      expect((await driver.counts('intake')).failed).toBe(1);
    });

    clock.advance(8 * 24 * 60 * 60 * 1000);
    expect((await driver.counts('intake')).failed).toBe(0);
    await driver.enqueue('intake', { messageId }, { jobId: `intake-${messageId}` });
    await vi.waitFor(() => {
      expect(runs).toBe(2);
    });
    await driver.close();
  });

  it('never runs a processor inside the enqueue call that added its job', async () => {
    const driver = createInProcessDriver(config);
    let runs = 0;
    driver.process('intake', () => {
      runs += 1;
      return Promise.resolve();
    });
    await driver.start();
    const messageId = randomUUID();
    const enqueued = driver.enqueue('intake', { messageId }, { jobId: `intake-${messageId}` });
    expect(runs).toBe(0);
    await enqueued;
    await vi.waitFor(() => {
      expect(runs).toBe(1);
    });
    await driver.close();
  });

  it('refuses a second processor for the same queue', async () => {
    const driver = createInProcessDriver(config);
    driver.process('intake', () => Promise.resolve());
    expect(() => {
      driver.process('intake', () => Promise.resolve());
    }).toThrow(/already registered/);
    await driver.close();
  });
});
