/**
 * The mixed-channel intake bench (issue 6, "Performance"): what signature verification and parsing cost on the
 * webhook channels next to the API channel. Ombuds (`ombuds serve` + `ombuds work` by default, `--topology` as for
 * the intake bench) runs with Twilio SMS, WhatsApp, WeChat (plain mode) and Telegram on, their vendor APIs pointed at
 * one fake in this process (bench/fake-vendor-apis.ts) so that the intake dialog's replies go out at once, and the
 * offline classifier. Six runs, each on its own throw-away database and BullMQ prefix, with the same duration,
 * connections, texts and senders: the API channel alone, each webhook channel alone, then the five in equal parts
 * (every connection sends one request of each channel in turn). Every request has a message id of its own and a
 * signature made for it (bench/channel-requests.ts). After each run's load the workers drain, the replies are sent,
 * and every message answered 2xx must be stored. The report gives per channel msgs/s, p50/p99 and the ratio to the
 * API channel alone, the verdict on the target (each webhook channel alone ≥ 0.9 × the API channel alone), and the
 * mixed load's total. Runs in `npm run bench` (`--only=channels`), or alone as `npx tsx bench/channels.ts`.
 */
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { ApiMessageBody } from '../src/contracts/index.js';
import { driveChannels, type ChannelLoadPhase, type Percentiles } from './channel-load.js';
import { measureParseCosts, type ParseCost } from './channel-parse-cost.js';
import { startChannelOmbuds, TOPOLOGY_NAMES } from './channel-ombuds.js';
import { CHANNEL_LABELS, CHANNELS, channelEnv, createChannelSource, type ChannelName } from './channel-requests.js';
import { checkChannelStorage, waitForReplies, type ChannelStorage } from './channel-storage.js';
import { defer, releaseAll } from './cleanup.js';
import { cpuBetween, cpuSnapshot, type CpuUsage } from './cpu.js';
import { startFakeVendorApis, type FakeVendorApis } from './fake-vendor-apis.js';
import { checkpoint, createThrowawayDatabase, deleteRedisPrefix, uniquePrefix } from './infrastructure.js';
import { log, waitForQuiet } from './measure.js';
import { eventLoopLag, scrape, type EventLoopLag } from './metrics.js';
import { parseOptions, USAGE, type BenchOptions, type ChannelRun as PlannedRun, type Topology } from './options.js';
import { processingProgress, waitForProcessing } from './verify.js';
import { loadFixtures, type IdFormat } from './workload.js';

/** The target: each webhook channel alone accepts at least this share of the API channel's messages/s. */
export const TARGET_RATIO = 0.9;
/** Settings never shown in the report (secrets). */
const HIDDEN = /(SECRET|TOKEN|PASSWORD|_KEY$|_KEY_|AUTH)/;

export interface ChannelsBenchOptions {
  durationS: number;
  warmupS: number;
  connections: number;
  topology: Topology;
  customers: number;
  ids: IdFormat;
  drainStallS: number;
  /** Which runs, in this order: each channel alone, then `mixed`. */
  runs: PlannedRun[];
  redisUrl: string;
  cpuProfileDir: string | null;
  ombudsSettings: Record<string, string>;
}

/** The channels bench's share of the bench's options (the intake bench's duration, connections, topology …). */
export function channelsOptions(options: BenchOptions): ChannelsBenchOptions {
  return {
    durationS: options.durationS,
    warmupS: options.warmupS,
    connections: options.connections,
    topology: options.topology,
    customers: options.customers,
    ids: options.ids,
    drainStallS: options.drainStallS,
    runs: options.channelRuns,
    redisUrl: options.redisUrl,
    cpuProfileDir: options.cpuProfileDir,
    ombudsSettings: options.ombudsSettings,
  };
}

export type PhaseReport = Omit<ChannelLoadPhase, 'acceptedIds'>;

export interface ChannelRun {
  name: string;
  channels: ChannelName[];
  processes: Record<string, number[]>;
  warmup: PhaseReport | null;
  measured: PhaseReport;
  /** After the load: inbound processing and reply delivery. */
  drain: {
    complete: boolean;
    processed: number;
    failed: number;
    pending: number;
    /** From the end of the load to the last message processed. */
    drainSeconds: number | null;
    repliesComplete: boolean;
    repliesUnsent: number;
  };
  storage: ChannelStorage[];
  cpu: CpuUsage | null;
  /** The HTTP process's event-loop lag in the measured window. */
  eventLoopLag: EventLoopLag | null;
  /** Calls the fake vendor APIs answered during the run (replies, typing indicators, tokens). */
  vendorCalls: Record<string, number>;
  notes: string[];
}

