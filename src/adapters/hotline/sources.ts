/**
 * Where transcripts come from when a call centre points `ombuds import` at them (issue 7): files, folders (walked
 * recursively), globs, `.zip` archives (entry by entry through yauzl), `.gz` files (zlib) and JSONL (one transcript
 * a line). Everything streams: at most one transcript's bytes are held at a time, a file larger than one transcript
 * may be is refused from its size before it is read, and an archive entry is refused while it inflates, once it
 * outgrows the per-transcript cap or the expansion ratio (a zip bomb), whatever its header claims.
 */
import { createReadStream, type Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import yauzl from 'yauzl';

/** One transcript's bytes, or why an item could not be read. `source` names it: a path, `archive!entry`, `file:line`. */
export type SourceItem = { source: string; bytes: Buffer } | { source: string; error: string };

export interface SourceLimits {
  /** The largest single transcript (a file, an archive entry, a JSONL line). */
  maxTranscriptBytes: number;
  /** Refuse compressed data that inflates past this many times its compressed size (zip / gzip bombs). */
  maxExpansionRatio: number;
}

/** Ratios are judged only past this much output: a tiny, very repetitive file is not a bomb. */
const RATIO_FLOOR_BYTES = 1024 * 1024;

const GLOB_CHARACTERS = /[*?[\]{}]/;

function describe(error: unknown): string {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a folder';
  return error instanceof Error ? error.message : String(error);
}

function megabytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${bytes} bytes` : `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function tooLarge(limits: SourceLimits): string {
  return `larger than the ${megabytes(limits.maxTranscriptBytes)} limit for one transcript (IMPORT_MAX_FILE_BYTES)`;
}

/** A glob (`*`, `**`, `?`, `[…]`, `{a,b}`) as a regular expression over `/`-separated relative paths. */
export function globToRegExp(glob: string): RegExp {
  let pattern = '';
  for (let index = 0; index < glob.length; index += 1) {
    const character = glob.charAt(index);
    if (character === '*') {
      if (glob[index + 1] === '*') {
        const slash = glob[index + 2] === '/';
        pattern += slash ? '(?:.*/)?' : '.*';
        index += slash ? 2 : 1;
      } else pattern += '[^/]*';
    } else if (character === '?') pattern += '[^/]';
    else if (character === '[') {
      const end = glob.indexOf(']', index + 1);
      if (end === -1) pattern += '\\[';
      else {
        pattern += `[${glob.slice(index + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        index = end;
      }
    } else if (character === '{') {
      const end = glob.indexOf('}', index + 1);
      if (end === -1) pattern += '\\{';
      else {
        pattern += `(?:${glob.slice(index + 1, end).split(',').map((part) => part.replace(/[.+^$()|\\]/g, '\\$&').replace(/\*/g, '[^/]*')).join('|')})`;
        index = end;
      }
    } else pattern += character.replace(/[.+^$()|\\]/g, '\\$&');
  }
  return new RegExp(`^${pattern}$`);
}

/** Every file under a folder, depth first, in name order (so runs and summaries are repeatable). */
async function* walk(folder: string): AsyncGenerator<{ path: string } | { path: string; error: string }> {
  let entries: Dirent[];
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    yield { path: folder, error: describe(error) };
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile() || entry.isSymbolicLink()) yield { path };
  }
}

/** The files a path names: itself, the files under a folder, or the files a glob matches. */
export async function* expandPath(path: string): AsyncGenerator<{ path: string } | { path: string; error: string }> {
  if (GLOB_CHARACTERS.test(path)) {
    const parts = path.split(/[\\/]/);
    const firstGlob = parts.findIndex((part) => GLOB_CHARACTERS.test(part));
    const base = parts.slice(0, firstGlob).join('/') || (path.startsWith('/') ? '/' : '.');
    const matcher = globToRegExp(parts.slice(firstGlob).join('/'));
    let matched = false;
    for await (const file of walk(base)) {
      if ('error' in file) {
        yield file;
        continue;
      }
      if (matcher.test(relative(base, file.path).split(sep).join('/'))) {
        matched = true;
        yield file;
      }
    }
    if (!matched) yield { path, error: 'the pattern matches no file' };
    return;
  }
  try {
    const info = await stat(path);
    if (info.isDirectory()) yield* walk(path);
    else yield { path };
  } catch (error) {
    yield { path, error: describe(error) };
  }
}

/**
 * Reads a stream whole, refusing it past `maxBytes` or past `ratio` times `compressedBytes()` (when given): the
 * stream is destroyed at once, so a bomb never inflates further.
 */
async function collect(stream: Readable, limits: SourceLimits, compressedBytes?: () => number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    total += chunk.length;
    const refusal = refusalFor(total, limits, compressedBytes?.());
    if (refusal) {
      stream.destroy();
      throw new Error(refusal);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

function refusalFor(inflated: number, limits: SourceLimits, compressed: number | undefined): string | null {
  if (compressed !== undefined && inflated > RATIO_FLOOR_BYTES && inflated > compressed * limits.maxExpansionRatio) {
    return `inflates more than ${limits.maxExpansionRatio}:1 (a zip bomb?; IMPORT_MAX_EXPANSION_RATIO)`;
  }
  if (inflated > limits.maxTranscriptBytes) return tooLarge(limits);
  return null;
}

/**
 * JSONL: one item per non-blank line, read chunk by chunk; a line longer than one transcript is skipped (reported)
 * without being held. Line numbers are 1-based.
 */
async function* jsonLines(stream: Readable, source: string, limits: SourceLimits, compressedBytes?: () => number): AsyncGenerator<SourceItem> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let overflow = false;
  let line = 1;
  let inflated = 0;
  const finishLine = function* (): Generator<SourceItem> {
    const bytes = Buffer.concat(pending, pendingBytes);
    if (overflow) yield { source: `${source}:${line}`, error: tooLarge(limits) };
    else if (bytes.toString('utf8').trim() !== '') yield { source: `${source}:${line}`, bytes };
    pending = [];
    pendingBytes = 0;
    overflow = false;
    line += 1;
  };
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    inflated += chunk.length;
    if (compressedBytes) {
      const refusal = refusalFor(inflated, { ...limits, maxTranscriptBytes: Number.POSITIVE_INFINITY }, compressedBytes());
      if (refusal) {
        stream.destroy();
        yield { source, error: refusal };
        return;
      }
    }
    let start = 0;
    for (let newline = chunk.indexOf(10, start); newline !== -1; newline = chunk.indexOf(10, start)) {
      append(chunk.subarray(start, newline));
      yield* finishLine();
      start = newline + 1;
    }
    append(chunk.subarray(start));
  }
  yield* finishLine();

  function append(piece: Buffer): void {
    if (overflow || piece.length === 0) return;
    if (pendingBytes + piece.length > limits.maxTranscriptBytes) {
      overflow = true;
      pending = [];
      pendingBytes = 0;
      return;
    }
    pending.push(piece);
    pendingBytes += piece.length;
  }
}

/** What a name says about its packaging: gzip around it, JSONL inside, or a single transcript. */
function packaging(name: string): { gzip: boolean; jsonl: boolean } {
  const lower = name.toLowerCase();
  const gzip = lower.endsWith('.gz');
  const inner = gzip ? lower.slice(0, -3) : lower;
  return { gzip, jsonl: inner.endsWith('.jsonl') || inner.endsWith('.ndjson') };
}

/** The items of one stream of a known name (a file or an archive entry), decompressing a `.gz`. */
async function* itemsOfStream(
  open: () => Readable,
  source: string,
  name: string,
  limits: SourceLimits,
  compressedSize: number | undefined,
): AsyncGenerator<SourceItem> {
  const { gzip, jsonl } = packaging(name);
  let input: Readable;
  try {
    input = open();
  } catch (error) {
    yield { source, error: describe(error) };
    return;
  }
  let compressedRead = 0;
  let stream = input;
  if (gzip) {
    input.on('data', (chunk: Buffer) => (compressedRead += chunk.length));
    const gunzip = createGunzip();
    input.on('error', (error) => gunzip.destroy(error));
    stream = input.pipe(gunzip);
  }
  // For a .gz the ratio is judged against what was read so far; for a zip entry, against its compressed size.
  const compressed = gzip ? () => Math.max(compressedRead, 1) : compressedSize === undefined ? undefined : () => Math.max(compressedSize, 1);
  try {
    if (jsonl) yield* jsonLines(stream, source, limits, compressed);
    else yield { source, bytes: await collect(stream, limits, compressed) };
  } catch (error) {
    input.destroy();
    stream.destroy();
    yield { source, error: gzip && describe(error).includes('incorrect header') ? 'not valid gzip data' : describe(error) };
  }
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolveZip, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: true, validateEntrySizes: false, strictFileNames: false }, (error, zip) => {
      if (error) reject(error);
      else resolveZip(zip);
    });
  });
}

function nextEntry(zip: yauzl.ZipFile): Promise<yauzl.Entry | null> {
  return new Promise((resolveEntry, reject) => {
    const onEntry = (entry: yauzl.Entry) => {
      cleanup();
      resolveEntry(entry);
    };
    const onEnd = () => {
      cleanup();
      resolveEntry(null);
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      zip.off('entry', onEntry);
      zip.off('end', onEnd);
      zip.off('error', onError);
    };
    zip.on('entry', onEntry);
    zip.on('end', onEnd);
    zip.on('error', onError);
    zip.readEntry();
  });
}

function entryStream(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolveStream, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error) reject(error);
      else resolveStream(stream);
    });
  });
}

/** A zip archive, entry by entry: only one entry's stream is open at a time. */
async function* zipItems(path: string, limits: SourceLimits): AsyncGenerator<SourceItem> {
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(path);
  } catch (error) {
    yield { source: path, error: `not a readable zip archive: ${describe(error)}` };
    return;
  }
  try {
    for (let entry = await nextEntry(zip); entry; entry = await nextEntry(zip)) {
      if (entry.fileName.endsWith('/')) continue;
      const source = `${path}!${entry.fileName}`;
      const { jsonl } = packaging(entry.fileName);
      // The header's size may lie; it only lets an honest oversized entry be refused without inflating it.
      if (!jsonl && entry.uncompressedSize > limits.maxTranscriptBytes && !packaging(entry.fileName).gzip) {
        yield { source, error: tooLarge(limits) };
        continue;
      }
      let stream: Readable;
      try {
        stream = await entryStream(zip, entry);
      } catch (error) {
        yield { source, error: describe(error) };
        continue;
      }
      yield* itemsOfStream(() => stream, source, entry.fileName, limits, entry.compressedSize);
    }
  } catch (error) {
    yield { source: path, error: `the zip archive is damaged: ${describe(error)}` };
  } finally {
    zip.close();
  }
}

/** One file's items: a zip's entries, a JSONL file's lines, a (gzipped) transcript. */
async function* fileItems(path: string, limits: SourceLimits): AsyncGenerator<SourceItem> {
  const name = basename(path);
  if (name.toLowerCase().endsWith('.zip')) {
    yield* zipItems(path, limits);
    return;
  }
  const { gzip, jsonl } = packaging(name);
  if (!gzip && !jsonl) {
    // Refuse an oversized transcript from its size, before reading a byte of it.
    try {
      const info = await stat(path);
      if (info.size > limits.maxTranscriptBytes) {
        yield { source: path, error: `${megabytes(info.size)}: ${tooLarge(limits)}` };
        return;
      }
    } catch (error) {
      yield { source: path, error: describe(error) };
      return;
    }
  }
  const opened = createReadStream(path);
  const ready = await new Promise<unknown>((settle) => {
    opened.once('open', () => {
      settle(null);
    });
    opened.once('error', settle);
  });
  if (ready !== null) {
    yield { source: path, error: describe(ready) };
    return;
  }
  yield* itemsOfStream(() => opened, path, name, limits, undefined);
}

/**
 * The transcripts under the given paths (files, folders, globs), in order, one at a time: an error item for each
 * path or item that cannot be read, never a throw, so one bad file never stops a batch.
 */
export async function* transcriptSources(paths: readonly string[], limits: SourceLimits): AsyncGenerator<SourceItem> {
  for (const path of paths) {
    for await (const file of expandPath(path)) {
      if ('error' in file) yield { source: file.path, error: file.error };
      else yield* fileItems(file.path, limits);
    }
  }
}

/** The transcripts of one file (watch mode imports files one by one). */
export function transcriptFileSources(path: string, limits: SourceLimits): AsyncGenerator<SourceItem> {
  return fileItems(resolve(path), limits);
}

/** The non-blank lines of a JSONL body held in memory (the HTTP route), each as one transcript's bytes. */
export function splitJsonLines(body: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let newline = body.indexOf(10); ; newline = body.indexOf(10, start)) {
    const line = body.subarray(start, newline === -1 ? body.length : newline);
    if (line.toString('utf8').trim() !== '') lines.push(line);
    if (newline === -1) break;
    start = newline + 1;
  }
  return lines;
}
