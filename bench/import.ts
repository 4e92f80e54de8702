/**
 * Part `import` of `npm run bench` (issue 7, "Performance"): for each corpus size (1,000 and 10,000 calls by
 * default, ≈0.1 and ≈1 GB), generates the mixed-format corpus into a temp folder (bench/transcript-corpus.ts),
 * measures the baseline — reading every transcript through the importer's streaming reader and JSON-parsing it,
 * no database (bench/import-baseline.ts, its own process) — then the command as installed, `bin/ombuds.js import
 * DIR` run as a program (it execs node with the import's heap cap; the figures are of every process the command
 * runs, as a user runs it), on a throw-away PostgreSQL database and BullMQ prefix, in two topologies:
 *   - default: the command runs the intake workers in its own process and waits for them (every call classified,
 *     registered, attached before it exits); then the same import again (everything must be a duplicate);
 *   - `--no-wait` beside one `ombuds work` process (started first, on a fresh database): the import stores and
 *     queues the calls and exits; the worker's drain (until no call is pending) is timed apart.
 * It counts the rows stored and judges the issue's targets for each: import throughput ≥ 0.5 × the baseline's,
 * peak RSS of the import < 300 MB. Peak RSS is the kernel's high-water mark (VmHWM in /proc/<pid>/status) of
 * every process of the command, summed (one process when run as a program; `node bin/ombuds.js` would add a small
 * launcher), polled every 100 ms. Owns this part only.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { defer } from './cleanup.js';
import { checkpoint, createThrowawayDatabase, deleteRedisPrefix, uniquePrefix } from './infrastructure.js';
import { log, waitForQuiet } from './measure.js';
import { PROJECT_ROOT, spawnService } from './processes.js';
import { generateCorpus, type CorpusStats } from './transcript-corpus.js';

export interface ImportBenchOptions {
  /** Corpus sizes in calls, measured in this order. */
  sizes: number[];
  redisUrl: string;
  /** Ombuds settings from the environment, passed through. */
  ombudsSettings: Record<string, string>;
  seed: number;
}

export interface ProcessFigures {
  /** From spawn to exit (Node and tsx start-up included). */
  wallSeconds: number;
  callsPerSecond: number;
  mbPerSecond: number;
  /** Sum of the VmHWM of the command's processes (bin/ombuds.js's launcher and the importer it runs). */
  peakRssMb: number;
  /** The largest one process's VmHWM. */
  largestRssMb: number;
  processes: number;
  /** User + system CPU of the processes. */
  cpuSeconds: number;
}

export interface ImportSizeResult {
  calls: number;
  corpus: CorpusStats;
  /** The faster of two baseline runs. */
  baseline: ProcessFigures & { inProcessSeconds: number; failed: number; runs: number[] };
  import: ProcessFigures & {
    exitCode: number | null;
    /** Spawn → last per-transcript progress line (every call read, parsed and stored). */
    intakeSeconds: number | null;
    /** Last progress line → exit (waiting for the in-process intake workers, then shutdown). */
    drainSeconds: number | null;
    summary: ImportCounts;
    rowsStored: number;
    complaints: number;
    failures: string[];
  };
  rerun: ProcessFigures & { exitCode: number | null; summary: ImportCounts };
  /** `ombuds import --no-wait` beside one `ombuds work` process (fresh database). */
  separate: ProcessFigures & {
    exitCode: number | null;
    summary: ImportCounts;
    rowsStored: number;
    complaints: number;
    /** Calls the worker had not processed when the bench stopped waiting. */
    stillPending: number;
    /** From the import's exit until the worker had processed every call. */
    workerDrainSeconds: number;
    /** Calls ÷ (import wall + the worker's drain). */
    endToEndCallsPerSecond: number;
  };
  /** Import calls/s ÷ baseline calls/s (wall clock, both from spawn to exit). */
  ratio: number;
  verdicts: { target: string; value: string; pass: boolean }[];
  notes: string[];
}

export interface ImportCounts {
  imported: number;
  attached: number;
  duplicates: number;
  failed: number;
  stillQueued: number;
}

export interface ImportBenchResult {
  topology: string;
  sizes: ImportSizeResult[];
}

const MB = 1024 * 1024;

