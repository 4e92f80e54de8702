#!/usr/bin/env node
// The `ombuds` command: runs src/main.ts through tsx (no build step).
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';

register();
process.argv[1] = fileURLToPath(new URL('../src/main.ts', import.meta.url));
await import('../src/main.ts');
