/**
 * Child processes of the bench: spawning TypeScript entry points under `node --import tsx`, keeping the tail of
 * their output for error messages, waiting for a line or an HTTP 200, and stopping them (SIGTERM, then SIGKILL).
 * Every child still alive when the bench process exits is killed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The project root: children run from here so `src/main.ts` and `bench/…` resolve. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export interface Service {
  name: string;
  pid: number;
  /** The last lines the child wrote (stdout and stderr). */
  output(): string;
  /** Resolves when the child printed a line matching `pattern` (rejects if it exits first or on timeout). */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string>;
  running(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the child is gone. */
  stop(graceMs?: number): Promise<void>;
}

const TAIL_LINES = 60;

function tsxArgs(script: string, args: readonly string[], nodeArgs: readonly string[] = []): string[] {
  return [...nodeArgs, '--import', 'tsx', script, ...args];
}

/** `nodeArgs` go to node itself (e.g. `--cpu-prof`, which NODE_OPTIONS does not accept). */
export function spawnService(name: string, script: string, args: readonly string[], env: Record<string, string>, nodeArgs: readonly string[] = []): Service {
  const child = spawn(process.execPath, tsxArgs(script, args, nodeArgs), {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not spawn ${name}`);
  const pid = child.pid;
  live.add(child);
  const tail: string[] = [];
  const listeners = new Set<(line: string) => void>();
  let exitInfo: string | null = null;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = signal ? `killed by ${signal}` : `exited with code ${String(code)}`;
      live.delete(child);
      resolve();
    });
  });
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      for (const listener of listeners) listener(line);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);

  return {
    name,
    pid,
    output: () => tail.join('\n'),
    running: () => exitInfo === null,
    waitForLine(pattern, timeoutMs) {
      const seen = tail.find((line) => pattern.test(line));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const done = () => {
          clearTimeout(timer);
          listeners.delete(listener);
        };
        const listener = (line: string) => {
          if (!pattern.test(line)) return;
          done();
          resolve(line);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`${name} did not print ${String(pattern)} within ${timeoutMs} ms; its output:\n${tail.join('\n')}`));
        }, timeoutMs);
        listeners.add(listener);
        void exited.then(() => {
          done();
          reject(new Error(`${name} ${exitInfo ?? 'exited'} before printing ${String(pattern)}; its output:\n${tail.join('\n')}`));
        });
      });
    },
    async stop(graceMs = 15_000) {
      if (exitInfo !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs a one-shot command to completion; resolves with its stdout, rejects with its output on failure. */
export function runCommand(name: string, script: string, args: readonly string[], env: Record<string, string>, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, tsxArgs(script, args), { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      live.delete(child);
      if (code === 0) resolve(stdout);
      else reject(new Error(`${name} ${signal ? `killed by ${signal}` : `exited with code ${String(code)}`}:\n${stdout}${stderr}`));
    });
  });
}

/** Polls `url` until it answers 200; fails early if the service exits. */
export async function waitForHttpOk(url: string, service: Service, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (!service.running()) throw new Error(`${service.name} exited before ${url} answered 200; its output:\n${service.output()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
      last = `HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms (last: ${last}); ${service.name}'s output:\n${service.output()}`);
}

/** A TCP port nobody listens on right now (on 127.0.0.1). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => {
        if (port > 0) resolve(port);
        else reject(new Error('could not find a free port'));
      });
    });
  });
}

/**
 * Starts bench/janitor.ts outside this process group, to sweep this bench's leftovers once it is gone (it may be
 * SIGKILLed before its own cleanup ends). Returns at once.
 */
export function spawnJanitor(redisUrl: string): void {
  const janitor = spawn(process.execPath, tsxArgs('bench/janitor.ts', [String(process.pid), redisUrl]), {
    cwd: PROJECT_ROOT,
    detached: true,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  janitor.unref();
}