interface ProcessRun {
  code: number | null;
  wallSeconds: number;
  /** Sum over the command's processes of each one's VmHWM. */
  peakRssKb: number;
  /** The largest single process's VmHWM (the importer itself when bin/ombuds.js re-ran itself). */
  largestRssKb: number;
  processes: number;
  cpuSeconds: number;
  stdout: string;
  firstItemAt: number | null;
  lastItemAt: number | null;
  tail: string[];
}

const ITEM_LINE = /^(?:imported|duplicate|failed)\s/;

function procFigures(pid: number): { hwmKb: number; cpuSeconds: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const hwmKb = Number(/^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return { hwmKb, cpuSeconds: ticks / 100 };
  } catch {
    return null;
  }
}

/** The process's children, from /proc (every thread's list). */
function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8')
        .split(' ')
        .filter((entry) => entry.trim() !== '')
        .map(Number),
    );
  } catch {
    return [];
  }
}

function treeOf(pid: number): number[] {
  const all = [pid];
  for (let index = 0; index < all.length; index += 1) all.push(...childrenOf(all[index] ?? 0));
  return all;
}

/** `node --import tsx SCRIPT` for a TypeScript entry point; `bin/ombuds.js` run as a program, as the installed `ombuds` is. */
function commandFor(script: string, args: readonly string[]): [string, string[]] {
  return script.endsWith('.js') ? [join(PROJECT_ROOT, script), [...args]] : [process.execPath, ['--import', 'tsx', script, ...args]];
}

