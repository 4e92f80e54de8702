/**
 * `npm run bench` — the offline classifier on one core (issue 3), the timer-recovery and staff-queue benches
 * (issue 4), dialog-turn latency over Telegram (issue 5, bench/dialog.ts), the mixed-channel intake bench (issue 6,
 * bench/channels.ts), then the intake bench (issue 2). Runs the naive baseline, then Ombuds, each as child processes on
 * its own throw-away PostgreSQL database and BullMQ prefix; drives `POST /v1/messages` with autocannon from this
 * process; waits for Ombuds's workers to process everything; checks that no accepted message is missing; prints
 * the report and writes it as JSON. Exit code 0 when the bench ran (whatever the figures), 1 when it could not,
 * 2 on bad options, 128 + n on signal n.
 */
import { constants } from 'node:os';
import { benchClassifier, formatClassifierBench } from './classifier.js';
import { interruption, releaseAll, releaseOnSignals, settle } from './cleanup.js';
import { benchDialog, dialogOptions, formatDialogBench, type DialogBenchResult } from './dialog.js';
import { stopChannelLoad } from './channel-load.js';
import { benchImport, formatImportBench, type ImportBenchResult } from './import.js';
import { benchChannels, channelsOptions, formatChannelsBench, type ChannelsBenchResult } from './channels.js';
import { stopLoad } from './load.js';
import { log, waitForQuiet } from './measure.js';
import { parseOptions, USAGE } from './options.js';
import { spawnJanitor } from './processes.js';
import { formatReport, machine, verdicts, writeJson, type BenchReport, type SystemResult } from './report.js';
import { benchBaseline, benchOmbuds } from './scenarios.js';
import { benchStaffQueue, formatStaffQueueBench, type StaffQueueBenchResult } from './staff-queue.js';
import { sweepLeftovers } from './sweep.js';
import { benchTimers, formatTimerBench, type TimerBenchResult } from './timers.js';
import { loadFixtures } from './workload.js';

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  if (parsed === 'help') {
    console.log(USAGE);
    return 0;
  }
  const options = parsed;
  redisUrl = options.redisUrl;
  const swept = await sweepLeftovers(options.redisUrl);
  if (swept.length > 0) log(`swept the leftovers of an earlier, killed bench run: ${swept.join('; ')}`);
  const startedAt = new Date().toISOString();
  // The offline classifier first, on this process's one thread, before any server competes for the CPU.
  const classifier = options.parts.classifier ? await benchClassifier() : null;
  if (classifier) console.log(`${formatClassifierBench(classifier)}\n`);
  // Issue 4: recreating every timer after a Redis loss, and the staff work queue at 100,000 complaints.
  let timers: (TimerBenchResult & { notes: string[] }) | null = null;
  if (options.parts.timers) {
    const notes = await waitForQuiet('the timer bench');
    timers = { ...(await benchTimers()), notes };
    console.log(`${formatTimerBench(timers)}${notes.map((note) => `\n  note: ${note}`).join('')}\n`);
  }
  let staffQueue: (StaffQueueBenchResult & { notes: string[] }) | null = null;
  if (options.parts.queue) {
    const notes = await waitForQuiet('the staff-queue bench');
    staffQueue = { ...(await benchStaffQueue({ redisUrl: options.redisUrl })), notes };
    console.log(`${formatStaffQueueBench(staffQueue)}${notes.map((note) => `\n  note: ${note}`).join('')}\n`);
  }
  // Issue 5: dialog-turn latency at N concurrent Telegram conversations (waits for a quiet machine itself).
  const dialog: DialogBenchResult | null = options.parts.dialog ? await benchDialog(dialogOptions(options)) : null;
  if (dialog) console.log(`${formatDialogBench(dialog)}\n`);
  // Issue 6: the webhook channels (signed, parsed) against the API channel, alone and mixed (waits for quiet itself).
  const channels: ChannelsBenchResult | null = options.parts.channels ? await benchChannels(channelsOptions(options)) : null;
  if (channels) console.log(`${formatChannelsBench(channels)}\n`);
  // Issue 7: importing a generated transcript corpus (≈0.1 and ≈1 GB) against merely reading it (waits for quiet itself).
  const importBench: ImportBenchResult | null = options.parts.import
    ? await benchImport({ sizes: options.importCalls, redisUrl: options.redisUrl, ombudsSettings: options.ombudsSettings, seed: 7 })
    : null;
  if (importBench) console.log(`${formatImportBench(importBench)}\n`);
  const fixtures = loadFixtures();
  const systems: SystemResult[] = [];
  if (options.systems.baseline) systems.push(await benchBaseline(options, fixtures));
  if (options.systems.ombuds) systems.push(await benchOmbuds(options, fixtures));
  await releaseAll();

  const ours = systems.find((system) => system.kind === 'ombuds');
  const baseline = systems.find((system) => system.kind === 'baseline');
  const ratio = ours && baseline && baseline.measured.acceptedPerSecond > 0 ? ours.measured.acceptedPerSecond / baseline.measured.acceptedPerSecond : null;
  const { redisUrl: _redisUrl, ...shownOptions } = options;
  const report: BenchReport & { timers: typeof timers; staffQueue: typeof staffQueue; dialog: typeof dialog; channels: typeof channels; import: typeof importBench } = {
    startedAt,
    options: shownOptions,
    machine: machine(),
    systems,
    ratio,
    verdicts: verdicts(systems, ratio),
    ...(classifier ? { classifier } : {}),
    timers,
    staffQueue,
    dialog,
    channels,
    import: importBench,
  };
  if (systems.length > 0) console.log(formatReport(report));
  console.log(`\nJSON: ${writeJson(report)}`);
  if (options.cpuProfileDir) {
    const processes = [...(dialog ? [dialog.processes] : []), ...(channels?.runs.map((run) => run.processes) ?? []), ...systems.map((system) => system.processes)];
    const pids = processes.flatMap((byRole) => Object.entries(byRole).map(([role, ids]) => `${role} = ${ids.join(', ')}`)).join('; ');
    console.log(`CPU profiles: ${options.cpuProfileDir} (pids: ${pids}); summarise one with \`npx tsx bench/profile-summary.ts FILE\``);
  }
  return 0;
}

let redisUrl: string | null = null;
releaseOnSignals(() => {
  stopLoad();
  stopChannelLoad();
  if (redisUrl !== null) spawnJanitor(redisUrl);
});
const code = await main().catch((error: unknown) => {
  if (interruption()) console.error('bench: interrupted');
  else console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return 1;
});
await settle();
const signal = interruption();
process.exit(signal ? 128 + constants.signals[signal] : code);
