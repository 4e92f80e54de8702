import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../../../test/support/fixtures.js';
import { buildZip } from '../../../test/support/zip-writer.js';
import { globToRegExp, splitJsonLines, transcriptSources, type SourceItem, type SourceLimits } from './sources.js';

const LIMITS: SourceLimits = { maxTranscriptBytes: 50 * 1024 * 1024, maxExpansionRatio: 100 };
const CONTACT_LENS = readFileSync(fixturePath('transcripts/contact-lens/contact-lens-2-redacted.json'));
const PLAIN = readFileSync(fixturePath('transcripts/plain-text/zh-bank-hotline-2-plain.txt'));
const SRT = readFileSync(fixturePath('transcripts/srt/srt-1.srt'));

async function collect(paths: string[], limits = LIMITS): Promise<SourceItem[]> {
  const items: SourceItem[] = [];
  for await (const item of transcriptSources(paths, limits)) items.push(item);
  return items;
}

function summary(items: SourceItem[], root: string): string[] {
  return items.map((item) => `${item.source.replace(root, '')} ${'error' in item ? `error: ${item.error}` : `${item.bytes.length} bytes`}`);
}

describe('transcript sources', () => {
  let root: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'ombuds-sources-'));
    mkdirSync(join(root, 'day/morning'), { recursive: true });
    writeFileSync(join(root, 'day/a-call.json'), CONTACT_LENS);
    writeFileSync(join(root, 'day/morning/b-call.txt'), PLAIN);
    writeFileSync(join(root, 'day/morning/c-call.srt'), SRT);
  });
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('walks a folder recursively in name order, yielding each file whole', async () => {
    const items = await collect([join(root, 'day')]);
    expect(summary(items, root)).toEqual([
      `/day/a-call.json ${CONTACT_LENS.length} bytes`,
      `/day/morning/b-call.txt ${PLAIN.length} bytes`,
      `/day/morning/c-call.srt ${SRT.length} bytes`,
    ]);
    const first = items[0];
    expect(first && 'bytes' in first && first.bytes.equals(CONTACT_LENS)).toBe(true);
  });

  it('expands globs (*, **, {a,b}) and reports a pattern that matches nothing', async () => {
    expect(summary(await collect([join(root, 'day/**/*.{txt,srt}')]), root)).toEqual([
      `/day/morning/b-call.txt ${PLAIN.length} bytes`,
      `/day/morning/c-call.srt ${SRT.length} bytes`,
    ]);
    expect(summary(await collect([join(root, 'day/*.json')]), root)).toEqual([`/day/a-call.json ${CONTACT_LENS.length} bytes`]);
    expect(summary(await collect([join(root, 'day/*.vtt')]), root)).toEqual(['/day/*.vtt error: the pattern matches no file']);
    expect(globToRegExp('a/**/b?.json').test('a/x/y/b1.json')).toBe(true);
    expect(globToRegExp('a/**/b?.json').test('a/b1.json')).toBe(true);
    expect(globToRegExp('*.json').test('x/y.json')).toBe(false);
  });

  it('reads a zip archive entry by entry, naming each archive!entry, and a .gz', async () => {
    const zip = join(root, 'batch.zip');
    writeFileSync(zip, buildZip([{ name: 'one.json', data: CONTACT_LENS }, { name: 'sub/', data: Buffer.alloc(0) }, { name: 'sub/two.txt', data: PLAIN }, { name: 'three.srt', data: SRT, stored: true }]));
    const gz = join(root, 'call.txt.gz');
    writeFileSync(gz, gzipSync(PLAIN));
    const items = await collect([zip, gz]);
    expect(summary(items, root)).toEqual([
      `/batch.zip!one.json ${CONTACT_LENS.length} bytes`,
      `/batch.zip!sub/two.txt ${PLAIN.length} bytes`,
      `/batch.zip!three.srt ${SRT.length} bytes`,
      `/call.txt.gz ${PLAIN.length} bytes`,
    ]);
    const two = items[1];
    expect(two && 'bytes' in two && two.bytes.equals(PLAIN)).toBe(true);
  });

  it('splits JSONL (plain, gzipped, inside a zip) into one transcript a line, skipping blank lines', async () => {
    const line = Buffer.from(JSON.stringify(JSON.parse(CONTACT_LENS.toString('utf8'))));
    const jsonl = Buffer.concat([line, Buffer.from('\n\n'), line, Buffer.from('\r\n'), line]);
    writeFileSync(join(root, 'calls.jsonl'), jsonl);
    writeFileSync(join(root, 'calls.jsonl.gz'), gzipSync(jsonl));
    writeFileSync(join(root, 'calls-in.zip'), buildZip([{ name: 'calls.jsonl', data: jsonl }]));
    const items = await collect([join(root, 'calls.jsonl'), join(root, 'calls.jsonl.gz'), join(root, 'calls-in.zip')]);
    expect(items.map((item) => item.source.replace(root, ''))).toEqual([
      '/calls.jsonl:1', '/calls.jsonl:3', '/calls.jsonl:4',
      '/calls.jsonl.gz:1', '/calls.jsonl.gz:3', '/calls.jsonl.gz:4',
      '/calls-in.zip!calls.jsonl:1', '/calls-in.zip!calls.jsonl:3', '/calls-in.zip!calls.jsonl:4',
    ]);
    for (const item of items) expect('bytes' in item && JSON.parse(item.bytes.toString('utf8')) as unknown).toBeTruthy();
    expect(splitJsonLines(jsonl).map((bytes) => bytes.toString('utf8').trim())).toEqual([line.toString(), line.toString(), line.toString()]);
  });

  it('refuses a JSONL line longer than one transcript, and goes on with the next', async () => {
    writeFileSync(join(root, 'long.jsonl'), `{"a":"${'x'.repeat(5000)}"}\n{"b":1}\n`);
    expect(summary(await collect([join(root, 'long.jsonl')], { maxTranscriptBytes: 1024, maxExpansionRatio: 100 }), root)).toEqual([
      '/long.jsonl:1 error: larger than the 1024 bytes limit for one transcript (IMPORT_MAX_FILE_BYTES)',
      '/long.jsonl:2 7 bytes',
    ]);
  });

  it('refuses a 200 MB single file from its size, without reading it', async () => {
    const huge = join(root, 'huge.json');
    writeFileSync(huge, '');
    truncateSync(huge, 200 * 1024 * 1024); // sparse: no disk, and reading it would take seconds and 200 MB
    expect(summary(await collect([huge]), root)).toEqual(['/huge.json error: 200.0 MB: larger than the 50.0 MB limit for one transcript (IMPORT_MAX_FILE_BYTES)']);
    rmSync(huge);
  });

  it('refuses a zip bomb while inflating, even when its header claims a small size, and reads the entries after it', async () => {
    const bombData = Buffer.alloc(30 * 1024 * 1024); // 30 MB of zeros deflate to about 30 KB: 1000:1
    const zip = join(root, 'bomb.zip');
    writeFileSync(zip, buildZip([{ name: 'bomb.json', data: bombData, claimedSize: 100 }, { name: 'fine.txt', data: PLAIN }]));
    const items = await collect([zip]);
    expect(summary(items, root)).toEqual([
      '/bomb.zip!bomb.json error: inflates more than 100:1 (a zip bomb?; IMPORT_MAX_EXPANSION_RATIO)',
      `/bomb.zip!fine.txt ${PLAIN.length} bytes`,
    ]);
    const gzipBomb = join(root, 'bomb.json.gz');
    writeFileSync(gzipBomb, gzipSync(bombData));
    expect(summary(await collect([gzipBomb]), root)).toEqual(['/bomb.json.gz error: inflates more than 100:1 (a zip bomb?; IMPORT_MAX_EXPANSION_RATIO)']);
  });

  it('caps an archive entry at one transcript while inflating (an honest ratio, too big)', async () => {
    const random = Buffer.from(Array.from({ length: 4096 }, (_, index) => (index * 7919) % 251));
    const zip = join(root, 'big-entry.zip');
    writeFileSync(zip, buildZip([{ name: 'big.json', data: random, claimedSize: 10 }]));
    expect(summary(await collect([zip], { maxTranscriptBytes: 1024, maxExpansionRatio: 100 }), root)).toEqual([
      '/big-entry.zip!big.json error: larger than the 1024 bytes limit for one transcript (IMPORT_MAX_FILE_BYTES)',
    ]);
    expect(deflateRawSync(random).length).toBeGreaterThan(100);
  });

  it('reports what cannot be read — a missing path, a dangling link, a damaged zip or gzip — and goes on', async () => {
    const bad = join(root, 'bad');
    mkdirSync(bad);
    symlinkSync(join(root, 'nowhere.json'), join(bad, 'a-dangling.json'));
    writeFileSync(join(bad, 'b-damaged.zip'), 'PK\u0003\u0004 not really a zip');
    writeFileSync(join(bad, 'c-damaged.txt.gz'), 'not gzip at all');
    writeFileSync(join(bad, 'd-fine.txt'), PLAIN);
    const items = await collect([join(root, 'missing.json'), bad]);
    expect(items.map((item) => item.source.replace(root, ''))).toEqual(['/missing.json', '/bad/a-dangling.json', '/bad/b-damaged.zip', '/bad/c-damaged.txt.gz', '/bad/d-fine.txt']);
    expect(summary(items, root).slice(0, 2)).toEqual(['/missing.json error: no such file or folder', '/bad/a-dangling.json error: no such file or folder']);
    expect(items[2] && 'error' in items[2] ? items[2].error : '').toMatch(/^not a readable zip archive/);
    expect(items[3] && 'error' in items[3] ? items[3].error : '').toBe('not valid gzip data');
    expect(items[4] && 'bytes' in items[4]).toBe(true);
  });
});