export interface ChannelFigures {
  channel: ChannelName;
  /** The channel alone: accepted msgs/s, latency, ratio to the API channel alone. */
  alone: {
    perSecond: number;
    p50: number;
    p99: number;
    non2xx: number;
    ratioToApi: number | null;
    /** CPU of the HTTP process per accepted message (µs; split and deferred topologies): less noisy than msgs/s. */
    httpMicrosPerMessage: number | null;
    /** The API channel's httpMicrosPerMessage over this channel's: the throughput ratio were the HTTP process the limit. */
    cpuRatioToApi: number | null;
  } | null;
  /** The channel's share of the mixed load. */
  mixed: { perSecond: number; p50: number; p99: number; non2xx: number } | null;
}

export interface ChannelVerdict {
  target: string;
  value: string;
  pass: boolean;
}

/** Verification and parsing in this process, against what one API message costs the HTTP process under load. */
export interface VerificationCost extends ParseCost {
  /** verify + parse over the API channel's own parsing (µs). */
  extraMicros: number;
  /** extraMicros as a share of the HTTP process's CPU per API message in the API-alone run (null without it). */
  shareOfApiHttpCost: number | null;
  /** The same with the raw payload's redaction added on both sides. */
  extraWithRawMicros: number;
  shareWithRawOfApiHttpCost: number | null;
}

export interface ChannelsBenchResult {
  topology: Topology;
  connections: number;
  warmupS: number;
  durationS: number;
  customers: number;
  cores: number;
  settings: Record<string, string>;
  runs: ChannelRun[];
  /** CPU of the HTTP process per API message in the API-alone run (µs; split and deferred topologies only). */
  apiHttpMicrosPerMessage: number | null;
  verification: VerificationCost[];
  figures: ChannelFigures[];
  mixed: { totalPerSecond: number; ratioToApi: number | null } | null;
  /** How the target is read. */
  reading: string;
  notes: string[];
  verdicts: ChannelVerdict[];
}

function reading(topology: Topology): string {
  const workers = topology === 'deferred' ? 'workers started only once the load stopped' : 'workers running';
  const charged = topology === 'deferred' ? 'and its "typing…" call' : 'its "typing…" call and, with the workers sharing the cores, its dialog turn and reply';
  return (
    'Target "signature verification and parsing cost < 10 % of the API channel\'s throughput", read as: each webhook ' +
    `channel driven alone exactly like the API channel (same connections, duration, texts and senders, same Ombuds, ${workers}) ` +
    'accepts ≥ 0.9 × the API channel\'s msgs/s. This charges the channel with everything its message costs beyond an API ' +
    `message — verification and parsing, but also its envelope, what intake does with the vendor's raw payload, ${charged} — ` +
    'so it is an upper bound of the verification and parsing cost; the micro-bench above isolates verification and parsing.'
  );
}

function report(phase: ChannelLoadPhase): PhaseReport {
  const { acceptedIds: _ids, ...rest } = phase;
  return rest;
}

function countsBetween(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const [name, value] of Object.entries(after)) {
    const change = value - (before[name] ?? 0);
    if (change > 0) delta[name] = change;
  }
  return delta;
}

