/**
 * The `ombuds` command line (commander). It only parses arguments and prints; the composition root (main.ts)
 * supplies what each command does.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { StaffRole, TeamName } from '../contracts/index.js';
import { passwordProblem } from '../shared/password.js';
import { readNewPassword } from './read-password.js';

export interface StaffAddOptions {
  username: string;
  name: string;
  role: StaffRole;
  teams: string[];
  /** A console password for the account (otherwise it signs in with its API key only). */
  password?: string;
}

/** What a running Ombuds tells the operator at start-up. */
export interface StartupReport {
  version: string;
  /** The HTTP URL, or null for a workers-only process. */
  url: string | null;
  /** Where data and jobs live, in words. */
  storage: string;
  /** Next steps worth printing (no API-channel app yet, no staff yet). */
  hints: string[];
}

export interface CliActions {
  /** Everything in one process (HTTP, workers, reconciler) on the configured or embedded defaults. */
  start(): Promise<StartupReport>;
  /** HTTP only (stateless; needs DATABASE_URL and REDIS_URL). */
  serve(): Promise<StartupReport>;
  /** Workers and the reconciler only (needs DATABASE_URL and REDIS_URL). */
  work(): Promise<StartupReport>;
  migrate(): Promise<string[]>;
  /** Runs the classifier over labelled files (default: the held-out sets) and returns the printable report. */
  evaluate(options: { data?: string[]; summaryOnly: boolean }): Promise<string>;
  staffAdd(options: StaffAddOptions): Promise<{ id: string; key: string }>;
  /** Sets a staff member's console password and ends their console sessions; rejects when there is no such username. */
  staffPassword(username: string, password: string): Promise<{ sessionsEnded: number }>;
  clientAdd(name: string): Promise<{ id: string; key: string }>;
  /** Recomputes the audit trail's hash chains, printing the verdict; resolves to the exit code (0 intact, 1 broken, 2 not found). */
  auditVerify(options: AuditVerifyOptions): Promise<number>;
  /** Imports hotline transcripts, printing progress and a summary; resolves to the exit code (0 all in, 1 some failed). */
  importTranscripts(options: ImportOptions): Promise<number>;
}

export interface ImportOptions {
  /** Files, folders, globs, .zip, .gz, JSONL. */
  paths: string[];
  /** Then keep importing files dropped into this folder until SIGINT. */
  watch?: string;
  /** Wait for the intake worker so calls attached to existing complaints are reported (default true). */
  wait: boolean;
}

export interface AuditVerifyOptions {
  /** One complaint (id or reference); every complaint when absent. */
  complaint?: string;
}

function parseTeams(value: string): string[] {
  const teams = value.split(',').map((team) => team.trim()).filter(Boolean);
  for (const team of teams) {
    if (!TeamName.safeParse(team).success) throw new InvalidArgumentError(`"${team}" is not a lower-case team name.`);
  }
  return teams;
}

function parseRole(value: string): StaffRole {
  const parsed = StaffRole.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(`role must be one of ${StaffRole.options.join(', ')}.`);
  return parsed.data;
}

/** How the command line reads a new password (stdin, or a prompt without echo on a terminal). */
export interface PasswordReader {
  readPassword(): Promise<string>;
}

/** A new password, refused (nothing changed) when too short or too long. */
async function newPassword(reader: PasswordReader): Promise<string> {
  const password = await reader.readPassword();
  const problem = passwordProblem(password);
  if (problem) throw new InvalidArgumentError(`${problem} Nothing was changed.`);
  return password;
}

function printStartup(report: StartupReport): void {
  if (report.url) console.log(`Ombuds ${report.version} listening on ${report.url} (${report.storage}); API reference at ${report.url}/v1/docs; staff console at ${report.url}/console`);
  else console.log(`Ombuds ${report.version} workers running (${report.storage})`);
  for (const hint of report.hints) console.log(hint);
}

