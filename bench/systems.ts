/**
 * The two systems under test, each started as child processes on its own throw-away database and BullMQ prefix:
 * Ombuds (`ombuds start`, or `ombuds serve` + `ombuds work`, or — to isolate the intake path — `ombuds serve`
 * alone with `ombuds work` started only when the load stops), with an API key made by `ombuds client add`, and the
 * naive baseline (bench/baseline-server.ts). Each is ready when its /readyz answers 200.
 */
import type { Topology } from './options.js';
import { freePort, runCommand, spawnService, waitForHttpOk, type Service } from './processes.js';

export interface SystemUnderTest {
  name: string;
  baseUrl: string;
  /** Headers every request carries (the API key). */
  headers: Record<string, string>;
  /** Process ids by role, for CPU accounting. */
  pids: Record<string, number[]>;
  /** Whether /metrics is Ombuds's Prometheus endpoint. */
  hasMetrics: boolean;
  /** Called when the load stops (the `deferred` topology starts its workers there). */
  afterLoad(): Promise<void>;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;
const TOPOLOGY_NAMES: Record<Topology, string> = { single: 'start', split: 'serve + work', deferred: 'serve; work after the load' };
const KEY_LINE = /API key \(shown once, store it now\): (omb_app_\S+)/;

export interface Placement {
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  /** Extra node arguments of the long-running processes (`--cpu-prof …`). */
  nodeArgs: string[];
}

async function stopAll(services: Service[]): Promise<void> {
  await Promise.all(services.map((service) => service.stop()));
}

export async function startOmbuds(placement: Placement, topology: Topology): Promise<SystemUnderTest> {
  const port = await freePort();
  const env = {
    DATABASE_URL: placement.databaseUrl,
    REDIS_URL: placement.redisUrl,
    QUEUE_PREFIX: placement.queuePrefix,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
  };
  const output = await runCommand('ombuds client add', 'src/main.ts', ['client', 'add', 'bench'], env);
  const apiKey = KEY_LINE.exec(output)?.[1];
  if (apiKey === undefined) throw new Error(`could not find the API key in the output of \`ombuds client add bench\`:\n${output}`);

  const services: Service[] = [];
  try {
    const baseUrl = `http://127.0.0.1:${port}`;
    const pids: Record<string, number[]> = {};
    const startWorkers = async () => {
      const workers = spawnService('ombuds work', 'src/main.ts', ['work'], env, placement.nodeArgs);
      services.push(workers);
      await workers.waitForLine(/workers running/, READY_TIMEOUT_MS);
      pids['ombuds work (workers)'] = [workers.pid];
    };
    if (topology === 'single') {
      const all = spawnService('ombuds start', 'src/main.ts', ['start'], env, placement.nodeArgs);
      services.push(all);
      await waitForHttpOk(`${baseUrl}/readyz`, all, READY_TIMEOUT_MS);
      pids['ombuds start (http+workers)'] = [all.pid];
    } else {
      const http = spawnService('ombuds serve', 'src/main.ts', ['serve'], env, placement.nodeArgs);
      services.push(http);
      await Promise.all([waitForHttpOk(`${baseUrl}/readyz`, http, READY_TIMEOUT_MS), topology === 'split' ? startWorkers() : Promise.resolve()]);
      pids['ombuds serve (http)'] = [http.pid];
    }
    return {
      name: `Ombuds (${TOPOLOGY_NAMES[topology]})`,
      baseUrl,
      headers: { authorization: `Bearer ${apiKey}` },
      pids,
      hasMetrics: true,
      afterLoad: () => (topology === 'deferred' ? startWorkers() : Promise.resolve()),
      stop: () => stopAll(services),
    };
  } catch (error) {
    await stopAll(services);
    throw error;
  }
}

export async function startBaseline(placement: Placement): Promise<SystemUnderTest> {
  const port = await freePort();
  const service = spawnService('baseline', 'bench/baseline-server.ts', [], {
    DATABASE_URL: placement.databaseUrl,
    REDIS_URL: placement.redisUrl,
    QUEUE_PREFIX: placement.queuePrefix,
    PORT: String(port),
    // The same pool size as Ombuds (its default, or the PG_POOL_MAX both are given).
    PG_POOL_MAX: process.env.PG_POOL_MAX ?? '20',
  }, placement.nodeArgs);
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForHttpOk(`${baseUrl}/readyz`, service, READY_TIMEOUT_MS);
  } catch (error) {
    await service.stop();
    throw error;
  }
  return {
    name: 'Baseline (naive)',
    baseUrl,
    headers: {},
    pids: { 'baseline server': [service.pid] },
    hasMetrics: false,
    afterLoad: () => Promise.resolve(),
    stop: () => service.stop(),
  };
}
