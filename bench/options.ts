/**
 * The bench's options: command-line flags, then BENCH_* environment variables, then defaults. Owns nothing else.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from './processes.js';

export type Topology = 'single' | 'split';

export interface BenchOptions {
  /** Measured seconds of load per system. */
  durationS: number;
  /** Seconds of load before the measured window (not counted in the figures, counted in the loss check). */
  warmupS: number;
  connections: number;
  /** `single` = `ombuds start` (HTTP + workers in one process); `split` = `ombuds serve` + `ombuds work`. */
  topology: Topology;
  /** Distinct senders the requests are spread over. */
  customers: number;
  /** Give up waiting for the workers when no message was processed for this long. */
  drainStallS: number;
  redisUrl: string;
  /** Write a V8 CPU profile of every server / worker process into this folder (`--cpu-prof`), or null. */
  cpuProfileDir: string | null;
  /** Which systems to run (both by default). */
  systems: { ombuds: boolean; baseline: boolean };
}

export const USAGE = `npm run bench -- [--duration=15] [--warmup=3] [--connections=64] [--topology=split|single]
                     [--customers=2000] [--drain-stall=60] [--only=ombuds|baseline] [--cpu-prof]
Environment: BENCH_DURATION_S, BENCH_WARMUP_S, BENCH_CONNECTIONS, BENCH_TOPOLOGY, BENCH_CUSTOMERS,
             BENCH_REDIS_URL (default redis://127.0.0.1:6379),
             OMBUDS_BENCH_ADMIN_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test).
Other variables (GROUP_COMMIT_MAX_BATCH, QUEUE_CONCURRENCY, ...) are passed through to Ombuds.`;

function positive(name: string, raw: string | undefined, fallback: number, min = 1): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number ≥ ${min} (got "${raw}")`);
  return value;
}

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      topology: { type: 'string' },
      customers: { type: 'string' },
      'drain-stall': { type: 'string' },
      only: { type: 'string' },
      'cpu-prof': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) return 'help';
  const topology = values.topology ?? env.BENCH_TOPOLOGY ?? 'split';
  if (topology !== 'single' && topology !== 'split') throw new Error(`--topology must be single or split (got "${topology}")`);
  const only = values.only;
  if (only !== undefined && only !== 'ombuds' && only !== 'baseline') throw new Error(`--only must be ombuds or baseline (got "${only}")`);
  return {
    durationS: positive('--duration', values.duration ?? env.BENCH_DURATION_S, 15),
    warmupS: positive('--warmup', values.warmup ?? env.BENCH_WARMUP_S, 3, 0),
    connections: Math.round(positive('--connections', values.connections ?? env.BENCH_CONNECTIONS, 64)),
    topology,
    customers: Math.round(positive('--customers', values.customers ?? env.BENCH_CUSTOMERS, 2000)),
    drainStallS: positive('--drain-stall', values['drain-stall'], 60),
    redisUrl: env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    cpuProfileDir: values['cpu-prof'] === true ? join(PROJECT_ROOT, 'bench', 'results', `profiles-${new Date().toISOString().replace(/[:.]/g, '-')}`) : null,
    systems: { ombuds: only !== 'baseline', baseline: only !== 'ombuds' },
  };
}
