/**
 * `npm start` on a fresh machine: `ombuds start` with no configuration runs on embedded PGlite and the in-process
 * queue, prints its URL and a first app and admin key (usable at once), refuses a second process on the same
 * embedded database, and stops cleanly on SIGTERM.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runOmbuds, spawnOmbuds } from '../support/run-ombuds.js';

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
    while (!(url && stdout.includes('shown once')) && Date.now() < deadline) {
      url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(url, stdout).toBeDefined();
    expect(stdout).toContain('embedded PGlite');
    expect(stdout).toContain('in-process queue');
    const appKey = /"demo-app" with key (omb_app_\S+)/.exec(stdout)?.[1];
    const adminKey = /"admin" \(admin\) with key (omb_staff_\S+)/.exec(stdout)?.[1];
    expect(appKey, stdout).toBeDefined();
    expect(adminKey, stdout).toBeDefined();

    expect((await fetch(`${url ?? ''}/healthz`)).status).toBe(200);
    const ready = await fetch(`${url ?? ''}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { database: { kind: 'pglite' }, queue: { kind: 'in-process' } } });

    const posted = await fetch(`${url ?? ''}/v1/messages`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${appKey ?? ''}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ sender: { id: 'first-customer' }, text: 'My card was charged twice for one purchase.' }),
    });
    expect(posted.status).toBe(202);
    const queue = await fetch(`${url ?? ''}/v1/staff/queue`, { headers: { Authorization: `Bearer ${adminKey ?? ''}` } });
    expect(queue.status).toBe(200);

    // The staff console: printed, served, and the first admin's key signs in to it.
    expect(stdout).toContain(`staff console at ${url ?? ''}/console`);
    const page = await fetch(`${url ?? ''}/console`);
    expect([page.status, page.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    const signIn = await fetch(`${url ?? ''}/console/api/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ apiKey: adminKey }),
    });
    expect(signIn.status).toBe(200);
    expect(signIn.headers.get('set-cookie')).toMatch(/^ombuds_session=[A-Za-z0-9_-]{43};.*HttpOnly/i);

    // PGlite admits one process: a second one on the same data folder is refused, not allowed to corrupt it.
    const second = await runOmbuds(['client', 'add', 'another-app'], { DATA_DIR: dataDir });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('is in use by process');

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const afterStop = await runOmbuds(['client', 'add', 'another-app'], { DATA_DIR: dataDir });
    expect(afterStop.code, afterStop.stderr).toBe(0);
  });
});
