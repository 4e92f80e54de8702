/**
 * The bench's options: command-line flags, then BENCH_* environment variables, then defaults. Owns nothing else.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EnvSchema } from '../src/config/env.js';
import { PROJECT_ROOT } from './processes.js';

import type { IdFormat } from './workload.js';

export type Topology = 'single' | 'split' | 'deferred';

export interface BenchOptions {
  /** Measured seconds of load per system. */
  durationS: number;
  /** Seconds of load before the measured window (not counted in the figures, counted in the loss check). */
  warmupS: number;
  connections: number;
  /**
   * `split` (default, the production topology on PostgreSQL + Redis) = `ombuds serve` + `ombuds work`;
   * `single` = `ombuds start` (HTTP + workers + reconciler in one process, the all-in-one mode);
   * `deferred` = `ombuds serve` alone during the load, `ombuds work` after it (a diagnostic: the intake path
   * without workers competing for the CPU; not the measurement, which has the workers running).
   */
  topology: Topology;
  /** Distinct senders the requests are spread over. */
  customers: number;
  /** Shape of the clientMessageIds: like the fixtures' (`app-msg-0001`) or UUIDs. */
  ids: IdFormat;
  /** Give up waiting for the workers when no message was processed for this long. */
  drainStallS: number;
  redisUrl: string;
  /** Write a V8 CPU profile of every server / worker process into this folder (`--cpu-prof`), or null. */
  cpuProfileDir: string | null;
  /** Which systems of the intake bench to run (both by default). */
  systems: { ombuds: boolean; baseline: boolean };
  /**
   * Which parts to run (all by default): the classifier, timer recovery, the staff queue, dialog turns, the
   * mixed-channel intake bench (bench/channels.ts: duration, warm-up, connections, topology, customers, ids and
   * drain-stall as for the intake bench), the intake bench.
   */
  parts: { classifier: boolean; timers: boolean; queue: boolean; dialog: boolean; channels: boolean; import: boolean; intake: boolean };
  /** Channels bench: which runs (each channel alone, `mixed`), in the bench's order; all by default. */
  channelRuns: ChannelRun[];
  /** Import bench (issue 7): corpus sizes in calls, each measured in turn (≈100 KB a call). */
  importCalls: number[];
  /**
   * Dialog bench: customers in conversation at the same time, measured seconds, warm-up seconds, and each
   * customer's pause before each message (0: the next message as soon as the reply arrived).
   */
  conversations: number;
  dialogDurationS: number;
  dialogWarmupS: number;
  dialogThinkS: number;
  /** Ombuds settings taken from the environment (passed through to its processes), e.g. QUEUE_CONCURRENCY. */
  ombudsSettings: Record<string, string>;
}

/** The channels bench's runs: each channel alone (by its stored name), then all of them mixed. */
export const CHANNEL_RUNS = ['api', 'sms_twilio', 'whatsapp', 'wechat', 'telegram', 'mixed'] as const;
export type ChannelRun = (typeof CHANNEL_RUNS)[number];

/** Variables the bench sets itself for each Ombuds process. */
const SET_BY_BENCH = new Set(['DATABASE_URL', 'REDIS_URL', 'QUEUE_PREFIX', 'PORT', 'HOST', 'LOG_LEVEL']);

function ombudsSettings(env: NodeJS.ProcessEnv): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const name of Object.keys(EnvSchema.shape)) {
    const value = env[name];
    if (value !== undefined && value !== '' && !SET_BY_BENCH.has(name)) settings[name] = value;
  }
  return settings;
}

