/**
 * `ombuds import --watch DIR`: imports every file in DIR (and below), then each file dropped there later, until the
 * signal aborts (SIGINT). A file is imported once it is complete: its size and modification time have stayed the
 * same for `settleMs` (a call centre's export may take a while to write). fs.watch wakes the loop at once; a
 * periodic rescan catches what fs.watch misses (network shares, editors that rename into place). Hidden and
 * partial files (`.part`, `.tmp`, `.crdownload`) are left alone; a file changed after its import is imported again
 * (duplicates cost nothing: intake answers them as such).
 */
import { watch, type FSWatcher } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';

export interface WatchFolderOptions {
  directory: string;
  /** How long a file's size and mtime must stay unchanged before it is imported. */
  settleMs: number;
  /** Full rescans, besides fs.watch's wake-ups. */
  rescanMs: number;
  signal: AbortSignal;
  importFile(path: string): Promise<void>;
  /** A scan or an import failed (the loop goes on). */
  onError(message: string): void;
}

const PARTIAL = /(?:^\.|\.(?:part|partial|tmp|crdownload|download|swp)$|~$)/i;

async function listFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && !PARTIAL.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

export async function watchFolder(options: WatchFolderOptions): Promise<void> {
  const imported = new Map<string, string>();
  const candidates = new Map<string, { signature: string; since: number }>();
  let wake: (() => void) | null = null;
  let watcher: FSWatcher | null = null;
  try {
    watcher = watch(options.directory, { recursive: true }, () => wake?.());
    watcher.on('error', (error) => {
      options.onError(`watching ${options.directory}: ${error.message} (rescanning every ${options.rescanMs} ms)`);
    });
  } catch (error) {
    options.onError(`fs.watch is not available for ${options.directory} (${error instanceof Error ? error.message : String(error)}); rescanning every ${options.rescanMs} ms`);
  }
  const onAbort = () => wake?.();
  options.signal.addEventListener('abort', onAbort);

  const scan = async () => {
    let files: string[];
    try {
      files = await listFiles(options.directory);
    } catch (error) {
      options.onError(`cannot read ${options.directory}: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    for (const path of files) {
      if (options.signal.aborted) return;
      let signature: string;
      try {
        const info = await stat(path);
        signature = `${info.size}:${info.mtimeMs}`;
      } catch {
        continue; // Gone between the listing and the stat.
      }
      if (imported.get(path) === signature) continue;
      const candidate = candidates.get(path);
      const now = Date.now();
      if (candidate?.signature !== signature) {
        candidates.set(path, { signature, since: now });
        continue;
      }
      if (now - candidate.since < options.settleMs) continue;
      candidates.delete(path);
      imported.set(path, signature);
      try {
        await options.importFile(path);
      } catch (error) {
        options.onError(`${basename(path)}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };

  // Read through a function: the signal changes while scan() awaits.
  const stopped = (): boolean => options.signal.aborted;
  try {
    while (!stopped()) {
      await scan();
      if (stopped()) break;
      // Files settling are looked at again soon; otherwise the next look is fs.watch's wake-up or the rescan.
      const delay = candidates.size > 0 ? Math.max(50, Math.min(options.settleMs, options.rescanMs)) : options.rescanMs;
      await new Promise<void>((resolveWait) => {
        const timer = setTimeout(done, delay);
        function done() {
          clearTimeout(timer);
          wake = null;
          resolveWait();
        }
        wake = done;
      });
    }
  } finally {
    options.signal.removeEventListener('abort', onAbort);
    watcher?.close();
  }
}
