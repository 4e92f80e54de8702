/**
 * `npm start` on a fresh machine: `ombuds start` with no configuration runs on embedded PGlite and the in-process
 * queue, prints its URL, answers health and readiness, and stops cleanly on SIGTERM.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnOmbuds } from '../support/run-ombuds.js';

describe('ombuds start on the embedded defaults', () => {
  let dataDir = '';
  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('prints its URL, answers /healthz and /readyz, and exits 0 on SIGTERM', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ombuds-start-'));
    const child = spawnOmbuds(['start'], { DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn' });
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));

    const deadline = Date.now() + 60_000;
    let url: string | undefined;
    while (!url && Date.now() < deadline) {
      url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
      if (!url) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(url, stdout).toBeDefined();
    expect(stdout).toContain('embedded PGlite');
    expect(stdout).toContain('in-process queue');
    expect(stdout).toContain('client add');

    expect((await fetch(`${url ?? ''}/healthz`)).status).toBe(200);
    const ready = await fetch(`${url ?? ''}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { database: { kind: 'pglite' }, queue: { kind: 'in-process' } } });

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
