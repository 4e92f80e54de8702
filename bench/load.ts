/**
 * The load generator: autocannon against `POST /v1/messages`, every request body fresh from the workload. One
 * call is one phase (warm-up or measured); it returns the 2xx / non-2xx counts, the latency percentiles and the
 * message ids of every 2xx answer (for the loss check).
 */
import autocannon from 'autocannon';
import type { Workload } from './workload.js';

export interface LoadPhase {
  label: string;
  startedAt: number;
  finishedAt: number;
  /** Wall-clock seconds of the phase. */
  seconds: number;
  connections: number;
  /** Requests answered 2xx, and per second. */
  accepted: number;
  acceptedPerSecond: number;
  /** Answers that were not 2xx, and connection errors / timeouts (no answer at all). */
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCounts: Record<string, number>;
  /** Latency of every answer (ms), as autocannon measures it. */
  latencyMs: { mean: number; p50: number; p90: number; p99: number; max: number };
  /** The `messageId` of each 2xx answer. */
  acceptedIds: string[];
  /** A few non-2xx answers, for the report. */
  sampleErrors: string[];
}

export interface LoadTarget {
  url: string;
  headers: Record<string, string>;
}

let running: autocannon.Instance | null = null;

/** Stops the phase in progress (on SIGINT). */
export function stopLoad(): void {
  running?.stop();
}

function messageIdOf(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as unknown;
    if (typeof parsed === 'object' && parsed !== null && 'messageId' in parsed && typeof parsed.messageId === 'string') return parsed.messageId;
  } catch {
    // Not JSON: counted as an answer without an id.
  }
  return null;
}

export function driveLoad(target: LoadTarget, workload: Workload, options: { label: string; seconds: number; connections: number }): Promise<LoadPhase> {
  const acceptedIds: string[] = [];
  const sampleErrors: string[] = [];
  let acceptedWithoutId = 0;
  const startedAt = Date.now();
  return new Promise((resolve, reject) => {
    running = autocannon(
      {
        url: target.url,
        connections: options.connections,
        duration: options.seconds,
        timeout: 10,
        headers: { 'content-type': 'application/json', ...target.headers },
        requests: [
          {
            method: 'POST',
            path: '/v1/messages',
            setupRequest: (request) => ({ ...request, body: workload.nextBody() }),
            onResponse: (status, body) => {
              if (status >= 200 && status < 300) {
                const id = messageIdOf(body);
                if (id === null) acceptedWithoutId += 1;
                else acceptedIds.push(id);
              } else if (sampleErrors.length < 5) {
                sampleErrors.push(`${status} ${body.slice(0, 200)}`);
              }
            },
          },
        ],
      },
      (error: unknown, result) => {
        running = null;
        if (error) {
          reject(error instanceof Error ? error : new Error(`autocannon failed: ${JSON.stringify(error)}`));
          return;
        }
        const finishedAt = Date.now();
        const seconds = (finishedAt - startedAt) / 1000;
        const statusCounts: Record<string, number> = {};
        for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) statusCounts[code] = stats.count ?? 0;
        if (acceptedWithoutId > 0) sampleErrors.push(`${acceptedWithoutId} 2xx answers carried no messageId`);
        resolve({
          label: options.label,
          startedAt,
          finishedAt,
          seconds,
          connections: options.connections,
          accepted: result['2xx'],
          acceptedPerSecond: result['2xx'] / seconds,
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          statusCounts,
          latencyMs: { mean: result.latency.mean, p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
          acceptedIds,
          sampleErrors,
        });
      },
    );
  });
}
