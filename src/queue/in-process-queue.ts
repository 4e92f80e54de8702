/**
 * The job states of one in-memory queue (waiting, delayed, active, failed), ordered like BullMQ: jobs without a
 * priority first in arrival order, then by priority (lower first). The in-process driver decides when jobs move.
 */
import { failedJobRetention } from './job-policy.js';

export interface StoredJob {
  readonly id: string;
  readonly payload: unknown;
  readonly maxAttempts: number;
  /** 0 = no priority. */
  readonly priority: number;
  /** Failed runs so far. */
  attemptsMade: number;
}

/** The longest delay setTimeout honours. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export class InProcessQueue {
  /** Jobs without a priority, in arrival order. */
  private readonly plain: StoredJob[] = [];
  /** Jobs with a priority, lower first, then in arrival order. */
  private readonly prioritized: StoredJob[] = [];
  private readonly waitingIds = new Set<string>();
  private readonly delayed = new Map<string, { job: StoredJob; timer: NodeJS.Timeout }>();
  private readonly active = new Map<string, StoredJob>();
  /** Job id → when it failed (ms since epoch); insertion order is failure order. */
  private readonly failed = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  /** True when a job with this id is waiting, delayed, active or kept as failed: adding it again is a no-op. */
  has(jobId: string): boolean {
    this.pruneFailed();
    return (
      this.active.has(jobId) ||
      this.delayed.has(jobId) ||
      this.failed.has(jobId) ||
      this.waitingIds.has(jobId)
    );
  }

  addWaiting(job: StoredJob): void {
    this.waitingIds.add(job.id);
    if (job.priority === 0) {
      this.plain.push(job);
      return;
    }
    // The newest job goes after every job of the same or a lower priority number.
    const index = this.prioritized.findIndex((other) => other.priority > job.priority);
    if (index === -1) this.prioritized.push(job);
    else this.prioritized.splice(index, 0, job);
  }

  /** Holds `job` for `delayMs`, then moves it to waiting and calls `onDue`. The timer does not keep a process alive. */
  addDelayed(job: StoredJob, delayMs: number, onDue: () => void): void {
    // Node fires a timeout longer than 2^31 − 1 ms (24.8 days) at once; longer delays (a 56-day clock) wait in steps.
    const step = Math.min(delayMs, MAX_TIMEOUT_MS);
    const timer = setTimeout(() => {
      if (delayMs > MAX_TIMEOUT_MS) {
        this.addDelayed(job, delayMs - MAX_TIMEOUT_MS, onDue);
        return;
      }
      this.delayed.delete(job.id);
      this.addWaiting(job);
      onDue();
    }, step);
    timer.unref();
    this.delayed.set(job.id, { job, timer });
  }

  /** Moves the next waiting job to active. */
  takeNext(): StoredJob | undefined {
    const job = this.plain.shift() ?? this.prioritized.shift();
    if (job) {
      this.waitingIds.delete(job.id);
      this.active.set(job.id, job);
    }
    return job;
  }

  get activeCount(): number {
    return this.active.size;
  }

  finish(job: StoredJob): void {
    this.active.delete(job.id);
  }

  markFailed(job: StoredJob): void {
    this.active.delete(job.id);
    this.failed.delete(job.id);
    this.failed.set(job.id, this.now());
    this.pruneFailed();
  }

  /** Forgets the failed ids, so the same ids may be added again. */
  releaseFailed(): void {
    this.failed.clear();
  }

  counts(): { waiting: number; active: number; delayed: number; failed: number } {
    this.pruneFailed();
    return {
      waiting: this.waitingIds.size,
      active: this.active.size,
      delayed: this.delayed.size,
      failed: this.failed.size,
    };
  }

  /** Cancels every delayed job's timer (their jobs are dropped; the reconciler re-creates them after a restart). */
  clearTimers(): void {
    for (const { timer } of this.delayed.values()) clearTimeout(timer);
    this.delayed.clear();
  }

  private pruneFailed(): void {
    const oldestKept = this.now() - failedJobRetention.ageSeconds * 1000;
    for (const [jobId, failedAt] of this.failed) {
      if (failedAt >= oldestKept && this.failed.size <= failedJobRetention.count) break;
      this.failed.delete(jobId);
    }
  }
}
