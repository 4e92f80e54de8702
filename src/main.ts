/**
 * The entry point of the `ombuds` command: what each command does (commander program in src/cli), on top of the
 * object graph built in composition.ts. Nothing imports this file except tests and the bench.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  DEFAULT_EVALUATION_FILES,
  evaluateHeldOut,
  formatEvaluationReport,
  formatEvaluationSummary,
  type EvaluationFile,
} from './classifier/index.js';
import { PROJECT_ROOT, VERSION, createOmbuds, loadOfflineClassifier, openDatabase, withOptionalLlm } from './composition.js';
import { buildProgram, type CliActions, type StaffAddOptions } from './cli/program.js';
import { transcriptSources } from './adapters/hotline/sources.js';
import { runImportCommand, type Settled } from './cli/import-command.js';
import { createImportProgress } from './cli/import-progress.js';
import type { ImportOptions } from './cli/program.js';
import { systemClock } from './shared/clock.js';
import { createLogger } from './shared/logger.js';
import { llmConfigured, loadEnv } from './config/env.js';
import { runAuditVerification } from './handling/index.js';
import { generateApiKey } from './shared/crypto.js';
import { isOmbudsError } from './shared/errors.js';
import { hashPassword } from './shared/password.js';
import {
  countCredentials,
  deleteStaffSessionsOf,
  insertApiClient,
  insertStaff,
  migrate,
  setStaffPassword,
  type Database,
} from './store/index.js';

/** Tests and the bench build Ombuds through the entry module. */
export * from './composition.js';

function uniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

async function createStaff(database: Database, staff: StaffAddOptions): Promise<{ id: string; key: string }> {
  const id = randomUUID();
  const key = generateApiKey('staff');
  const passwordHash = staff.password === undefined ? null : await hashPassword(staff.password);
  try {
    await database.transaction(async (tx) => {
      await insertStaff(tx, { id, username: staff.username, displayName: staff.name, role: staff.role, teams: staff.teams, keyPrefix: key.prefix, keyHash: key.hash });
      if (passwordHash !== null) await setStaffPassword(tx, staff.username, passwordHash, new Date());
    });
  } catch (error) {
    throw uniqueViolation(error) ? new Error(`A staff account named "${staff.username}" already exists.`) : error;
  }
  return { id, key: key.key };
}

/** `ombuds staff password`: a new console password, and every console session of that staff member ended. */
async function changeStaffPassword(database: Database, username: string, password: string): Promise<{ sessionsEnded: number }> {
  const passwordHash = await hashPassword(password);
  return database.transaction(async (tx) => {
    const staffId = await setStaffPassword(tx, username, passwordHash, new Date());
    if (staffId === null) throw new Error(`There is no staff account named "${username}".`);
    return { sessionsEnded: await deleteStaffSessionsOf(tx, staffId) };
  });
}

async function createApiClient(database: Database, name: string): Promise<{ id: string; key: string }> {
  const id = randomUUID();
  const key = generateApiKey('app');
  try {
    await insertApiClient(database, { id, name, keyPrefix: key.prefix, keyHash: key.hash });
  } catch (error) {
    throw uniqueViolation(error) ? new Error(`An app named "${name}" is already registered.`) : error;
  }
  return { id, key: key.key };
}

/**
 * Waits (up to `timeoutMs`) for the intake worker to process the calls an import stored, then says which it joined
 * to an existing complaint: their message moved off the shell complaint intake opened for them.
 */
