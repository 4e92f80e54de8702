/**
 * The staff-queue bench (issue 4): 100,000 complaints seeded straight into a throw-away PostgreSQL database (six
 * teams, urgency weighted towards low, due dates spread over a month, ~10 % assigned), `ombuds serve` started on
 * it, a supervisor and an agent key made with `ombuds staff add`, then `GET /v1/staff/queue?limit=50` driven with
 * autocannon for each (the supervisor sees every team, the agent one). Prints requests/s, p50 and p99 (target
 * p99 < 50 ms), and the plan of the queue query (EXPLAIN ANALYZE of the store's own SQL): which index it used.
 * Runs in `npm run bench`, or alone as `npx tsx bench/staff-queue.ts`.
 */
import autocannon from 'autocannon';
import { fileURLToPath } from 'node:url';
import { createPostgresDatabase, migrate, type Database, type Queryable } from '../src/store/index.js';
import { listWorkQueue } from '../src/store/work-queue.js';
import { defer, releaseAll } from './cleanup.js';
import { createThrowawayDatabase, deleteRedisPrefix, uniquePrefix } from './infrastructure.js';
import { log } from './measure.js';
import { freePort, runCommand, spawnService, waitForHttpOk } from './processes.js';

const TEAMS = ['cards', 'accounts', 'loans', 'payments', 'mortgages', 'general'];
const AGENT_TEAM = 'cards';
const TARGET_P99_MS = 50;
const KEY_LINE = /API key \(shown once, store it now\): (omb_staff_\S+)/;

export interface QueueLoadResult {
  who: string;
  requestsPerSecond: number;
  requests: number;
  non2xx: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface QueuePlan {
  who: string;
  indexes: string[];
  nodeTypes: string[];
  executionMs: number;
}

export interface StaffQueueBenchResult {
  complaints: number;
  seconds: number;
  connections: number;
  runs: QueueLoadResult[];
  plans: QueuePlan[];
  targetP99Ms: number;
  pass: boolean;
}

async function seed(database: Database, complaints: number): Promise<void> {
  await database.query(
    `INSERT INTO staff (id, username, display_name, role, teams, key_prefix, key_hash)
     SELECT gen_random_uuid(), 'bench-agent-' || k, 'Bench agent ' || k, 'agent', ARRAY[($1::text[])[1 + k % 6]], 'bench' || k, 'unused'
     FROM generate_series(0, 19) AS k`,
    [TEAMS],
  );
  await database.query(
    `WITH agents AS (SELECT array_agg(id ORDER BY username) AS ids FROM staff WHERE username LIKE 'bench-agent-%'),
     seeded AS (
       SELECT n,
              CASE WHEN n % 100 < 2 THEN 3 WHEN n % 100 < 12 THEN 2 WHEN n % 100 < 45 THEN 1 ELSE 0 END AS rank,
              $1::timestamptz - ((n * 7919) % 43200) * interval '1 minute' AS received
       FROM generate_series(1, $2::int) AS n
     )
     INSERT INTO complaints (id, reference, stage, channel, received_at, queued_at, claimed_at, team, assignee, urgency, urgency_rank,
                             urgency_score, product, issue, summary, due_at, regime)
     SELECT gen_random_uuid(), 'CMP-Q-' || lpad(n::text, 7, '0'),
            CASE WHEN n % 10 = 0 THEN 'investigating' ELSE 'registered' END, 'api', received, received,
            CASE WHEN n % 10 = 0 THEN received END,
            ($3::text[])[1 + n % 6],
            CASE WHEN n % 10 = 0 THEN agents.ids[1 + n % 20] END,
            (ARRAY['low', 'medium', 'high', 'critical'])[rank + 1], rank, rank * 25 + n % 25,
            (ARRAY['cards', 'deposit_accounts', 'loans'])[1 + n % 3], 'fees_interest', 'bench complaint ' || n,
            received + (15 + n % 16) * interval '1 day', 'cn_nfra'
     FROM seeded, agents`,
    [new Date(), complaints, TEAMS],
  );
  await database.query('ANALYZE complaints');
  await database.query('ANALYZE staff');
}

interface PlanNode {
  'Node Type'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function walk(node: PlanNode, out: { indexes: string[]; nodeTypes: string[] }): void {
  if (node['Node Type'] !== undefined) out.nodeTypes.push(node['Node Type']);
  if (node['Index Name'] !== undefined) out.indexes.push(node['Index Name']);
  for (const child of node.Plans ?? []) walk(child, out);
}

/** EXPLAIN (ANALYZE) of the very statement the store runs: a Queryable that explains instead of executing. */
async function explainQueue(database: Database, who: string, teams: string[] | null): Promise<QueuePlan> {
  let plan: { Plan: PlanNode; 'Execution Time': number } | undefined;
  const explaining: Queryable = {
    async query(sql: string, params?: readonly unknown[]) {
      const result = await database.query<{ 'QUERY PLAN': [{ Plan: PlanNode; 'Execution Time': number }] }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params);
      plan = result.rows[0]?.['QUERY PLAN'][0];
      return { rows: [], rowCount: 0 };
    },
    exec: () => Promise.reject(new Error('not used')),
  };
  await listWorkQueue(explaining, { teams, limit: 50 });
  if (!plan) throw new Error('EXPLAIN returned no plan');
  const found = { indexes: [] as string[], nodeTypes: [] as string[] };
  walk(plan.Plan, found);
  return { who, ...found, executionMs: plan['Execution Time'] };
}

function driveQueue(who: string, url: string, key: string, seconds: number, connections: number): Promise<QueueLoadResult> {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections, duration: seconds, timeout: 10, headers: { authorization: `Bearer ${key}` } }, (error: unknown, result) => {
      if (error) {
        reject(error instanceof Error ? error : new Error(`autocannon failed: ${JSON.stringify(error)}`));
        return;
      }
      resolve({
        who,
        requestsPerSecond: Math.round(result['2xx'] / seconds),
        requests: result['2xx'],
        non2xx: result.non2xx,
        errors: result.errors + result.timeouts,
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        maxMs: result.latency.max,
      });
    });
  });
}