export function buildProgram(actions: CliActions, version: string, passwords: PasswordReader = { readPassword: () => readNewPassword() }): Command {
  const program = new Command('ombuds').description('Omnichannel complaint intake hub for banks').version(version);

  program
    .command('start')
    .description('run everything in one process (HTTP, workers, reconciler)')
    .action(async () => {
      printStartup(await actions.start());
    });
  program
    .command('serve')
    .description('run the HTTP server only (scale out behind a load balancer)')
    .action(async () => {
      printStartup(await actions.serve());
    });
  program
    .command('work')
    .description('run the queue workers and the reconciler only')
    .action(async () => {
      printStartup(await actions.work());
    });
  program
    .command('migrate')
    .description('apply pending database migrations')
    .action(async () => {
      const applied = await actions.migrate();
      console.log(applied.length > 0 ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
    });

  program
    .command('eval')
    .description('accuracy, macro-F1 and confusion matrices of the classifier on labelled JSONL (default: the held-out sets)')
    .option('-d, --data <files...>', 'labelled JSONL files in TAXONOMY.md values (each evaluated whole)')
    .option('-s, --summary', 'print only the summary table')
    .action(async (options: { data?: string[]; summary?: boolean }) => {
      console.log(await actions.evaluate({ ...(options.data ? { data: options.data } : {}), summaryOnly: options.summary === true }));
    });

  const staff = program.command('staff').description('staff accounts');
  staff
    .command('add')
    .description('create a staff account and print its API key (shown once)')
    .requiredOption('-u, --username <username>', 'login name')
    .option('-n, --name <display name>', 'display name')
    .addOption(new Option('-r, --role <role>', 'agent, supervisor or admin').argParser(parseRole).default('agent'))
    .option('-t, --teams <teams>', 'comma-separated team names', parseTeams, [] as string[])
    .option('--password-stdin', `also set a console password, read from stdin (at least 12 characters)`)
    .action(async (options: { username: string; name?: string; role: StaffRole; teams: string[]; passwordStdin?: boolean }) => {
      const password = options.passwordStdin === true ? await newPassword(passwords) : undefined;
      const created = await actions.staffAdd({
        username: options.username,
        name: options.name ?? options.username,
        role: options.role,
        teams: options.teams,
        ...(password === undefined ? {} : { password }),
      });
      console.log(`Staff account ${options.username} (${options.role}) created: ${created.id}${password === undefined ? '' : ', with a console password'}`);
      console.log(`API key (shown once, store it now): ${created.key}`);
    });
  staff
    .command('password <username>')
    .description('set (or change) the console password of a staff account, read from stdin or typed without echo; ends their console sessions')
    .action(async (username: string) => {
      const password = await newPassword(passwords);
      const { sessionsEnded } = await actions.staffPassword(username, password);
      console.log(`Console password of ${username} set; ${String(sessionsEnded)} console session${sessionsEnded === 1 ? '' : 's'} ended.`);
    });

  const client = program.command('client').description('apps that post to the API channel (POST /v1/messages)');
  client
    .command('add <name>')
    .description('register an app and print its API key (shown once)')
    .action(async (name: string) => {
      const created = await actions.clientAdd(name);
      console.log(`App ${name} registered: ${created.id}`);
      console.log(`API key (shown once, store it now): ${created.key}`);
    });

  program
    .command('import')
    .description('import hotline call transcripts (files, folders, globs, .zip, .gz, JSONL) as complaint records')
    .argument('[paths...]', 'files, folders or globs (quote globs so the shell leaves them alone)')
    .option('-w, --watch <dir>', 'then import every file dropped into DIR, until Ctrl-C')
    .option('--no-wait', 'do not wait for the intake worker (calls attached to existing complaints count as imported)')
    .action(async (paths: string[], options: { watch?: string; wait: boolean }) => {
      if (paths.length === 0 && options.watch === undefined) throw new InvalidArgumentError('give at least one PATH, or --watch DIR.');
      process.exitCode = await actions.importTranscripts({ paths, wait: options.wait, ...(options.watch === undefined ? {} : { watch: options.watch }) });
    });

  const audit = program.command('audit').description('the hash-chained audit trail');
  audit
    .command('verify')
    .description("recompute every complaint's audit chain; name each broken chain's first broken link (exit code 1)")
    .option('-c, --complaint <id-or-reference>', 'verify one complaint only')
    .action(async (options: { complaint?: string }) => {
      process.exitCode = await actions.auditVerify(options.complaint === undefined ? {} : { complaint: options.complaint });
    });

  return program;
}