async function runOne(name: string, channels: ChannelName[], options: ChannelsBenchOptions, fixtures: readonly ApiMessageBody[], fake: FakeVendorApis): Promise<ChannelRun> {
  const database = await createThrowawayDatabase('channels');
  const dropDatabase = defer(`database ${database.name}`, () => database.drop());
  const queuePrefix = uniquePrefix('channels');
  const deleteKeys = defer(`Redis keys ${queuePrefix}:*`, () => deleteRedisPrefix(options.redisUrl, queuePrefix));
  try {
    log(`channels — ${name}: database ${database.name}, BullMQ prefix ${queuePrefix}`);
    await checkpoint();
    const notes = await waitForQuiet(`channels — ${name}`);
    const nodeArgs = options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
    const ombuds = await startChannelOmbuds({ databaseUrl: database.url, redisUrl: options.redisUrl, queuePrefix, nodeArgs, channelEnv: channelEnv(fake.apiRoot) }, options.topology);
    const stopOmbuds = defer(`${ombuds.name} (channels — ${name})`, () => ombuds.stop());
    try {
      const vendorBefore = fake.counts();
      const sources = channels.map((channel) => createChannelSource(channel, { fixtures, customers: options.customers, ids: options.ids, apiKey: ombuds.apiKey }));
      let warmup: ChannelLoadPhase | null = null;
      if (options.warmupS > 0) {
        log(`channels — ${name}: warm-up ${String(options.warmupS)} s`);
        warmup = await driveChannels(ombuds.baseUrl, sources, { label: 'warm-up', seconds: options.warmupS, connections: options.connections });
      }
      await scrape(ombuds.baseUrl);
      const cpuBefore = cpuSnapshot(ombuds.pids);
      log(`channels — ${name}: measuring ${String(options.durationS)} s at ${String(options.connections)} connections`);
      const measured = await driveChannels(ombuds.baseUrl, sources, { label: 'measured', seconds: options.durationS, connections: options.connections });
      const cpu = cpuBetween(cpuBefore, cpuSnapshot(ombuds.pids));
      const lag = eventLoopLag(await scrape(ombuds.baseUrl));
      log(`channels — ${name}: ${String(measured.accepted)} accepted in ${measured.seconds.toFixed(1)} s (${measured.acceptedPerSecond.toFixed(0)}/s); waiting for the workers`);

      await ombuds.afterLoad();
      const drained = await waitForProcessing(database.url, options.drainStallS * 1000, (progress) => {
        log(`channels — ${name}: ${String(progress.processed)} processed, ${String(progress.pending)} pending`);
      });
      const replies = await waitForReplies(database.url, options.drainStallS * 1000);
      await stopOmbuds();
      const vendorCalls = countsBetween(vendorBefore, fake.counts());

      const storage: ChannelStorage[] = [];
      for (const channel of channels) {
        const ids = [...(warmup?.acceptedIds[channel] ?? []), ...(measured.acceptedIds[channel] ?? [])];
        storage.push(await checkChannelStorage(database.url, channel, ids));
      }
      const progress = await processingProgress(database.url);
      const last = progress.lastProcessedAt;
      if (!drained.complete) notes.push(`the workers stopped making progress for ${String(options.drainStallS)} s with ${String(drained.pending)} messages pending.`);
      if (channels.includes('api')) notes.push('the API app has no callback URL, so its acknowledgements are marked failed at once (as in the intake bench): "out failed" counts them.');
      if (!replies.complete) notes.push(`${String(replies.unsent)} replies still unsent (${String(replies.retrying)} retrying) after ${String(options.drainStallS)} s without progress.`);
      return {
        name,
        channels,
        // Named after the run, to tell apart the CPU profiles of the six runs' processes.
        processes: Object.fromEntries(Object.entries(ombuds.pids).map(([role, ids]) => [`${name}: ${role}`, ids])),
        warmup: warmup ? report(warmup) : null,
        measured: report(measured),
        drain: {
          complete: drained.complete,
          processed: drained.processed,
          failed: drained.failed,
          pending: drained.pending,
          drainSeconds: last === null ? null : Math.max(0, (last - measured.finishedAt) / 1000),
          repliesComplete: replies.complete,
          repliesUnsent: replies.unsent,
        },
        storage,
        cpu,
        eventLoopLag: lag,
        vendorCalls,
        notes,
      };
    } finally {
      await stopOmbuds();
    }
  } finally {
    await deleteKeys();
    await dropDatabase();
  }
}

function channelOf(run: ChannelRun | undefined, channel: ChannelName) {
  return run?.measured.byChannel.find((entry) => entry.channel === channel);
}

/** The HTTP process's CPU per accepted message (µs) in a run, when it ran as its own process. */
function httpMicros(run: ChannelRun | undefined): number | null {
  const cores = run?.cpu?.groupCores['ombuds serve (http)'];
  const rate = run?.measured.acceptedPerSecond ?? 0;
  return cores === undefined || rate <= 0 ? null : (cores * 1e6) / rate;
}