async function staffKey(env: Record<string, string>, args: string[]): Promise<string> {
  const output = await runCommand('ombuds staff add', 'src/main.ts', ['staff', 'add', ...args], env);
  const key = KEY_LINE.exec(output)?.[1];
  if (key === undefined) throw new Error(`could not find the staff key in the output of \`ombuds staff add ${args.join(' ')}\`:\n${output}`);
  return key;
}

export interface StaffQueueBenchOptions {
  redisUrl: string;
  complaints?: number;
  seconds?: number;
  connections?: number;
}

export async function benchStaffQueue(options: StaffQueueBenchOptions): Promise<StaffQueueBenchResult> {
  // Everything this bench takes is given back when it ends (not only at the end of `npm run bench`).
  const undo: (() => Promise<void>)[] = [];
  try {
    return await run(options, undo);
  } finally {
    for (const release of undo.reverse()) await release();
  }
}

async function run(options: StaffQueueBenchOptions, undo: (() => Promise<void>)[]): Promise<StaffQueueBenchResult> {
  const complaints = options.complaints ?? 100_000;
  const seconds = options.seconds ?? 10;
  const connections = options.connections ?? 16;
  const throwaway = await createThrowawayDatabase('queue');
  undo.push(defer(`database ${throwaway.name}`, () => throwaway.drop()));
  const queuePrefix = uniquePrefix('queue');
  undo.push(defer(`Redis keys ${queuePrefix}:*`, () => deleteRedisPrefix(options.redisUrl, queuePrefix)));
  const database = createPostgresDatabase({ connectionString: throwaway.url, maxConnections: 2, connectTimeoutMs: 5_000, statementTimeoutMs: 300_000 });
  undo.push(defer('staff-queue bench pool', () => database.close()));
  await migrate(database);
  log(`staff queue: database ${throwaway.name}; seeding ${complaints} complaints`);
  await seed(database, complaints);

  const port = await freePort();
  const env = { DATABASE_URL: throwaway.url, REDIS_URL: options.redisUrl, QUEUE_PREFIX: queuePrefix, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
  const supervisorKey = await staffKey(env, ['--username', 'bench-supervisor', '--role', 'supervisor']);
  const agentKey = await staffKey(env, ['--username', 'bench-agent', '--role', 'agent', '--teams', AGENT_TEAM]);
  const server = spawnService('ombuds serve', 'src/main.ts', ['serve'], env);
  const stopServer = defer('ombuds serve', () => server.stop());
  undo.push(stopServer);
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForHttpOk(`${baseUrl}/readyz`, server, 60_000);

  const url = `${baseUrl}/v1/staff/queue?limit=50`;
  const runs: QueueLoadResult[] = [];
  for (const [who, key] of [['supervisor (all teams)', supervisorKey], [`agent (team ${AGENT_TEAM})`, agentKey]] as const) {
    // A short warm-up (key verification cached, plans and connections ready), not counted.
    await driveQueue(who, url, key, 2, connections);
    log(`staff queue: ${who}, ${seconds} s at ${connections} connections`);
    runs.push(await driveQueue(who, url, key, seconds, connections));
  }
  await stopServer();
  const plans = [await explainQueue(database, 'supervisor (all teams)', null), await explainQueue(database, `agent (team ${AGENT_TEAM})`, [AGENT_TEAM])];
  return {
    complaints,
    seconds,
    connections,
    runs,
    plans,
    targetP99Ms: TARGET_P99_MS,
    pass: runs.every((run) => run.p99Ms < TARGET_P99_MS && run.non2xx === 0 && run.errors === 0),
  };
}

export function formatStaffQueueBench(result: StaffQueueBenchResult): string {
  const lines = [
    `Staff queue: GET /v1/staff/queue?limit=50 over ${result.complaints} complaints (~10 % assigned), ${result.seconds} s at ${result.connections} connections each, ombuds serve on PostgreSQL`,
    'who                        req/s   p50 ms   p99 ms   max ms   non-2xx/errors',
    ...result.runs.map(
      (run) =>
        `${run.who.padEnd(24)} ${String(run.requestsPerSecond).padStart(7)} ${String(run.p50Ms).padStart(8)} ${String(run.p99Ms).padStart(8)} ${String(run.maxMs).padStart(8)}   ${run.non2xx}/${run.errors}`,
    ),
    ...result.plans.map(
      (plan) =>
        `  plan, ${plan.who}: ${plan.indexes.length > 0 ? `index ${[...new Set(plan.indexes)].join(', ')}` : 'no index'} (${[...new Set(plan.nodeTypes)].join(' → ')}; ${plan.executionMs.toFixed(2)} ms)`,
    ),
    `${result.pass ? 'PASS' : 'FAIL'}  staff queue p99 < ${result.targetP99Ms} ms: ${result.runs.map((run) => `${run.who} ${run.p99Ms} ms`).join(', ')}`,
  ];
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    console.log(formatStaffQueueBench(await benchStaffQueue({ redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379' })));
  } finally {
    await releaseAll();
  }
}
