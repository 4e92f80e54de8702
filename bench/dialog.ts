/**
 * The dialog-turn bench (issue 5, "Performance"): Ombuds as `ombuds serve` + `ombuds work` (the production
 * topology) on a throw-away PostgreSQL database and BullMQ prefix, with the Telegram channel pointed at a fake Bot
 * API in this process (bench/fake-telegram-api.ts) and the offline classifier (no OPENAI_* variables). N concurrent
 * customers (200 by default) each play scripted intake conversations (bench/dialog-customers.ts) in new chats, one
 * after another, for a warm-up and then the measured window, each message as soon as the previous reply arrived
 * (or after `--dialog-think` seconds); a conversation still running when the window ends is played to its end (not
 * counted). Turn latency = from just before the webhook POST to the arrival of that turn's
 * first `sendMessage` at the fake. Reports turns/s, p50/p90/p99/max (target p99 < 300 ms), conversations completed
 * with a reference, lost turns (no reply within 30 s), and checks in the database that every conversation that
 * confirmed has its registered complaint; where the time went comes from the timestamps Ombuds stores.
 * Runs in `npm run bench` (`--only=dialog`), or alone as `npx tsx bench/dialog.ts`.
 */
import { Agent } from 'node:http';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { defer, interruption, releaseAll } from './cleanup.js';
import { cpuBetween, cpuSnapshot, type CpuSnapshot, type CpuUsage } from './cpu.js';
import { playConversation, SCRIPTS, type ConversationResult, type DialogTarget, type TurnResult } from './dialog-customers.js';
import { startFakeTelegramApi, type FakeTelegramApi } from './fake-telegram-api.js';
import { checkpoint, createThrowawayDatabase, deleteRedisPrefix, uniquePrefix } from './infrastructure.js';
import { log, waitForQuiet } from './measure.js';
import { parseOptions, USAGE, type BenchOptions } from './options.js';
import { freePort, runCommand, spawnService, waitForHttpOk, type Service } from './processes.js';

const BOT_TOKEN = '7000000099:AAH-dialog-bench-token-for-the-fake-api';
const WEBHOOK_SECRET = 'dialog-bench-webhook-secret';
const TARGET_P99_MS = 300;
/** A turn whose first reply has not arrived after this long is lost. */
const LOST_AFTER_MS = 30_000;
/** After the last turn, how long to wait for replies nobody waited for (a turn answered twice). */
const EXTRA_REPLY_GRACE_MS = 2_000;
const READY_TIMEOUT_MS = 60_000;
/** Chats are numbered from here (a fresh database each run, so any base will do). */
const FIRST_CHAT = 900_000_001;
/** Variables never shown in the report (secrets), nor passed on (the offline classifier is measured). */
const HIDDEN = /^(OPENAI_|TELEGRAM_|BOTFRAMEWORK_APP_PASSWORD$|PII_HASH_SECRET$|WEBCHAT_SESSION_SECRET$)/;

export interface DialogBenchOptions {
  /** Customers in conversation at the same time. */
  conversations: number;
  /** Measured seconds (turns started in this window count). */
  durationS: number;
  /** Seconds of conversations before the measured window (not counted). */
  warmupS: number;
  /** Each customer's pause before each message, in seconds (0: as soon as the previous reply arrived). */
  thinkS: number;
  redisUrl: string;
  /** Write V8 CPU profiles of `ombuds serve` and `ombuds work` here, or null. */
  cpuProfileDir: string | null;
  /** Ombuds settings from the environment (already in the children's environment; shown in the report). */
  ombudsSettings: Record<string, string>;
}

/** The dialog bench's share of the bench's options. */
export function dialogOptions(options: BenchOptions): DialogBenchOptions {
  return {
    conversations: options.conversations,
    durationS: options.dialogDurationS,
    warmupS: options.dialogWarmupS,
    thinkS: options.dialogThinkS,
    redisUrl: options.redisUrl,
    cpuProfileDir: options.cpuProfileDir,
    ombudsSettings: options.ombudsSettings,
  };
}