/** Runs an entry point to completion, sampling the peak RSS and CPU of it and every process it starts. */
function runMeasured(name: string, script: string, args: readonly string[], env: Record<string, string>, keepStdout: boolean): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const [command, commandArgs] = commandFor(script, args);
    const child = spawn(command, commandArgs, { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const pid = child.pid;
    if (pid === undefined) {
      reject(new Error(`could not spawn ${name}`));
      return;
    }
    const release = defer(name, () => {
      for (const member of treeOf(pid).reverse()) {
        try {
          process.kill(member, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      return Promise.resolve();
    });
    // Per process: its high-water mark and CPU as last read (a process's figures stay once it has exited).
    const seen = new Map<number, { hwmKb: number; cpuSeconds: number }>();
    const sample = () => {
      for (const member of treeOf(pid)) {
        const figures = procFigures(member);
        if (figures) seen.set(member, figures);
      }
    };
    const timer = setInterval(sample, 100);
    let stdout = '';
    let partial = '';
    let firstItemAt: number | null = null;
    let lastItemAt: number | null = null;
    const tail: string[] = [];
    const remember = (line: string) => {
      tail.push(line);
      if (tail.length > 40) tail.shift();
    };
    child.stdout.on('data', (chunk: Buffer) => {
      const text = partial + chunk.toString('utf8');
      const lines = text.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (ITEM_LINE.test(line)) {
          lastItemAt = performance.now();
          firstItemAt ??= lastItemAt;
          if (line.startsWith('failed')) remember(line);
        } else {
          if (keepStdout) stdout += `${line}\n`;
          remember(line);
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') remember(line);
    });
    child.once('error', (error) => {
      clearInterval(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearInterval(timer);
      void release();
      if (partial !== '' && keepStdout) stdout += partial;
      const toSeconds = (at: number | null) => (at === null ? null : (at - started) / 1000);
      const members = [...seen.values()];
      const peakRssKb = members.reduce((sum, member) => sum + member.hwmKb, 0);
      const largestRssKb = members.reduce((most, member) => Math.max(most, member.hwmKb), 0);
      const cpuSeconds = members.reduce((sum, member) => sum + member.cpuSeconds, 0);
      resolve({ code, wallSeconds: (performance.now() - started) / 1000, peakRssKb, largestRssKb, processes: members.length, cpuSeconds, stdout, firstItemAt: toSeconds(firstItemAt), lastItemAt: toSeconds(lastItemAt), tail });
    });
  });
}

function figures(run: ProcessRun, calls: number, bytes: number): ProcessFigures {
  return {
    wallSeconds: run.wallSeconds,
    callsPerSecond: calls / run.wallSeconds,
    mbPerSecond: bytes / MB / run.wallSeconds,
    peakRssMb: run.peakRssKb / 1024,
    largestRssMb: run.largestRssKb / 1024,
    processes: run.processes,
    cpuSeconds: run.cpuSeconds,
  };
}

function countsOf(summary: string): ImportCounts {
  const count = (label: string) => Number(new RegExp(`^\\s+${label}\\s+(\\d+)`, 'm').exec(summary)?.[1] ?? Number.NaN);
  return {
    imported: count('imported'),
    attached: count('attached'),
    duplicates: count('duplicates'),
    failed: count('failed'),
    stillQueued: Number(/\((\d+) still queued/.exec(summary)?.[1] ?? 0),
  };
}

/** Other `npm run bench` runs (not this one or its ancestors), as `pgrep -af` lines. */
function otherBenches(): string[] {
  const ours = new Set<number>();
  for (let pid = process.pid; pid > 1 && !ours.has(pid); ) {
    ours.add(pid);
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      break;
    }
  }
  let lines: string[];
  try {
    lines = execFileSync('pgrep', ['-af', 'bench/(run|dialog|channels|classifier)\\.ts'], { encoding: 'utf8' }).split('\n');
  } catch {
    return [];
  }
  return lines.filter((line) => line.trim() !== '' && !ours.has(Number(line.split(' ')[0])) && !line.includes('--only=import'));
}

async function waitForOtherBenches(): Promise<string[]> {
  const deadline = Date.now() + 30 * 60_000;
  let others = otherBenches();
  if (others.length > 0) log(`import bench: waiting for other benches to finish (${others.map((line) => line.split(' ')[0]).join(', ')})`);
  while (others.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    others = otherBenches();
  }
  const notes = others.length > 0 ? [`other benches were still running after 30 min of waiting: ${others.join('; ')}`] : [];
  return [...notes, ...(await waitForQuiet('the import bench'))];
}

async function countRows(databaseUrl: string): Promise<{ messages: number; complaints: number; pending: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const messages = await client.query<{ n: string; pending: string }>(
      `SELECT count(*)::text AS n, count(*) FILTER (WHERE status = 'pending')::text AS pending FROM messages WHERE channel = 'hotline' AND direction = 'inbound'`,
    );
    const complaints = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM complaints`);
    return { messages: Number(messages.rows[0]?.n ?? 0), complaints: Number(complaints.rows[0]?.n ?? 0), pending: Number(messages.rows[0]?.pending ?? 0) };
  } finally {
    await client.end();
  }
}

async function benchSize(calls: number, options: ImportBenchOptions): Promise<ImportSizeResult> {
  const folder = join(tmpdir(), `ombuds-bench-import-${process.pid}-${calls}`);
  const removeCorpus = defer(`corpus ${folder}`, () => {
    rmSync(folder, { recursive: true, force: true });
    return Promise.resolve();
  });
  try {
    log(`import bench: generating ${calls} calls into ${folder}`);
    const corpus = generateCorpus(folder, calls, options.seed);
    log(`import bench: ${corpus.calls} calls, ${(corpus.transcriptBytes / MB).toFixed(0)} MB of transcripts (${(corpus.diskBytes / MB).toFixed(0)} MB on disk, ${corpus.files} files) in ${corpus.seconds.toFixed(1)} s`);
    const notes = await waitForOtherBenches();

    const baselineRuns: { run: ProcessRun; parsed: { calls: number; bytes: number; failed: number; seconds: number } }[] = [];
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const run = await runMeasured('import baseline', 'bench/import-baseline.ts', [folder], {}, true);
      const line = run.stdout.split('\n').find((candidate) => candidate.startsWith('{"baseline"'));
      if (run.code !== 0 || line === undefined) throw new Error(`the import baseline failed (exit ${String(run.code)}):\n${run.tail.join('\n')}`);
      const parsed = (JSON.parse(line) as { baseline: { calls: number; bytes: number; failed: number; seconds: number } }).baseline;
      baselineRuns.push({ run, parsed });
      log(`import bench: baseline ${parsed.calls} calls in ${run.wallSeconds.toFixed(1)} s (${(parsed.calls / run.wallSeconds).toFixed(0)} calls/s, peak RSS ${(run.peakRssKb / 1024).toFixed(0)} MB)`);
    }
    const best = baselineRuns.reduce((a, b) => (b.run.wallSeconds < a.run.wallSeconds ? b : a));
    if (best.parsed.calls !== corpus.calls) notes.push(`the baseline read ${best.parsed.calls} calls, the corpus has ${corpus.calls}`);

    const inProcess = await withFreshStore(options, async (env, databaseUrl) => {
      const before = await countRows(databaseUrl);
      await checkpoint();
      log(`import bench: ombuds import of ${calls} calls (intake workers in the same process)`);
      const run = await runMeasured('ombuds import', COMMAND, ['import', folder], env, true);
      const rows = await countRows(databaseUrl);
      log(`import bench: import exited ${String(run.code)} after ${run.wallSeconds.toFixed(1)} s (${(calls / run.wallSeconds).toFixed(0)} calls/s, peak RSS ${(run.peakRssKb / 1024).toFixed(0)} MB)`);
      log('import bench: re-running the import (everything should be a duplicate)');
      const again = await runMeasured('ombuds import (again)', COMMAND, ['import', folder], env, true);
      return { run, again, stored: rows.messages - before.messages, complaints: rows.complaints - before.complaints, pending: rows.pending };
    });

    const beside = await withFreshStore(options, async (env, databaseUrl) => {
      const before = await countRows(databaseUrl);
      const worker = spawnService('ombuds work', 'src/main.ts', ['work'], env);
      const stopWorker = defer('ombuds work', () => worker.stop());
      try {
        await worker.waitForLine(/workers running/, 120_000);
        await checkpoint();
        log(`import bench: ombuds import --no-wait of ${calls} calls beside one \`ombuds work\` process`);
        const run = await runMeasured('ombuds import --no-wait', COMMAND, ['import', '--no-wait', folder], env, true);
        const drainStarted = performance.now();
        let rows = await countRows(databaseUrl);
        while (rows.pending > 0 && performance.now() - drainStarted < 3_600_000) {
          await new Promise((resolve) => setTimeout(resolve, 250));
          rows = await countRows(databaseUrl);
        }
        const drainSeconds = (performance.now() - drainStarted) / 1000;
        log(`import bench: --no-wait import exited ${String(run.code)} after ${run.wallSeconds.toFixed(1)} s (${(calls / run.wallSeconds).toFixed(0)} calls/s, peak RSS ${(run.peakRssKb / 1024).toFixed(0)} MB); the worker finished ${drainSeconds.toFixed(1)} s later`);
        return { run, drainSeconds, stored: rows.messages - before.messages, complaints: rows.complaints - before.complaints, pending: rows.pending };
      } finally {
        await stopWorker();
      }
    });

    const baselineFigures = figures(best.run, corpus.calls, corpus.transcriptBytes);
    const { run, again } = inProcess;
    const summary = countsOf(run.stdout);
    const rerunSummary = countsOf(again.stdout);
    const importFigures = figures(run, corpus.calls, corpus.transcriptBytes);
    const ratio = importFigures.callsPerSecond / baselineFigures.callsPerSecond;
    const separateFigures = figures(beside.run, corpus.calls, corpus.transcriptBytes);
    const separateSummary = countsOf(beside.run.stdout);
    const separateRatio = separateFigures.callsPerSecond / baselineFigures.callsPerSecond;
    const endToEndSeconds = beside.run.wallSeconds + beside.drainSeconds;
    return {
      calls,
      corpus,
      baseline: { ...baselineFigures, inProcessSeconds: best.parsed.seconds, failed: best.parsed.failed, runs: baselineRuns.map((entry) => entry.run.wallSeconds) },
      import: {
        ...importFigures,
        exitCode: run.code,
        intakeSeconds: run.lastItemAt,
        drainSeconds: run.lastItemAt === null ? null : run.wallSeconds - run.lastItemAt,
        summary,
        rowsStored: inProcess.stored,
        complaints: inProcess.complaints,
        failures: run.tail.filter((line) => line.startsWith('failed')).slice(0, 10),
      },
      rerun: { ...figures(again, corpus.calls, corpus.transcriptBytes), exitCode: again.code, summary: rerunSummary },
      separate: {
        ...separateFigures,
        exitCode: beside.run.code,
        summary: separateSummary,
        rowsStored: beside.stored,
        complaints: beside.complaints,
        stillPending: beside.pending,
        workerDrainSeconds: beside.drainSeconds,
        endToEndCallsPerSecond: corpus.calls / endToEndSeconds,
      },
      ratio,
      verdicts: [
        { target: `${calls} calls, default (workers in the import): throughput ≥ 0.5 × baseline`, value: `${ratio.toFixed(2)} (${importFigures.callsPerSecond.toFixed(1)} vs ${baselineFigures.callsPerSecond.toFixed(1)} calls/s)`, pass: ratio >= 0.5 },
        { target: `${calls} calls, default: peak RSS of ombuds import < 300 MB`, value: `${importFigures.peakRssMb.toFixed(0)} MB (${importFigures.processes} processes; importer ${importFigures.largestRssMb.toFixed(0)} MB)`, pass: importFigures.peakRssMb < 300 },
        { target: `${calls} calls, default: every call stored and processed`, value: `${inProcess.stored} rows / ${corpus.calls} calls, ${summary.failed} failed, ${inProcess.pending} pending`, pass: inProcess.stored === corpus.calls && summary.failed === 0 && inProcess.pending === 0 },
        { target: `${calls} calls: re-run imports nothing`, value: `${rerunSummary.duplicates} duplicates, ${rerunSummary.imported} imported`, pass: rerunSummary.duplicates === corpus.calls && rerunSummary.imported === 0 },
        { target: `${calls} calls, --no-wait beside \`ombuds work\`: throughput ≥ 0.5 × baseline`, value: `${separateRatio.toFixed(2)} (${separateFigures.callsPerSecond.toFixed(1)} calls/s; end to end with the worker's drain ${(corpus.calls / endToEndSeconds).toFixed(1)} calls/s)`, pass: separateRatio >= 0.5 },
        { target: `${calls} calls, --no-wait: peak RSS of ombuds import < 300 MB`, value: `${separateFigures.peakRssMb.toFixed(0)} MB (importer ${separateFigures.largestRssMb.toFixed(0)} MB)`, pass: separateFigures.peakRssMb < 300 },
        { target: `${calls} calls, --no-wait: every call stored, and processed by the worker`, value: `${beside.stored} rows / ${corpus.calls} calls, ${separateSummary.failed} failed, ${beside.pending} pending`, pass: beside.stored === corpus.calls && separateSummary.failed === 0 && beside.pending === 0 },
      ],
      notes,
    };
  } finally {
    await removeCorpus();
  }
}

