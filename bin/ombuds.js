#!/bin/sh
':' //; if [ "$1" = import ]; then exec node --max-old-space-size=128 "$0" "$@"; else exec node "$0" "$@"; fi
// The `ombuds` command: runs src/main.ts through tsx (no build step).
//
// `ombuds import` caps its own V8 heap at 128 MB: it streams transcripts through a bounded window, so a small heap
// holds all it needs (the loaded code and data take ≈90 MB of it), but without a cap V8 lets the heap grow with the
// allocation rate (≈500 MB of RSS for a 0.1 GB import). A heap limit can only be set when Node starts, so:
//   - run as a program (`ombuds import`, `./bin/ombuds.js import`), the two lines above are a shell script that
//     replaces itself with `node --max-old-space-size=128 bin/ombuds.js import …` — one process; to JavaScript
//     they are a string and a comment;
//   - run as `node bin/ombuds.js import …`, this file runs itself once more with the cap (a second, small process
//     that only relays the exit code).
// A limit given explicitly (a node flag or NODE_OPTIONS) is kept.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The import's old-space limit in MB (README, "ombuds import"); keep it equal to the one on line 2. */
const IMPORT_HEAP_MB = 128;

const limited = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((option) => option.includes('--max-old-space-size'));

if (process.argv[2] === 'import' && !limited) {
  const child = spawn(process.execPath, [...process.execArgv, `--max-old-space-size=${IMPORT_HEAP_MB}`, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  // Ctrl-C reaches the whole process group (the import stops and prints its summary); a SIGTERM sent to this
  // process alone is passed on.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal ? 128 : 1);
  });
} else {
  const { register } = await import('tsx/esm/api');
  register();
  process.argv[1] = fileURLToPath(new URL('../src/main.ts', import.meta.url));
  await import('../src/main.ts');
}