export interface Percentiles {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface DialogBenchResult {
  conversations: number;
  warmupS: number;
  durationS: number;
  thinkS: number;
  cores: number;
  scripts: string[];
  settings: Record<string, string>;
  /** Turns started in the measured window whose first reply arrived. */
  measured: {
    turns: number;
    seconds: number;
    turnsPerSecond: number;
    latencyMs: Percentiles;
    /** By kind of turn: a first message or an answer (a question or the summary back), the confirmation (registers). */
    byKind: Record<string, Percentiles>;
    /** Until `POST /webhooks/telegram` answered 200 (the message stored). */
    webhookMs: Percentiles;
  };
  /** Over the whole run (warm-up and the conversations finished after the window included). */
  totals: {
    conversationsStarted: number;
    conversationsCompleted: number;
    turns: number;
    lostTurns: number;
    webhookFailures: number;
    /** First replies that were not what the script expected (the dialog took another path). */
    unexpectedReplies: number;
    /** sendMessage calls beyond one per turn. */
    extraReplies: number;
    sampleProblems: string[];
  };
  storage: StorageCheck;
  /** Where a measured turn's time went, from the timestamps Ombuds stores (ms, wall clock). */
  stages: StageBreakdown | null;
  databaseWork: DatabaseWork | null;
  cpu: CpuUsage | null;
  fakeCalls: Record<string, number>;
  processes: Record<string, number[]>;
  notes: string[];
  targetP99Ms: number;
  pass: boolean;
}

export interface StorageCheck {
  /** Conversations whose confirmation the webhook accepted. */
  confirmed: number;
  /** Of those, conversations with a registered complaint (not a draft, not merged) in the database. */
  registered: number;
  missing: number;
  /** The reference sent to the customer is not the complaint registered for the chat. */
  referenceMismatches: number;
  inboundPending: number;
  inboundFailed: number;
  outboundUnsent: number;
  outboundFailed: number;
}

/** What PostgreSQL did for the whole run (warm-up included), per turn taken (pg_stat_database, pg_stat_user_tables). */
export interface DatabaseWork {
  turns: number;
  /** Commits per turn (each statement outside a transaction counts as one). */
  transactionsPerTurn: number;
  rowsWrittenPerTurn: number;
  /** Rows inserted + updated + deleted per turn, by table, most first. */
  byTable: { table: string; inserted: number; updated: number; deleted: number }[];
}

export interface StageBreakdown {
  turns: number;
  /** Inbound received (webhook) → the turn's reply written by the intake worker: intake queue wait + lock + classify. */
  receivedToReplyWritten: Percentiles;
  /** Inbound received → marked processed (the turn's transaction about to commit). */
  receivedToTurnDone: Percentiles;
  /** Turn done → reply sent (commit, outbound job enqueued and picked up, sendMessage answered). */
  turnDoneToReplySent: Percentiles;
}

export function percentiles(values: readonly number[]): Percentiles {
  if (values.length === 0) return { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
  return {
    count: sorted.length,
    mean: sorted.reduce((sum, value) => sum + value, 0) / sorted.length,
    p50: rank(50),
    p90: rank(90),
    p99: rank(99),
    max: sorted[sorted.length - 1] ?? 0,
  };
}

interface RunningOmbuds {
  baseUrl: string;
  pids: Record<string, number[]>;
  stop(): Promise<void>;
}

async function startOmbuds(env: Record<string, string>, nodeArgs: string[]): Promise<RunningOmbuds> {
  await runCommand('ombuds migrate', 'src/main.ts', ['migrate'], env);
  const services: Service[] = [];
  const stop = () => Promise.all(services.map((service) => service.stop())).then(() => undefined);
  try {
    const http = spawnService('ombuds serve', 'src/main.ts', ['serve'], env, nodeArgs);
    services.push(http);
    const workers = spawnService('ombuds work', 'src/main.ts', ['work'], env, nodeArgs);
    services.push(workers);
    const baseUrl = `http://127.0.0.1:${env.PORT ?? ''}`;
    await Promise.all([waitForHttpOk(`${baseUrl}/readyz`, http, READY_TIMEOUT_MS), workers.waitForLine(/workers running/, READY_TIMEOUT_MS)]);
    return { baseUrl, pids: { 'ombuds serve (http)': [http.pid], 'ombuds work (workers)': [workers.pid] }, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function renameGroup(usage: CpuUsage | null, from: string, to: string): CpuUsage | null {
  if (!usage) return null;
  const groupCores = Object.fromEntries(Object.entries(usage.groupCores).map(([group, cores]) => [group === from ? to : group, cores]));
  return { ...usage, groupCores };
}

const KINDS = ['first message', 'answer', 'confirmation (registers)'] as const;

function kindOf(turnIndex: number, turns: number): (typeof KINDS)[number] {
  if (turnIndex === turns - 1) return 'confirmation (registers)';
  return turnIndex === 0 ? 'first message' : 'answer';
}

/** The customers: `conversations` loops, each playing conversations in new chats until `endAt`. */
async function drive(target: DialogTarget, options: DialogBenchOptions, endAt: number): Promise<ConversationResult[]> {
  const results: ConversationResult[] = [];
  let started = 0;
  const customer = async (slot: number): Promise<void> => {
    // Spread the first messages over a second (or the pause) rather than sending all of them at the same instant.
    const spreadMs = Math.max(1000, options.thinkS * 1000);
    await new Promise((resolve) => setTimeout(resolve, Math.floor((slot * spreadMs) / options.conversations)));
    while (performance.now() < endAt && interruption() === null) {
      const number = started++;
      const script = SCRIPTS[number % SCRIPTS.length];
      if (!script) throw new Error('no dialog scripts');
      results.push(await playConversation(target, script, FIRST_CHAT + number));
    }
  };
  await Promise.all(Array.from({ length: options.conversations }, (_, slot) => customer(slot)));
  return results;
}

async function checkStorage(databaseUrl: string, conversations: readonly ConversationResult[]): Promise<StorageCheck> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const confirmed = conversations.filter((conversation) => conversation.confirmed);
    const chats = confirmed.map((conversation) => String(conversation.chat));
    const registered = await client.query<{ chat: string; references: string[] }>(
      `SELECT m.conversation_key AS chat, array_agg(DISTINCT c.reference) AS references
       FROM messages m JOIN complaints c ON c.id = m.complaint_id
       WHERE m.direction = 'inbound' AND m.channel = 'telegram' AND m.conversation_key = ANY($1::text[])
         AND c.merged_into IS NULL AND c.stage <> 'intake'
       GROUP BY m.conversation_key`,
      [chats],
    );
    const byChat = new Map(registered.rows.map((row) => [row.chat, row.references]));
    let mismatches = 0;
    for (const conversation of confirmed) {
      const references = byChat.get(String(conversation.chat));
      if (references && conversation.reference !== null && (references.length !== 1 || references[0] !== conversation.reference)) mismatches += 1;
    }
    const status = await client.query<{ inbound_pending: number; inbound_failed: number; outbound_unsent: number; outbound_failed: number }>(
      `SELECT count(*) FILTER (WHERE direction = 'inbound' AND status = 'pending')::int AS inbound_pending,
              count(*) FILTER (WHERE direction = 'inbound' AND status = 'failed')::int AS inbound_failed,
              count(*) FILTER (WHERE direction = 'outbound' AND status IN ('queued', 'retrying'))::int AS outbound_unsent,
              count(*) FILTER (WHERE direction = 'outbound' AND status = 'failed')::int AS outbound_failed
       FROM messages WHERE channel = 'telegram'`,
    );
    const row = status.rows[0];
    return {
      confirmed: confirmed.length,
      registered: byChat.size,
      missing: confirmed.length - byChat.size,
      referenceMismatches: mismatches,
      inboundPending: row?.inbound_pending ?? 0,
      inboundFailed: row?.inbound_failed ?? 0,
      outboundUnsent: row?.outbound_unsent ?? 0,
      outboundFailed: row?.outbound_failed ?? 0,
    };
  } finally {
    await client.end();
  }
}

/**
 * Pairs each inbound message received in the window with the first outbound message of its chat written after it
 * (the next message of a chat is only sent once that reply arrived, so this is the turn's reply).
 */
async function stageBreakdown(databaseUrl: string, window: { from: number; to: number }): Promise<StageBreakdown | null> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query<{ direction: string; chat: string; received: Date; processed: Date | null; sent: Date }>(
      `SELECT direction, conversation_key AS chat, received_at AS received, processed_at AS processed, sent_at AS sent
       FROM messages WHERE channel = 'telegram' ORDER BY conversation_key, received_at, direction`,
    );
    const replyWritten: number[] = [];
    const turnDone: number[] = [];
    const replySent: number[] = [];
    const rows = result.rows;
    for (let index = 0; index < rows.length; index += 1) {
      const inbound = rows[index];
      if (inbound?.direction !== 'inbound' || inbound.processed === null) continue;
      const receivedAt = inbound.received.getTime();
      if (receivedAt < window.from || receivedAt >= window.to) continue;
      let next = index + 1;
      while (rows[next]?.chat === inbound.chat && rows[next]?.direction !== 'outbound') next += 1;
      const reply = rows[next];
      if (reply?.chat !== inbound.chat || reply.direction !== 'outbound') continue;
      const processedAt = inbound.processed.getTime();
      replyWritten.push(reply.received.getTime() - receivedAt);
      turnDone.push(processedAt - receivedAt);
      if (reply.sent.getTime() >= reply.received.getTime()) replySent.push(reply.sent.getTime() - processedAt);
    }
    if (turnDone.length === 0) return null;
    return {
      turns: turnDone.length,
      receivedToReplyWritten: percentiles(replyWritten),
      receivedToTurnDone: percentiles(turnDone),
      turnDoneToReplySent: percentiles(replySent),
    };
  } finally {
    await client.end();
  }
}

/** Read once Ombuds has stopped (its backends flush their statistics when they exit). */
async function databaseWork(databaseUrl: string, turns: number): Promise<DatabaseWork | null> {
  if (turns === 0) return null;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const database = await client.query<{ commits: string; written: string }>(
      `SELECT xact_commit AS commits, tup_inserted + tup_updated + tup_deleted AS written FROM pg_stat_database WHERE datname = current_database()`,
    );
    const tables = await client.query<{ table: string; inserted: string; updated: string; deleted: string }>(
      `SELECT relname AS table, n_tup_ins AS inserted, n_tup_upd AS updated, n_tup_del AS deleted FROM pg_stat_user_tables
       WHERE n_tup_ins + n_tup_upd + n_tup_del > 0 ORDER BY n_tup_ins + n_tup_upd + n_tup_del DESC LIMIT 10`,
    );
    const perTurn = (value: string | undefined) => Number(value ?? 0) / turns;
    return {
      turns,
      transactionsPerTurn: perTurn(database.rows[0]?.commits),
      rowsWrittenPerTurn: perTurn(database.rows[0]?.written),
      byTable: tables.rows.map((row) => ({ table: row.table, inserted: perTurn(row.inserted), updated: perTurn(row.updated), deleted: perTurn(row.deleted) })),
    };
  } finally {
    await client.end();
  }
}

