/**
 * Prometheus metrics at /metrics: messages accepted, duplicates, rejections by code, queue depth, processing
 * latency. One registry per Ombuds instance (not prom-client's global one), so several can live in one process.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { QueueName } from '../contracts/index.js';
import type { IntakeObserver } from '../intake/index.js';
import type { QueueDriver } from '../queue/index.js';

export interface Metrics {
  registry: Registry;
  intakeObserver: IntakeObserver;
  rejected(code: string, status: number): void;
  /** One LLM classification call ended with this outcome (`ok`, `timeout`, `circuit_open`, …). */
  llmOutcome(outcome: string): void;
}

const QUEUES: QueueName[] = ['intake', 'outbound', 'timers', 'dispatch'];

export function createMetrics(options: { queue: QueueDriver; defaultMetrics: boolean }): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'ombuds_process_' });

  const accepted = new Counter({ name: 'ombuds_messages_accepted_total', help: 'Inbound messages stored (new).', labelNames: ['channel'], registers: [registry] });
  const duplicates = new Counter({ name: 'ombuds_messages_duplicate_total', help: 'Inbound messages recognised as already stored.', labelNames: ['channel'], registers: [registry] });
  const rejected = new Counter({ name: 'ombuds_requests_rejected_total', help: 'Requests answered with an error, by code.', labelNames: ['code', 'status'], registers: [registry] });
  const enqueueFailures = new Counter({ name: 'ombuds_enqueue_failures_total', help: 'Jobs not enqueued after commit (the reconciler re-enqueues them).', registers: [registry] });
  const batchSize = new Histogram({ name: 'ombuds_intake_batch_size', help: 'Messages written per group-commit statement.', buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256], registers: [registry] });
  const processing = new Histogram({
    name: 'ombuds_intake_processing_seconds',
    help: 'From receipt of a message to its complaint registered in the work queue.',
    labelNames: ['channel'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  const llmCalls = new Counter({ name: 'ombuds_llm_calls_total', help: 'LLM classification calls by outcome (anything but ok fell back to the offline result).', labelNames: ['outcome'], registers: [registry] });
  const failures = new Counter({ name: 'ombuds_intake_failures_total', help: 'Messages intake gave up on (visible to staff).', labelNames: ['channel'], registers: [registry] });
  new Gauge({
    name: 'ombuds_queue_jobs',
    help: 'Jobs per queue and state.',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const queue of QUEUES) {
        try {
          const counts = await options.queue.counts(queue);
          for (const [state, value] of Object.entries(counts) as [string, number][]) this.set({ queue, state }, value);
        } catch {
          // Queue unreachable: leave the series out; /readyz reports it.
        }
      }
    },
  });

  return {
    registry,
    rejected: (code, status) => {
      rejected.inc({ code, status: String(status) });
    },
    llmOutcome: (outcome) => {
      llmCalls.inc({ outcome });
    },
    intakeObserver: {
      accepted: (channel) => {
        accepted.inc({ channel });
      },
      duplicate: (channel) => {
        duplicates.inc({ channel });
      },
      enqueueFailed: (count) => {
        enqueueFailures.inc(count);
      },
      batchWritten: (size) => {
        batchSize.observe(size);
      },
      processed: (channel, seconds) => {
        processing.observe({ channel }, seconds);
      },
      failed: (channel) => {
        failures.inc({ channel });
      },
    },
  };
}