export const USAGE = `npm run bench -- [--duration=15] [--warmup=3] [--connections=64] [--topology=split|single|deferred]
                     [--customers=2000] [--ids=fixture|uuid] [--drain-stall=60] [--only=PART,…] [--cpu-prof]
                     [--conversations=200] [--dialog-duration=20] [--dialog-warmup=5] [--dialog-think=0]
                     [--import-calls=1000,10000]
--only takes any of classifier, timers, queue, dialog, channels, import, ombuds, baseline (intake bench systems); default: all of them.
channels (the mixed-channel intake bench) takes --duration, --warmup, --connections, --topology, --customers, --ids per run,
and --channel-runs=api,sms_twilio,whatsapp,wechat,telegram,mixed (any subset; default all).
Environment: BENCH_DURATION_S, BENCH_WARMUP_S, BENCH_CONNECTIONS, BENCH_TOPOLOGY, BENCH_CUSTOMERS, BENCH_IDS,
             BENCH_DIALOG_CONVERSATIONS, BENCH_DIALOG_DURATION_S, BENCH_DIALOG_WARMUP_S, BENCH_DIALOG_THINK_S,
             BENCH_CHANNEL_RUNS, BENCH_IMPORT_CALLS (corpus sizes of the import bench, comma-separated),
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
      ids: { type: 'string' },
      'drain-stall': { type: 'string' },
      conversations: { type: 'string' },
      'dialog-duration': { type: 'string' },
      'dialog-warmup': { type: 'string' },
      'dialog-think': { type: 'string' },
      'import-calls': { type: 'string' },
      'channel-runs': { type: 'string' },
      only: { type: 'string' },
      'cpu-prof': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) return 'help';
  const topology = values.topology ?? env.BENCH_TOPOLOGY ?? 'split';
  if (topology !== 'single' && topology !== 'split' && topology !== 'deferred') {
    throw new Error(`--topology must be single, split or deferred (got "${topology}")`);
  }
  const ids = values.ids ?? env.BENCH_IDS ?? 'fixture';
  if (ids !== 'fixture' && ids !== 'uuid') throw new Error(`--ids must be fixture or uuid (got "${ids}")`);
  const PARTS = ['classifier', 'timers', 'queue', 'dialog', 'channels', 'import', 'ombuds', 'baseline'] as const;
  const only = values.only === undefined ? [...PARTS] : values.only.split(',').map((part) => part.trim());
  const unknown = only.filter((part) => !(PARTS as readonly string[]).includes(part));
  if (unknown.length > 0 || only.length === 0) throw new Error(`--only takes ${PARTS.join(', ')} (got "${values.only ?? ''}")`);
  const channelRuns = (values['channel-runs'] ?? env.BENCH_CHANNEL_RUNS ?? CHANNEL_RUNS.join(',')).split(',').map((run) => run.trim());
  const isChannelRun = (run: string): run is ChannelRun => (CHANNEL_RUNS as readonly string[]).includes(run);
  if (channelRuns.length === 0 || !channelRuns.every(isChannelRun)) throw new Error(`--channel-runs takes ${CHANNEL_RUNS.join(', ')} (got "${channelRuns.join(',')}")`);
  return {
    durationS: positive('--duration', values.duration ?? env.BENCH_DURATION_S, 15),
    warmupS: positive('--warmup', values.warmup ?? env.BENCH_WARMUP_S, 3, 0),
    connections: Math.round(positive('--connections', values.connections ?? env.BENCH_CONNECTIONS, 64)),
    topology,
    customers: Math.round(positive('--customers', values.customers ?? env.BENCH_CUSTOMERS, 2000)),
    ids,
    drainStallS: positive('--drain-stall', values['drain-stall'], 60),
    redisUrl: env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    cpuProfileDir: values['cpu-prof'] === true ? join(PROJECT_ROOT, 'bench', 'results', `profiles-${new Date().toISOString().replace(/[:.]/g, '-')}`) : null,
    systems: { ombuds: only.includes('ombuds'), baseline: only.includes('baseline') },
    parts: {
      classifier: only.includes('classifier'),
      timers: only.includes('timers'),
      queue: only.includes('queue'),
      dialog: only.includes('dialog'),
      channels: only.includes('channels'),
      import: only.includes('import'),
      intake: only.includes('ombuds') || only.includes('baseline'),
    },
    conversations: Math.round(positive('--conversations', values.conversations ?? env.BENCH_DIALOG_CONVERSATIONS, 200)),
    dialogDurationS: positive('--dialog-duration', values['dialog-duration'] ?? env.BENCH_DIALOG_DURATION_S, 20),
    dialogWarmupS: positive('--dialog-warmup', values['dialog-warmup'] ?? env.BENCH_DIALOG_WARMUP_S, 5, 0),
    dialogThinkS: positive('--dialog-think', values['dialog-think'] ?? env.BENCH_DIALOG_THINK_S, 0, 0),
    channelRuns: CHANNEL_RUNS.filter((run) => channelRuns.includes(run)),
    importCalls: (values['import-calls'] ?? env.BENCH_IMPORT_CALLS ?? '1000,10000').split(',').map((raw) => Math.round(positive('--import-calls', raw.trim(), 1000))),
    ombudsSettings: ombudsSettings(env),
  };
}
