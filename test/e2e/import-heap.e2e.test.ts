/**
 * `ombuds import` as a user runs it (`bin/ombuds.js`, which caps the import's V8 heap at 128 MB) on transcripts as
 * large as the default IMPORT_MAX_FILE_BYTES lets in: a three-hour call in AWS Transcribe's word-by-word JSON
 * (≈ 8 MB, 32,000 items) and a call of long customer turns (≈ 4 MB of speech, classified on its first
 * MAX_CLASSIFIED_CHARS). Both import within the cap — the heap limit must never turn a big but valid call into a
 * crash of the whole batch — and a transcript over the limit is refused from its size with its reason.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../support/run-ombuds.js';

const RUN_TIMEOUT_MS = 240_000;
const WORDS = 'I want to complain about a fee of twenty five pounds charged to my credit card on the third of March it is unacceptable'.split(' ');

/** AWS Transcribe with speaker labels: `items` word by word, 40 words per segment, speakers alternating. */
function awsCall(targetBytes: number): string {
  const items: unknown[] = [];
  const segments: { start_time: string; speaker_label: string; end_time: string; items: unknown[] }[] = [];
  let size = 0;
  for (let index = 0; size < targetBytes; index += 1) {
    const speaker = `spk_${String(Math.floor(index / 40) % 2)}`;
    const start = (index * 0.3).toFixed(2);
    const end = (index * 0.3 + 0.25).toFixed(2);
    if (index % 40 === 0) segments.push({ start_time: start, speaker_label: speaker, end_time: (index * 0.3 + 12).toFixed(2), items: [] });
    const item = { start_time: start, speaker_label: speaker, end_time: end, alternatives: [{ confidence: '0.99', content: WORDS[index % WORDS.length] }], type: 'pronunciation' };
    items.push(item);
    segments.at(-1)?.items.push({ start_time: start, speaker_label: speaker, end_time: end });
    size += JSON.stringify(item).length + 70;
  }
  const transcript = items.map((item) => (item as { alternatives: { content: string }[] }).alternatives[0]?.content).join(' ');
  return JSON.stringify({ jobName: 'three-hour-call', accountId: '1', status: 'COMPLETED', results: { transcripts: [{ transcript }], speaker_labels: { speakers: 2, segments }, items } });
}

/** Genesys with 1,800 phrases of ≈ 2 KB each, customer and IVR alternating. */
function longTurnsCall(): string {
  const sentence = 'I want to complain about a fee of 25 pounds charged to my credit card on the 3rd of March, it is unacceptable and I want a refund. '.repeat(16);
  const phrases = Array.from({ length: 1800 }, (_, index) => ({
    startTimeMs: 1_749_243_600_000 + index * 1000,
    participantPurpose: index % 2 === 1 ? 'external' : 'internal',
    decoratedText: `${sentence}${String(index)}`,
    phraseIndex: index,
  }));
  return JSON.stringify({ conversationId: 'long-turns-call', conversationStartTime: 1_749_243_600_000, participants: [{ participantPurpose: 'customer' }], transcripts: [{ phrases }] });
}

async function runBin(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // Executed as a program, as `ombuds` is once installed: its first lines re-exec node with the heap cap.
  const child = spawn(join(PROJECT_ROOT, 'bin/ombuds.js'), args, { cwd: PROJECT_ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stdout, stderr };
}

describe('ombuds import within its heap cap (bin/ombuds.js, embedded database)', () => {
  let root: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'ombuds-import-heap-'));
    mkdirSync(join(root, 'calls'));
    const threeHours = awsCall(7.4 * 1024 * 1024);
    // Near the 8 MB limit, under it.
    expect(Buffer.byteLength(threeHours)).toBeGreaterThan(7.5 * 1024 * 1024);
    expect(Buffer.byteLength(threeHours)).toBeLessThan(8 * 1024 * 1024);
    writeFileSync(join(root, 'calls/three-hour-call.json'), threeHours);
    writeFileSync(join(root, 'calls/long-turns.json'), longTurnsCall());
    mkdirSync(join(root, 'too-big'));
    writeFileSync(join(root, 'too-big/huge.json'), awsCall(8.5 * 1024 * 1024));
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('imports the largest calls the default limit admits, and refuses a bigger one from its size', { timeout: RUN_TIMEOUT_MS }, async () => {
    const env = { DATA_DIR: join(root, 'data') };
    const imported = await runBin(['import', join(root, 'calls')], env);
    expect(imported.stderr).not.toMatch(/heap out of memory/);
    expect(imported.code, `${imported.stdout}\n${imported.stderr}`).toBe(0);
    expect(imported.stdout).toMatch(/^\s+imported\s+2$/m);
    expect(imported.stdout).toMatch(/^\s+failed\s+0$/m);

    const refused = await runBin(['import', join(root, 'too-big')], env);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/huge\.json: .*larger than the 8\.0 MB limit for one transcript \(IMPORT_MAX_FILE_BYTES\)/);
  });
});