function summarize(
  conversations: readonly ConversationResult[],
  window: { from: number; to: number },
  fake: FakeTelegramApi,
): Pick<DialogBenchResult, 'measured' | 'totals'> {
  const measuredTurns: { turn: TurnResult; kind: (typeof KINDS)[number] }[] = [];
  const problems: string[] = [];
  let turns = 0;
  let lostTurns = 0;
  let webhookFailures = 0;
  let unexpectedReplies = 0;
  let extraReplies = 0;
  for (const conversation of conversations) {
    const steps = SCRIPTS.find((script) => script.name === conversation.script)?.steps.length ?? 0;
    let answered = 0;
    conversation.turns.forEach((turn, index) => {
      turns += 1;
      if (turn.webhook !== 200) {
        webhookFailures += 1;
        if (problems.length < 5) problems.push(`chat ${String(conversation.chat)} turn ${String(index + 1)}: webhook ${String(turn.webhook)}`);
        return;
      }
      if (turn.latencyMs === null) {
        lostTurns += 1;
        if (problems.length < 5) problems.push(`chat ${String(conversation.chat)} turn ${String(index + 1)} (${conversation.script}): no reply within ${String(LOST_AFTER_MS / 1000)} s`);
        return;
      }
      answered += 1;
      if (!turn.expected) {
        unexpectedReplies += 1;
        const text = fake.repliesOf(conversation.chat)[answered - 1]?.text ?? '';
        if (problems.length < 5) problems.push(`chat ${String(conversation.chat)} turn ${String(index + 1)} (${conversation.script}): unexpected reply "${text.slice(0, 120)}"`);
      }
      if (turn.startedAt >= window.from && turn.startedAt < window.to) measuredTurns.push({ turn, kind: kindOf(index, steps) });
    });
    extraReplies += Math.max(0, fake.repliesOf(conversation.chat).length - answered);
  }
  const seconds = (window.to - window.from) / 1000;
  const latency = (list: typeof measuredTurns) => percentiles(list.map(({ turn }) => turn.latencyMs ?? 0));
  const byKind: Record<string, Percentiles> = {};
  for (const kind of KINDS) byKind[kind] = latency(measuredTurns.filter((entry) => entry.kind === kind));
  return {
    measured: {
      turns: measuredTurns.length,
      seconds,
      turnsPerSecond: measuredTurns.length / seconds,
      latencyMs: latency(measuredTurns),
      byKind,
      webhookMs: percentiles(measuredTurns.map(({ turn }) => turn.webhookMs ?? 0)),
    },
    totals: {
      conversationsStarted: conversations.length,
      conversationsCompleted: conversations.filter((conversation) => conversation.reference !== null).length,
      turns,
      lostTurns,
      webhookFailures,
      unexpectedReplies,
      extraReplies,
      sampleProblems: problems,
    },
  };
}

