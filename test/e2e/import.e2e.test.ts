/**
 * `ombuds import` end to end: the real command (src/main.ts through tsx) on a temporary folder, on both
 * configurations. A bad file is reported with its reason while the rest is imported (exit 1); a second run over the
 * same folder imports nothing twice; plain lines when stdout is not a TTY; a later call from the same number is
 * attached to the open complaint; `--watch` picks up a file dropped later and stops on SIGINT with the summary.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmptyPostgresDatabase } from '../support/databases.js';
import { fixturePath } from '../support/fixtures.js';
import { deleteRedisPrefix, TEST_REDIS_URL, type Configuration } from '../support/ombuds-harness.js';
import { runOmbuds, spawnOmbuds } from '../support/run-ombuds.js';
import { buildZip } from '../support/zip-writer.js';

const RUN_TIMEOUT_MS = 240_000;

/** A Twilio Voice Intelligence transcript whose customer channel carries the caller's number. */
function twilioCall(sid: string, customerText: string): string {
  return JSON.stringify({
    transcript: {
      sid,
      channel: { participants: [{ channel_participant: 1, role: 'Agent', full_name: 'Ann' }, { channel_participant: 2, role: 'Customer', media_participant_id: '+8613800138000' }] },
    },
    sentences: [
      { media_channel: 1, sentence_index: 0, start_time: 0, end_time: 2, transcript: 'Good morning, Example Bank, Ann speaking, how can I help?', confidence: 0.93 },
      { media_channel: 2, sentence_index: 1, start_time: 2.5, end_time: 9, transcript: customerText, confidence: 0.91 },
    ],
  });
}

function countOf(stdout: string, label: string): number {
  const match = new RegExp(`^\\s+${label}\\s+(\\d+)`, 'm').exec(stdout);
  return Number(match?.[1] ?? Number.NaN);
}

describe.each<Configuration>(['embedded', 'production'])('ombuds import (%s)', (configuration) => {
  let root: string;
  let env: Record<string, string>;
  let drop: (() => Promise<void>) | null = null;
  const prefix = `test-import-${Date.now()}`;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'ombuds-import-'));
    const calls = join(root, 'calls');
    mkdirSync(join(calls, 'day-1'), { recursive: true });
    copyFileSync(fixturePath('transcripts/contact-lens/contact-lens-2-redacted.json'), join(calls, 'day-1/contact-lens.json'));
    copyFileSync(fixturePath('transcripts/plain-text/zh-bank-hotline-2-plain.txt'), join(calls, 'day-1/hotline.txt'));
    // Truncated JSON as AWS published it: reported, the rest imported.
    copyFileSync(fixturePath('transcripts/contact-lens/contact-lens-1-original-as-published.json'), join(calls, 'day-1/broken.json'));
    writeFileSync(join(calls, 'day-1/empty.txt'), '');
    writeFileSync(join(calls, 'archive.zip'), buildZip([{ name: 'srt/call.srt', data: readFileSync(fixturePath('transcripts/srt/srt-2-dot-centiseconds-speaker-brackets.srt')) }]));
    if (configuration === 'production') {
      const database = await createEmptyPostgresDatabase();
      drop = database.drop;
      env = { DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix };
    } else {
      env = { DATA_DIR: join(root, 'data') };
    }
    env = { ...env, IMPORT_WATCH_SETTLE_MS: '300', IMPORT_WATCH_RESCAN_MS: '1000' };
  });

  afterAll(async () => {
    if (configuration === 'production') await deleteRedisPrefix(TEST_REDIS_URL, prefix);
    await drop?.();
    rmSync(root, { recursive: true, force: true });
  });

  it('imports a folder, reports each bad file with its reason (exit 1), and imports nothing twice on a re-run', async () => {
    const first = await runOmbuds(['import', join(root, 'calls')], env);
    expect(first.stderr).not.toMatch(/Error:|at .*\.ts:\d+/);
    expect(first.code).toBe(1);
    // Not a TTY: one plain line per transcript, then the summary.
    expect(first.stdout).toMatch(/^imported {2}.*archive\.zip!srt\/call\.srt CMP-\d{4}-\d{6}$/m);
    expect(first.stdout).toMatch(/^imported {2}.*day-1\/contact-lens\.json CMP-/m);
    expect(first.stdout).toMatch(/^imported {2}.*day-1\/hotline\.txt CMP-/m);
    expect(first.stdout).toMatch(/^failed {4}.*day-1\/broken\.json: .*JSON/m);
    expect(first.stdout).toMatch(/^failed {4}.*day-1\/empty\.txt: .*empty/im);
    expect(countOf(first.stdout, 'imported')).toBe(3);
    expect(countOf(first.stdout, 'duplicates')).toBe(0);
    expect(countOf(first.stdout, 'failed')).toBe(2);
    expect(first.stdout).toMatch(/^Failed:\n.*broken\.json: /m);

    const second = await runOmbuds(['import', join(root, 'calls')], env);
    expect(second.code).toBe(1);
    expect(countOf(second.stdout, 'imported')).toBe(0);
    expect(countOf(second.stdout, 'duplicates')).toBe(3);
    expect(countOf(second.stdout, 'failed')).toBe(2);

    // Only good (already imported) files: exit 0.
    const third = await runOmbuds(['import', `${root}/calls/day-1/*.{json,txt}`, join(root, 'calls/archive.zip')], { ...env });
    expect(third.stdout).toMatch(/duplicate .*contact-lens\.json/);
    const onlyGood = await runOmbuds(['import', join(root, 'calls/archive.zip')], env);
    expect(onlyGood.code).toBe(0);
    expect(countOf(onlyGood.stdout, 'duplicates')).toBe(1);
  }, RUN_TIMEOUT_MS * 4);

  it('attaches a later call from the same number to the open complaint, and watches a folder until SIGINT', async () => {
    writeFileSync(join(root, 'first-call.json'), twilioCall('GT0000000000000000000000000000000a', 'My card was charged an annual fee twice this month, I want it refunded.'));
    const first = await runOmbuds(['import', join(root, 'first-call.json')], env);
    expect(first.code).toBe(0);
    const reference = /^imported {2}.*first-call\.json (CMP-\d{4}-\d{6})$/m.exec(first.stdout)?.[1];
    expect(reference).toBeTruthy();

    const drop = join(root, 'drop');
    mkdirSync(drop);
    const child = spawnOmbuds(['import', '--watch', drop], env);
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    await waitFor(() => stdout.includes('Watching'), RUN_TIMEOUT_MS);
    // Written under a partial name, renamed into place once complete, as file drops do.
    writeFileSync(join(drop, 'second-call.json.part'), twilioCall('GT0000000000000000000000000000000b', 'I called last week about the double annual fee, it is still not refunded.'));
    renameSync(join(drop, 'second-call.json.part'), join(drop, 'second-call.json'));
    await waitFor(() => /second-call\.json/.test(stdout), 60_000);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(stdout).toMatch(/^imported {2}.*second-call\.json CMP-/m);
    expect(countOf(stdout, 'attached')).toBe(1);
    expect(countOf(stdout, 'imported')).toBe(0);
    expect(stdout).toContain(`second-call.json → ${reference ?? '?'}`);
    expect(code).toBe(0);
  }, RUN_TIMEOUT_MS * 2);
});

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
