/**
 * Prometheus metrics at /metrics: messages accepted, duplicates, rejections by code, queue depth, processing
 * latency. One registry per Ombuds instance (not prom-client's global one), so several can live in one process.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { QueueName } from '../contracts/index.js';
import type { DispatchObserver, OutboundObserver, TimerObserver } from '../handling/index.js';
import type { IntakeObserver } from '../intake/index.js';
import type { QueueDriver } from '../queue/index.js';

export interface Metrics {
  registry: Registry;
  intakeObserver: IntakeObserver;
  outboundObserver: OutboundObserver;
  dispatchObserver: DispatchObserver;
  timerObserver: TimerObserver;
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
  const outbound = new Counter({
    name: 'ombuds_outbound_messages_total',
    help: 'Customer-facing message delivery attempts by channel and outcome (sent, retrying, failed_<reason>).',
    labelNames: ['channel', 'outcome'],
    registers: [registry],
  });
  const webhooks = new Counter({ name: 'ombuds_webhook_deliveries_total', help: 'Downstream webhook deliveries by event and outcome.', labelNames: ['event', 'outcome'], registers: [registry] });
  const timers = new Counter({ name: 'ombuds_deadline_timers_total', help: 'Deadline timers that fired: warnings by point, breaches by regime and clock.', labelNames: ['kind', 'point', 'regime', 'clock'], registers: [registry] });
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
    outboundObserver: {
      sent: (channel) => { outbound.inc({ channel, outcome: 'sent' }); },
      retrying: (channel) => { outbound.inc({ channel, outcome: 'retrying' }); },
      failed: (channel, reason) => { outbound.inc({ channel, outcome: `failed_${reason}` }); },
      enqueueFailed: () => { enqueueFailures.inc(); },
    },
    dispatchObserver: {
      delivered: (event) => { webhooks.inc({ event, outcome: 'delivered' }); },
      retrying: (event) => { webhooks.inc({ event, outcome: 'retrying' }); },
      failed: (event) => { webhooks.inc({ event, outcome: 'failed' }); },
    },
    timerObserver: {
      warned: (point) => { timers.inc({ kind: 'warning', point, regime: '', clock: '' }); },
      breached: (regime, clock) => { timers.inc({ kind: 'breach', point: 'due', regime, clock }); },
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