export async function benchDialog(options: DialogBenchOptions): Promise<DialogBenchResult> {
  // Everything this bench takes is given back when it ends (not only at the end of `npm run bench`).
  const undo: (() => Promise<void>)[] = [];
  try {
    return await run(options, undo);
  } finally {
    for (const release of undo.reverse()) await release();
  }
}

async function run(options: DialogBenchOptions, undo: (() => Promise<void>)[]): Promise<DialogBenchResult> {
  const database = await createThrowawayDatabase('dialog');
  undo.push(defer(`database ${database.name}`, () => database.drop()));
  const queuePrefix = uniquePrefix('dialog');
  undo.push(defer(`Redis keys ${queuePrefix}:*`, () => deleteRedisPrefix(options.redisUrl, queuePrefix)));
  const fake = await startFakeTelegramApi(BOT_TOKEN);
  undo.push(defer('fake Telegram Bot API', () => fake.close()));
  log(`dialog: database ${database.name}, BullMQ prefix ${queuePrefix}, fake Bot API ${fake.apiRoot}`);

  const port = await freePort();
  const env: Record<string, string> = {
    DATABASE_URL: database.url,
    REDIS_URL: options.redisUrl,
    QUEUE_PREFIX: queuePrefix,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    TELEGRAM_BOT_TOKEN: BOT_TOKEN,
    TELEGRAM_MODE: 'webhook',
    TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
    TELEGRAM_API_ROOT: fake.apiRoot,
    // The offline classifier: an empty value is unset for Ombuds (config/env.ts).
    OPENAI_API_KEY: '',
    OPENAI_BASE_URL: '',
  };
  const nodeArgs = options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
  await checkpoint();
  const notes = await waitForQuiet('the dialog bench');
  const ombuds = await startOmbuds(env, nodeArgs);
  const stopOmbuds = defer('ombuds serve + work (dialog)', () => ombuds.stop());
  undo.push(stopOmbuds);

  const agent = new Agent({ keepAlive: true, maxSockets: options.conversations });
  undo.push(() => {
    agent.destroy();
    return Promise.resolve();
  });
  const target: DialogTarget = { baseUrl: ombuds.baseUrl, secret: WEBHOOK_SECRET, fake, agent, lostAfterMs: LOST_AFTER_MS, thinkMs: options.thinkS * 1000 };
  const startedAt = performance.now();
  const window = { from: startedAt + options.warmupS * 1000, to: startedAt + (options.warmupS + options.durationS) * 1000 };
  const wallWindow = { from: Date.now() + options.warmupS * 1000, to: Date.now() + (options.warmupS + options.durationS) * 1000 };
  log(`dialog: ${options.conversations} customers, ${options.warmupS} s warm-up + ${options.durationS} s measured${options.thinkS > 0 ? `, ${options.thinkS} s pause before each message` : ''}`);
  let cpuBefore: CpuSnapshot | null = null;
  let cpuAfter: CpuSnapshot | null = null;
  const cpuTimers = [
    setTimeout(() => (cpuBefore = cpuSnapshot(ombuds.pids)), window.from - startedAt),
    setTimeout(() => {
      cpuAfter = cpuSnapshot(ombuds.pids);
      log('dialog: measured window over; customers finish their conversations');
    }, window.to - startedAt),
  ];
  let conversations: ConversationResult[];
  try {
    conversations = await drive(target, options, window.to);
  } finally {
    for (const timer of cpuTimers) clearTimeout(timer);
  }
  await new Promise((resolve) => setTimeout(resolve, EXTRA_REPLY_GRACE_MS));
  const cpu = renameGroup(cpuBetween(cpuBefore, cpuAfter), 'bench (autocannon)', 'bench (customers + fake Bot API)');
  await stopOmbuds();

  const storage = await checkStorage(database.url, conversations);
  const stages = await stageBreakdown(database.url, wallWindow);
  const { measured, totals } = summarize(conversations, window, fake);
  const work = await databaseWork(database.url, totals.turns - totals.webhookFailures);
  log(`dialog: ${measured.turns} turns measured (${measured.turnsPerSecond.toFixed(0)}/s), p99 ${measured.latencyMs.p99.toFixed(0)} ms`);
  const settings = Object.fromEntries(Object.entries(options.ombudsSettings).filter(([name]) => !HIDDEN.test(name)));
  const pass =
    measured.turns > 0 &&
    measured.latencyMs.p99 < TARGET_P99_MS &&
    totals.lostTurns === 0 &&
    totals.webhookFailures === 0 &&
    totals.conversationsCompleted === totals.conversationsStarted &&
    storage.missing === 0 &&
    storage.referenceMismatches === 0;
  return {
    conversations: options.conversations,
    warmupS: options.warmupS,
    durationS: options.durationS,
    thinkS: options.thinkS,
    cores: cpus().length,
    scripts: SCRIPTS.map((script) => `${script.name} (${String(script.steps.length)} turns)`),
    settings,
    measured,
    totals,
    storage,
    stages,
    databaseWork: work,
    cpu,
    fakeCalls: fake.counts().byMethod,
    processes: ombuds.pids,
    notes,
    targetP99Ms: TARGET_P99_MS,
    pass,
  };
}