/** The command as installed (`ombuds` on the PATH is bin/ombuds.js: `import` execs node with its heap cap). */
const COMMAND = 'bin/ombuds.js';

/** Runs `work` on a throw-away database (migrated) and BullMQ prefix, dropped afterwards. */
async function withFreshStore<T>(options: ImportBenchOptions, work: (env: Record<string, string>, databaseUrl: string) => Promise<T>): Promise<T> {
  const database = await createThrowawayDatabase('import');
  const dropDatabase = defer(`database ${database.name}`, () => database.drop());
  const queuePrefix = uniquePrefix('import');
  const dropPrefix = defer(`Redis keys ${queuePrefix}:*`, () => deleteRedisPrefix(options.redisUrl, queuePrefix));
  try {
    const env = { ...options.ombudsSettings, DATABASE_URL: database.url, REDIS_URL: options.redisUrl, QUEUE_PREFIX: queuePrefix, LOG_LEVEL: 'warn', IMPORT_WAIT_TIMEOUT_MS: String(3_600_000) };
    // Migrations run on first start: do it before the measured run, so the import starts on a ready schema.
    const migrate = await runMeasured('ombuds client add', 'src/main.ts', ['client', 'add', 'bench-import'], env, true);
    if (migrate.code !== 0) throw new Error(`could not prepare the database:\n${migrate.tail.join('\n')}`);
    return await work(env, database.url);
  } finally {
    await dropPrefix();
    await dropDatabase();
  }
}