async function settleImportedCalls(database: Database, calls: { messageId: string; complaintId: string | null }[], timeoutMs: number): Promise<Settled> {
  const shells = new Map(calls.map((call) => [call.messageId, call.complaintId]));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await database.query<{ id: string; status: string; complaint_id: string | null; reference: string | null }>(
      `SELECT m.id::text AS id, m.status, m.complaint_id::text AS complaint_id, c.reference
         FROM messages m LEFT JOIN complaints c ON c.id = m.complaint_id WHERE m.id = ANY($1::uuid[])`,
      [[...shells.keys()]],
    );
    const pending = rows.filter((row) => row.status === 'pending').length;
    if (pending === 0 || Date.now() >= deadline) {
      const attached = new Map<string, string>();
      for (const row of rows) {
        if (row.status !== 'pending' && row.reference !== null && row.complaint_id !== shells.get(row.id)) attached.set(row.id, row.reference);
      }
      return { pending, attached };
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
}

/** `ombuds import`: runs the intake workers in this process (unless --no-wait) so the summary knows what was attached. */
async function importTranscripts(options: ImportOptions): Promise<number> {
  const env = loadEnv();
  // Progress and the summary own stdout; the log says only what went wrong, on stderr.
  const logger = createLogger({ level: 'warn' }, process.stderr);
  const ombuds = await createOmbuds({ env, http: false, workers: options.wait, logger });
  await ombuds.start();
  const abort = new AbortController();
  const stop = () => {
    abort.abort();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const limits = { maxTranscriptBytes: env.IMPORT_MAX_FILE_BYTES, maxExpansionRatio: env.IMPORT_MAX_EXPANSION_RATIO };
  try {
    return await runImportCommand(options.paths, {
      pipeline: ombuds.importTranscript,
      progress: createImportProgress(process.stdout),
      clock: systemClock,
      sources: (paths) => transcriptSources(paths, limits),
      ...(options.wait ? { settle: (calls: { messageId: string; complaintId: string | null }[]) => settleImportedCalls(ombuds.database, calls, env.IMPORT_WAIT_TIMEOUT_MS) } : {}),
      ...(options.watch === undefined
        ? {}
        : {
            watch: {
              directory: options.watch,
              settleMs: env.IMPORT_WATCH_SETTLE_MS,
              rescanMs: env.IMPORT_WATCH_RESCAN_MS,
              signal: abort.signal,
              onError: (message: string) => process.stderr.write(`ombuds import: ${message}\n`),
            },
          }),
      print: (text) => process.stdout.write(`${text}\n`),
    });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await ombuds.stop();
  }
}

/** The command implementations: what `ombuds <command>` does. */
function cliActions(): CliActions {
  const run = async (mode: { http: boolean; workers: boolean; name: string }) => {
    const env = loadEnv();
    if (mode.name !== 'start' && (!env.DATABASE_URL || !env.REDIS_URL)) {
      throw new Error(`ombuds ${mode.name} runs beside other processes, so it needs DATABASE_URL and REDIS_URL (use \`ombuds start\` for the single-process embedded mode).`);
    }
    const ombuds = await createOmbuds({ env, http: mode.http, workers: mode.workers });
    await ombuds.start();
    const url = mode.http ? await ombuds.listen() : null;
    const storage = `${ombuds.database.kind === 'pglite' ? `embedded PGlite in ${resolve(env.DATA_DIR)}` : 'PostgreSQL'} + ${ombuds.queue.kind === 'bullmq' ? 'BullMQ on Redis' : 'in-process queue'}`;
    const hints: string[] = [];
    if (mode.http) {
      const counts = await countCredentials(ombuds.database);
      if (ombuds.database.kind === 'pglite' && counts.apiClients === 0 && counts.staff === 0) {
        // The embedded database admits one process, so `ombuds client add` cannot run beside `ombuds start`:
        // a fresh embedded install gets a first app and admin, their keys printed this once.
        const app = await createApiClient(ombuds.database, 'demo-app');
        const admin = await createStaff(ombuds.database, { username: 'admin', name: 'Administrator', role: 'admin', teams: [] });
        hints.push(`First start: created the API-channel app "demo-app" with key ${app.key}`);
        hints.push(`First start: created the staff account "admin" (admin) with key ${admin.key}`);
        hints.push('These keys are shown once. More: stop Ombuds, then `npm run ombuds -- client add NAME` / `staff add --username NAME`.');
      } else {
        if (counts.apiClients === 0) hints.push('No API-channel app yet: create one with `npm run ombuds -- client add my-app`.');
        if (counts.staff === 0) hints.push('No staff yet: create one with `npm run ombuds -- staff add --username alice --role supervisor`.');
      }
    }
    const shutdown = (signal: string) => {
      ombuds.logger.info({ signal }, 'shutting down');
      void ombuds.stop().then(() => process.exit(0));
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
    return { version: VERSION, url, storage, hints };
  };
  const withDatabase = async <T>(work: (database: Database) => Promise<T>): Promise<T> => {
    const database = await openDatabase(loadEnv());
    try {
      await migrate(database);
      return await work(database);
    } finally {
      await database.close();
    }
  };
  return {
    start: () => run({ http: true, workers: true, name: 'start' }),
    serve: () => run({ http: true, workers: false, name: 'serve' }),
    work: () => run({ http: false, workers: true, name: 'work' }),
    evaluate: async ({ data, summaryOnly }) => {
      const env = loadEnv();
      const files: EvaluationFile[] = data
        ? await Promise.all(data.map(async (path) => ({ name: path, contents: await readFile(path, 'utf8'), part: 'all' as const })))
        : await Promise.all(
            DEFAULT_EVALUATION_FILES.map(async (file) => ({
              name: file.name,
              contents: await readFile(new URL(file.path, PROJECT_ROOT), 'utf8'),
              part: file.part,
            })),
          );
      const format = summaryOnly ? formatEvaluationSummary : formatEvaluationReport;
      const offline = await loadOfflineClassifier();
      const sections = [`Offline pipeline (rules + local model)\n\n${format(await evaluateHeldOut({ classifier: offline, files }))}`];
      if (llmConfigured(env)) {
        const outcomes = new Map<string, number>();
        const withModel = withOptionalLlm(offline, env, (outcome) => outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1));
        const report = format(await evaluateHeldOut({ classifier: withModel, files }));
        const calls = [...outcomes].map(([outcome, count]) => `${outcome} ${count}`).join(', ');
        sections.push(`LLM pipeline (${env.OPENAI_MODEL}; calls: ${calls || 'none'})\n\n${report}`);
      }
      return sections.join('\n\n');
    },
    migrate: async () => {
      const database = await openDatabase(loadEnv());
      try {
        return await migrate(database);
      } finally {
        await database.close();
      }
    },
    staffAdd: (staff) => withDatabase((database) => createStaff(database, staff)),
    staffPassword: (username, password) => withDatabase((database) => changeStaffPassword(database, username, password)),
    clientAdd: (name) => withDatabase((database) => createApiClient(database, name)),
    importTranscripts,
    auditVerify: (options) =>
      withDatabase((database) =>
        runAuditVerification(database, options, (line) => {
          process.stdout.write(`${line}\n`);
        }),
      ),
  };
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (invokedDirectly) {
  buildProgram(cliActions(), VERSION)
    .parseAsync(process.argv)
    .catch((error: unknown) => {
      const message = isOmbudsError(error) || error instanceof Error ? error.message : String(error);
      process.stderr.write(`ombuds: ${message}\n`);
      process.exit(1);
    });
}