function summarize(runs: ChannelRun[]): Pick<ChannelsBenchResult, 'figures' | 'mixed' | 'verdicts'> {
  const aloneRun = (channel: ChannelName) => runs.find((run) => run.channels.length === 1 && run.channels[0] === channel);
  const mixedRun = runs.find((run) => run.channels.length > 1);
  const api = channelOf(aloneRun('api'), 'api');
  const apiRate = api && api.acceptedPerSecond > 0 ? api.acceptedPerSecond : null;
  const figures: ChannelFigures[] = CHANNELS.map((channel) => {
    const alone = channelOf(aloneRun(channel), channel);
    const mixed = channelOf(mixedRun, channel);
    const micros = httpMicros(aloneRun(channel));
    const apiMicros = httpMicros(aloneRun('api'));
    return {
      channel,
      alone: alone
        ? {
            perSecond: alone.acceptedPerSecond,
            p50: alone.latencyMs.p50,
            p99: alone.latencyMs.p99,
            non2xx: alone.non2xx,
            ratioToApi: apiRate === null ? null : alone.acceptedPerSecond / apiRate,
            httpMicrosPerMessage: micros,
            cpuRatioToApi: micros === null || apiMicros === null || micros <= 0 ? null : apiMicros / micros,
          }
        : null,
      mixed: mixed ? { perSecond: mixed.acceptedPerSecond, p50: mixed.latencyMs.p50, p99: mixed.latencyMs.p99, non2xx: mixed.non2xx } : null,
    };
  });
  const mixed = mixedRun ? { totalPerSecond: mixedRun.measured.acceptedPerSecond, ratioToApi: apiRate === null ? null : mixedRun.measured.acceptedPerSecond / apiRate } : null;

  const verdicts: ChannelVerdict[] = [];
  for (const figure of figures) {
    if (figure.channel === 'api' || figure.alone?.ratioToApi === null || figure.alone?.ratioToApi === undefined) continue;
    const ratio = figure.alone.ratioToApi;
    verdicts.push({
      target: `${CHANNEL_LABELS[figure.channel]} alone ≥ ${TARGET_RATIO.toFixed(1)} × API alone (verification + parsing < 10 %)`,
      value: `${ratio.toFixed(2)} (${figure.alone.perSecond.toFixed(0)} vs ${(apiRate ?? 0).toFixed(0)} msgs/s)`,
      pass: ratio >= TARGET_RATIO,
    });
  }
  const lost = runs.reduce((sum, run) => sum + run.storage.reduce((inner, storage) => inner + storage.lost, 0), 0);
  verdicts.push({ target: 'no accepted message lost (every 2xx has its stored row, all runs)', value: `${String(lost)} lost`, pass: lost === 0 });
  const errors = runs.reduce((sum, run) => sum + run.measured.non2xx + run.measured.errors + run.measured.timeouts + (run.warmup ? run.warmup.non2xx + run.warmup.errors + run.warmup.timeouts : 0), 0);
  verdicts.push({ target: 'no errors under load (non-2xx, connection errors, timeouts; all runs)', value: String(errors), pass: errors === 0 });
  const unfinished = runs.filter((run) => !run.drain.complete || run.drain.failed > 0 || !run.drain.repliesComplete);
  verdicts.push({
    target: 'every accepted message processed and every reply sent (all runs)',
    value: unfinished.length === 0 ? 'yes' : unfinished.map((run) => `${run.name}: ${String(run.drain.pending)} pending, ${String(run.drain.failed)} failed, ${String(run.drain.repliesUnsent)} replies unsent`).join('; '),
    pass: unfinished.length === 0,
  });
  return { figures, mixed, verdicts };
}

/** The API channel's httpMicrosPerMessage. */
function apiHttpMicros(runs: ChannelRun[]): number | null {
  return httpMicros(runs.find((entry) => entry.channels.length === 1 && entry.channels[0] === 'api'));
}

function verificationCosts(costs: ParseCost[], httpMicros: number | null): VerificationCost[] {
  const api = costs.find((cost) => cost.channel === 'api');
  const share = (micros: number) => (httpMicros === null ? null : micros / httpMicros);
  return costs.map((cost) => {
    const extraMicros = cost.microsPerRequest - (api?.microsPerRequest ?? 0);
    const extraWithRawMicros = extraMicros + cost.rawRedactionMicros - (api?.rawRedactionMicros ?? 0);
    return { ...cost, extraMicros, shareOfApiHttpCost: share(extraMicros), extraWithRawMicros, shareWithRawOfApiHttpCost: share(extraWithRawMicros) };
  });
}