export async function benchImport(options: ImportBenchOptions): Promise<ImportBenchResult> {
  const sizes: ImportSizeResult[] = [];
  for (const calls of options.sizes) sizes.push(await benchSize(calls, options));
  return {
    topology: '`bin/ombuds.js import DIR` run as a program (default: intake workers in the same process, waited for), and `import --no-wait DIR` beside one `ombuds work` process',
    sizes,
  };
}

const fixed = (value: number | null, digits = 0) => (value === null || !Number.isFinite(value) ? 'n/a' : value.toFixed(digits));

export function formatImportBench(result: ImportBenchResult): string {
  const out: string[] = [];
  out.push(`Transcript import bench (issue 7) — ${result.topology}; PostgreSQL + Redis; baseline = read + decompress + JSON.parse, no database`);
  for (const size of result.sizes) {
    const c = size.corpus;
    out.push('');
    out.push(`${size.calls} calls: ${(c.transcriptBytes / MB).toFixed(0)} MB of transcripts (${(c.transcriptBytes / c.calls / 1024).toFixed(0)} KB/call), ${(c.diskBytes / MB).toFixed(0)} MB on disk in ${c.files} files; formats ${Object.entries(c.byFormat).map(([format, n]) => `${format} ${n}`).join(', ')}; packaging loose ${c.byPackaging.loose}, .gz ${c.byPackaging.gzip}, .zip ${c.byPackaging.zip}, JSONL ${c.byPackaging.jsonl}, JSONL.gz ${c.byPackaging.jsonlGzip}`);
    const b = size.baseline;
    const i = size.import;
    out.push(`  baseline   ${fixed(b.wallSeconds, 1)} s wall (runs ${b.runs.map((s) => s.toFixed(1)).join(' / ')}), ${fixed(b.callsPerSecond)} calls/s, ${fixed(b.mbPerSecond, 1)} MB/s, peak RSS ${fixed(b.peakRssMb)} MB, CPU ${fixed(b.cpuSeconds, 1)} s`);
    out.push(`  import     (${i.processes} processes, importer ${fixed(i.largestRssMb)} MB) ${fixed(i.wallSeconds, 1)} s wall (last call stored at ${fixed(i.intakeSeconds, 1)} s, then ${fixed(i.drainSeconds, 1)} s for the workers + exit), ${fixed(i.callsPerSecond, 1)} calls/s, ${fixed(i.mbPerSecond, 1)} MB/s, peak RSS ${fixed(i.peakRssMb)} MB, CPU ${fixed(i.cpuSeconds, 1)} s, exit ${String(i.exitCode)}`);
    out.push(`             imported ${i.summary.imported}, attached ${i.summary.attached}, duplicates ${i.summary.duplicates}, failed ${i.summary.failed}, still queued ${i.summary.stillQueued}; rows stored ${i.rowsStored}, complaints ${i.complaints}`);
    for (const failure of i.failures) out.push(`             ${failure}`);
    const r = size.rerun;
    out.push(`  re-run     ${fixed(r.wallSeconds, 1)} s, duplicates ${r.summary.duplicates}, imported ${r.summary.imported}, failed ${r.summary.failed}, peak RSS ${fixed(r.peakRssMb)} MB`);
    const w = size.separate;
    out.push(`  --no-wait  ${fixed(w.wallSeconds, 1)} s wall, ${fixed(w.callsPerSecond, 1)} calls/s, ${fixed(w.mbPerSecond, 1)} MB/s, peak RSS ${fixed(w.peakRssMb)} MB, CPU ${fixed(w.cpuSeconds, 1)} s, exit ${String(w.exitCode)}; \`ombuds work\` done ${fixed(w.workerDrainSeconds, 1)} s after the import's exit (end to end ${fixed(w.endToEndCallsPerSecond, 1)} calls/s)`);
    out.push(`             imported ${w.summary.imported}, failed ${w.summary.failed}; rows stored ${w.rowsStored}, complaints ${w.complaints}, still pending ${w.stillPending}`);
    for (const note of size.notes) out.push(`  note: ${note}`);
    for (const verdict of size.verdicts) out.push(`  ${verdict.pass ? 'PASS' : 'FAIL'}  ${verdict.target}: ${verdict.value}`);
  }
  return out.join('\n');
}
