/**
 * The load generator of the channels bench: one autocannon run against Ombuds whose connections each cycle through
 * the given channels' requests in turn (one channel: that channel alone; several: equal parts, each connection
 * sending one request of each channel in order), every request fresh from its channel's source (unique id, its own
 * signature). Per channel it keeps the 2xx / non-2xx counts, the latency of every answer (autocannon's own
 * measure, from the request written to the answer read) and the ids of the accepted messages, for the loss check.
 */
import autocannon from 'autocannon';
import type { ChannelName, ChannelSource, SignedRequest } from './channel-requests.js';

export interface Percentiles {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface ChannelPhase {
  channel: ChannelName;
  /** Answers 2xx, and per second of the phase. */
  accepted: number;
  acceptedPerSecond: number;
  non2xx: number;
  statusCounts: Record<string, number>;
  /** Every answer's latency (ms). */
  latencyMs: Percentiles;
  /** A few non-2xx answers, for the report. */
  sampleErrors: string[];
}

export interface ChannelLoadPhase {
  label: string;
  startedAt: number;
  finishedAt: number;
  seconds: number;
  connections: number;
  /** All channels together. */
  accepted: number;
  acceptedPerSecond: number;
  non2xx: number;
  /** Connection errors and timeouts (no answer at all). */
  errors: number;
  timeouts: number;
  /** Every answer's latency (ms), all channels together. */
  latencyMs: Percentiles;
  byChannel: ChannelPhase[];
  /** Accepted ids by channel (API: message ids; webhooks: channel message ids), not in the JSON report. */
  acceptedIds: Partial<Record<ChannelName, string[]>>;
}

let running: autocannon.Instance | null = null;

/** Stops the phase in progress (on SIGINT). */
export function stopChannelLoad(): void {
  running?.stop();
}

export function percentiles(values: readonly number[]): Percentiles {
  if (values.length === 0) return { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
  return { count: sorted.length, mean: sorted.reduce((sum, value) => sum + value, 0) / sorted.length, p50: rank(50), p90: rank(90), p99: rank(99), max: sorted[sorted.length - 1] ?? 0 };
}

interface Tally {
  accepted: number;
  non2xx: number;
  statusCounts: Record<string, number>;
  latencies: number[];
  ids: string[];
  sampleErrors: string[];
}

export function driveChannels(baseUrl: string, sources: readonly ChannelSource[], options: { label: string; seconds: number; connections: number }): Promise<ChannelLoadPhase> {
  const tallies = new Map<ChannelName, Tally>(sources.map((source) => [source.channel, { accepted: 0, non2xx: 0, statusCounts: {}, latencies: [], ids: [], sampleErrors: [] }]));
  // Which request each connection has in flight (autocannon's per-connection context; one request at a time).
  const inFlight = new WeakMap<object, SignedRequest>();
  // The channel of the answer just handed to onResponse: autocannon emits that answer's 'response' (with its
  // latency) synchronously right after.
  let answered: ChannelName | null = null;
  const startedAt = Date.now();
  return new Promise((resolve, reject) => {
    running = autocannon(
      {
        url: baseUrl,
        connections: options.connections,
        duration: options.seconds,
        timeout: 10,
        requests: sources.map((source) => ({
          method: 'POST' as const,
          setupRequest: (request: autocannon.Request, context: object) => {
            const signed = source.next();
            inFlight.set(context, signed);
            return { ...request, path: signed.path, headers: { ...request.headers, ...signed.headers }, body: signed.body };
          },
          onResponse: (status: number, body: string, context: object) => {
            const tally = tallies.get(source.channel);
            const sent = inFlight.get(context);
            answered = source.channel;
            if (!tally) return;
            const code = String(status);
            tally.statusCounts[code] = (tally.statusCounts[code] ?? 0) + 1;
            const id = sent ? source.acceptedId(sent, status, body) : null;
            if (status >= 200 && status < 300) {
              tally.accepted += 1;
              if (id !== null) tally.ids.push(id);
              else if (tally.sampleErrors.length < 5) tally.sampleErrors.push(`${code} without an id: ${body.slice(0, 200)}`);
            } else {
              tally.non2xx += 1;
              if (tally.sampleErrors.length < 5) tally.sampleErrors.push(`${code} ${body.slice(0, 200)}`);
            }
          },
        })),
      },
      (error: unknown, result) => {
        running = null;
        if (error) {
          reject(error instanceof Error ? error : new Error(`autocannon failed: ${JSON.stringify(error)}`));
          return;
        }
        const finishedAt = Date.now();
        const seconds = (finishedAt - startedAt) / 1000;
        const byChannel: ChannelPhase[] = [];
        const acceptedIds: Partial<Record<ChannelName, string[]>> = {};
        for (const [channel, tally] of tallies) {
          acceptedIds[channel] = tally.ids;
          byChannel.push({
            channel,
            accepted: tally.accepted,
            acceptedPerSecond: tally.accepted / seconds,
            non2xx: tally.non2xx,
            statusCounts: tally.statusCounts,
            latencyMs: percentiles(tally.latencies),
            sampleErrors: tally.sampleErrors,
          });
        }
        const accepted = byChannel.reduce((sum, channel) => sum + channel.accepted, 0);
        resolve({
          label: options.label,
          startedAt,
          finishedAt,
          seconds,
          connections: options.connections,
          accepted,
          acceptedPerSecond: accepted / seconds,
          non2xx: byChannel.reduce((sum, channel) => sum + channel.non2xx, 0),
          errors: result.errors,
          timeouts: result.timeouts,
          latencyMs: percentiles([...tallies.values()].flatMap((tally) => tally.latencies)),
          byChannel,
          acceptedIds,
        });
      },
    );
    running.on('response', (_client, _status, _bytes, responseTime) => {
      if (answered === null) return;
      tallies.get(answered)?.latencies.push(responseTime);
      answered = null;
    });
  });
}