export async function benchChannels(options: ChannelsBenchOptions): Promise<ChannelsBenchResult> {
  const fixtures = loadFixtures();
  // On this process's one thread, before any server competes for the CPU.
  const notes = (await waitForQuiet('the verification + parsing micro-bench')).map((note) => `verification + parsing: ${note}`);
  const parseCosts = await measureParseCosts(fixtures);
  log(`channels: verify + parse (+ raw redaction) per request: ${parseCosts.map((cost) => `${cost.channel} ${cost.microsPerRequest.toFixed(1)} (+ ${cost.rawRedactionMicros.toFixed(1)}) µs`).join(', ')}`);
  const fake = await startFakeVendorApis();
  const closeFake = defer('fake vendor APIs', () => fake.close());
  log(`channels: fake vendor APIs at ${fake.apiRoot}; ${TOPOLOGY_NAMES[options.topology]}`);
  const runs: ChannelRun[] = [];
  try {
    const plan = options.runs.map((run): { name: string; channels: ChannelName[] } =>
      run === 'mixed' ? { name: 'mixed (5 channels, equal parts)', channels: [...CHANNELS] } : { name: `${CHANNEL_LABELS[run]} alone`, channels: [run] },
    );
    for (const step of plan) runs.push(await runOne(step.name, step.channels, options, fixtures, fake));
    if (fake.refused() > 0) runs.at(-1)?.notes.push(`the fake vendor APIs refused ${String(fake.refused())} calls to paths no vendor has.`);
  } finally {
    await closeFake();
  }
  const settings = Object.fromEntries(Object.entries(options.ombudsSettings).filter(([name]) => !HIDDEN.test(name)));
  const httpMicros = apiHttpMicros(runs);
  return {
    topology: options.topology,
    connections: options.connections,
    warmupS: options.warmupS,
    durationS: options.durationS,
    customers: options.customers,
    cores: cpus().length,
    settings,
    runs,
    apiHttpMicrosPerMessage: httpMicros,
    verification: verificationCosts(parseCosts, httpMicros),
    ...summarize(runs),
    reading: reading(options.topology),
    notes,
  };
}

// --- The printed report -------------------------------------------------------------------------------------------

const fixed = (value: number | null | undefined, digits = 0) => (value === null || value === undefined ? '—' : value.toFixed(digits));