const ms = (value: number) => value.toFixed(0).padStart(6);
const row = (label: string, p: Percentiles) =>
  p.count === 0 ? `  ${label.padEnd(34)} ${'—'.padStart(6)} ${'—'.padStart(6)} ${'—'.padStart(6)} ${'—'.padStart(6)}   (0)` : `  ${label.padEnd(34)} ${ms(p.p50)} ${ms(p.p90)} ${ms(p.p99)} ${ms(p.max)}   (${String(p.count)})`;

export function formatDialogBench(result: DialogBenchResult): string {
  const { measured, totals, storage, stages } = result;
  const settings = Object.entries(result.settings).map(([name, value]) => `${name}=${value}`);
  const lines = [
    `Dialog turns: Telegram webhook → intake dialog → sendMessage at a fake Bot API; ombuds serve + ombuds work on PostgreSQL + Redis, offline classifier, ${String(result.cores)} cores`,
    `  ${String(result.conversations)} concurrent customers, each message sent once the previous turn's first reply arrived${result.thinkS > 0 ? ` and a ${String(result.thinkS)} s pause` : ''}; ${String(result.warmupS)} s warm-up + ${String(result.durationS)} s measured; scripts ${result.scripts.join(', ')}; Ombuds settings: ${settings.length > 0 ? settings.join(' ') : 'defaults'}`,
    `  ${String(measured.turns)} turns measured, ${measured.turnsPerSecond.toFixed(1)} turns/s`,
    `  latency ms                            p50    p90    p99    max   (turns)`,
    row('turn (POST → first sendMessage)', measured.latencyMs),
    ...Object.entries(measured.byKind).map(([kind, p]) => row(`  ${kind}`, p)),
    row('webhook answered (message stored)', measured.webhookMs),
  ];
  if (stages) {
    lines.push(
      `  where the time went (Ombuds's timestamps, ${String(stages.turns)} turns):`,
      row('  received → reply written (worker)', stages.receivedToReplyWritten),
      row('  received → turn done', stages.receivedToTurnDone),
      row('  turn done → reply sent', stages.turnDoneToReplySent),
    );
  }
  if (result.databaseWork) {
    const work = result.databaseWork;
    const part = (sign: string, rows: number) => (rows >= 0.05 ? [`${sign}${rows.toFixed(1)}`] : []);
    const tables = work.byTable
      .slice(0, 6)
      .map((table) => `${table.table} ${[...part('+', table.inserted), ...part('~', table.updated), ...part('-', table.deleted)].join(' ')}`)
      .join(', ');
    lines.push(`  PostgreSQL per turn (whole run): ${work.transactionsPerTurn.toFixed(1)} commits, ${work.rowsWrittenPerTurn.toFixed(1)} rows written (+ inserted ~ updated - deleted: ${tables})`);
  }
  if (result.cpu) {
    const cores = Object.entries(result.cpu.groupCores).map(([group, value]) => `${group} ${value.toFixed(2)}`).join(', ');
    lines.push(`  CPU in the window: machine ${result.cpu.machineBusyPct.toFixed(0)} % busy; cores: ${cores}`);
  }
  lines.push(
    `  conversations: ${String(totals.conversationsStarted)} started, ${String(totals.conversationsCompleted)} completed with a CMP reference; ${String(totals.turns)} turns in all, ${String(totals.lostTurns)} lost (no reply within ${String(LOST_AFTER_MS / 1000)} s), ${String(totals.webhookFailures)} webhook failures, ${String(totals.unexpectedReplies)} unexpected and ${String(totals.extraReplies)} extra replies`,
    `  database: ${String(storage.registered)} of ${String(storage.confirmed)} confirmed conversations have their registered complaint (${String(storage.missing)} missing, ${String(storage.referenceMismatches)} with another reference); inbound pending/failed ${String(storage.inboundPending)}/${String(storage.inboundFailed)}, outbound unsent/failed ${String(storage.outboundUnsent)}/${String(storage.outboundFailed)}`,
    ...totals.sampleProblems.map((problem) => `  problem: ${problem}`),
    ...result.notes.map((note) => `  note: ${note}`),
    `${measured.latencyMs.p99 < result.targetP99Ms ? 'PASS' : 'FAIL'}  dialog turn p99 < ${String(result.targetP99Ms)} ms at ${String(result.conversations)} conversations: ${measured.latencyMs.p99.toFixed(0)} ms (p50 ${measured.latencyMs.p50.toFixed(0)} ms)`,
    `${totals.lostTurns === 0 && totals.webhookFailures === 0 ? 'PASS' : 'FAIL'}  no turn lost: ${String(totals.lostTurns)} lost, ${String(totals.webhookFailures)} webhook failures`,
    `${totals.conversationsCompleted === totals.conversationsStarted && storage.missing === 0 && storage.referenceMismatches === 0 ? 'PASS' : 'FAIL'}  every conversation completed and registered: ${String(totals.conversationsCompleted)} / ${String(totals.conversationsStarted)} with a reference, ${String(storage.registered)} / ${String(storage.confirmed)} in the database`,
  );
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // `npx tsx bench/dialog.ts [--conversations=N] [--dialog-duration=S] [--dialog-warmup=S] [--dialog-think=S] [--cpu-prof]`
  const parsed = parseOptions(process.argv.slice(2), process.env);
  if (parsed === 'help') {
    console.log(USAGE);
  } else {
    try {
      console.log(formatDialogBench(await benchDialog(dialogOptions(parsed))));
    } finally {
      await releaseAll();
    }
  }
}