function table(header: string[], rows: string[][]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

const latency = (p: Percentiles) => `${fixed(p.p50)} / ${fixed(p.p99)}`;

export function formatChannelsBench(result: ChannelsBenchResult): string {
  const settings = Object.entries(result.settings).map(([name, value]) => `${name}=${value}`);
  const out: string[] = [
    `Channels bench (issue 6) — Ombuds (${TOPOLOGY_NAMES[result.topology]}) on PostgreSQL + Redis, offline classifier, ${String(result.cores)} cores, fake vendor APIs in the bench process`,
    `  each run: ${String(result.connections)} connections, ${String(result.warmupS)} s warm-up + ${String(result.durationS)} s measured, ${String(result.customers)} senders per channel, API fixture texts rotated, a unique message id and a fresh signature per request; Ombuds settings: ${settings.length > 0 ? settings.join(' ') : 'defaults'}`,
    '',
  ];
  const rows = result.figures.map((figure) => [
    CHANNEL_LABELS[figure.channel],
    fixed(figure.alone?.perSecond),
    figure.alone ? `${fixed(figure.alone.p50)} / ${fixed(figure.alone.p99)}` : '—',
    fixed(figure.alone?.ratioToApi, 2),
    fixed(figure.alone?.httpMicrosPerMessage),
    fixed(figure.alone?.cpuRatioToApi, 2),
    fixed(figure.mixed?.perSecond),
    figure.mixed ? `${fixed(figure.mixed.p50)} / ${fixed(figure.mixed.p99)}` : '—',
  ]);
  if (result.mixed) rows.push(['mixed, all channels', '', '', '', '', '', fixed(result.mixed.totalPerSecond), `(${fixed(result.mixed.ratioToApi, 2)} × API alone)`]);
  out.push(
    table(['channel', 'alone msgs/s', 'p50 / p99 ms', '× API', 'HTTP CPU µs/msg', 'CPU × API', 'in mix msgs/s', 'p50 / p99 ms'], rows),
    '  × API: msgs/s alone over the API channel alone. HTTP CPU µs/msg: CPU of the HTTP process per accepted message in that run; CPU × API: the',
    '  API channel\'s µs/msg over the channel\'s, the msgs/s ratio were the HTTP process the only limit (less sensitive to other load on the machine).',
    '',
  );

  const runRows = result.runs.map((run) => {
    const storage = run.storage;
    const sum = (pick: (entry: ChannelStorage) => number) => storage.reduce((total, entry) => total + pick(entry), 0);
    const cores = run.cpu ? Object.entries(run.cpu.groupCores).filter(([, value]) => value >= 0.005).map(([group, value]) => `${group.replace(/ \(.*\)$/, '')} ${value.toFixed(2)}`).join(', ') : 'n/a';
    return [
      run.name,
      latency(run.measured.latencyMs),
      `${String(run.measured.non2xx)} / ${String(run.measured.errors)} / ${String(run.measured.timeouts)}`,
      `${String(sum((entry) => entry.accepted))} / ${String(sum((entry) => entry.rows))} / ${String(sum((entry) => entry.lost))}`,
      fixed(run.drain.drainSeconds, 1),
      `${String(sum((entry) => entry.outbound.sent ?? 0))} / ${String(sum((entry) => entry.outbound.failed ?? 0))} / ${String(run.drain.repliesUnsent)}`,
      run.eventLoopLag ? fixed(run.eventLoopLag.p99Ms, 1) : 'n/a',
      cores,
    ];
  });
  const perMessage = result.apiHttpMicrosPerMessage;
  out.push(
    `Verification + parsing per request, and the redaction of the vendor's raw payload intake does on the same request, in the bench process on one thread (the HTTP process spent ${perMessage === null ? 'n/a' : `${perMessage.toFixed(0)} µs`} of CPU per API message in the API-alone run):`,
    table(
      ['channel', 'what', 'verify+parse µs', 'extra vs API: µs, % of API msg', 'raw redaction µs', 'with it: µs, %'],
      result.verification.map((cost) => {
        const extra = (micros: number, share: number | null) => (cost.channel === 'api' ? '' : `${fixed(micros, 1)}, ${share === null ? '—' : `${fixed(100 * share, 1)} %`}`);
        return [
          CHANNEL_LABELS[cost.channel],
          cost.what,
          fixed(cost.microsPerRequest, 1),
          extra(cost.extraMicros, cost.shareOfApiHttpCost),
          fixed(cost.rawRedactionMicros, 1),
          extra(cost.extraWithRawMicros, cost.shareWithRawOfApiHttpCost),
        ];
      }),
    ),
    '',
  );
  out.push(table(['run', 'all p50 / p99 ms', 'non-2xx / err / t.o.', '2xx / rows / lost', 'drain s', 'out sent / failed / unsent', 'loop lag p99', 'cores in window'], runRows), '');
  for (const run of result.runs) {
    const calls = Object.entries(run.vendorCalls).map(([api, count]) => `${api} ${String(count)}`).join(', ');
    if (calls !== '') out.push(`${run.name}: vendor API calls: ${calls}`);
    for (const channel of run.measured.byChannel) for (const sample of channel.sampleErrors) out.push(`${run.name}: ${CHANNEL_LABELS[channel.channel]}: sample error: ${sample}`);
    for (const note of run.notes) out.push(`${run.name}: note: ${note}`);
  }
  for (const note of result.notes) out.push(`note: ${note}`);
  out.push('', `Reading: ${result.reading}`);
  for (const verdict of result.verdicts) out.push(`${verdict.pass ? 'PASS' : 'FAIL'}  ${verdict.target}: ${verdict.value}`);
  return out.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // `npx tsx bench/channels.ts [--duration=S] [--warmup=S] [--connections=N] [--topology=…] [--cpu-prof]`
  const parsed = parseOptions(process.argv.slice(2), process.env);
  if (parsed === 'help') {
    console.log(USAGE);
  } else {
    try {
      console.log(formatChannelsBench(await benchChannels(channelsOptions(parsed))));
    } finally {
      await releaseAll();
    }
  }
}
