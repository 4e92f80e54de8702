/**
 * Ombuds as the channels bench runs it: on a throw-away database and BullMQ prefix, with the four webhook channels
 * on (bench/channel-requests.ts `channelEnv`, sending to the fake vendor APIs) and the offline classifier, as
 * `ombuds serve` + `ombuds work` (split, the production topology), `ombuds start` (single), or `ombuds serve` alone
 * with `ombuds work` started when the load stops (deferred: the intake path without workers competing for the
 * CPU). An API-channel app key comes from `ombuds client add` (which also migrates). Ready when /readyz answers 200
 * and the workers said they run.
 */
import type { Topology } from './options.js';
import { freePort, runCommand, spawnService, waitForHttpOk, type Service } from './processes.js';

export interface ChannelOmbuds {
  name: string;
  baseUrl: string;
  apiKey: string;
  /** Process ids by role (CPU accounting, CPU profiles). */
  pids: Record<string, number[]>;
  /** Called when the load stops (the deferred topology starts its workers here). */
  afterLoad(): Promise<void>;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;
const KEY_LINE = /API key \(shown once, store it now\): (omb_app_\S+)/;
export const TOPOLOGY_NAMES: Record<Topology, string> = { single: 'start', split: 'serve + work', deferred: 'serve; work after the load' };

export interface ChannelOmbudsPlacement {
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  /** Extra node arguments of the long-running processes (`--cpu-prof …`). */
  nodeArgs: string[];
  /** The channels' settings (credentials, vendor API roots). */
  channelEnv: Record<string, string>;
}

export async function startChannelOmbuds(placement: ChannelOmbudsPlacement, topology: Topology): Promise<ChannelOmbuds> {
  const port = await freePort();
  const env: Record<string, string> = {
    ...placement.channelEnv,
    DATABASE_URL: placement.databaseUrl,
    REDIS_URL: placement.redisUrl,
    QUEUE_PREFIX: placement.queuePrefix,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    // The offline classifier: an empty value is unset for Ombuds (config/env.ts).
    OPENAI_API_KEY: '',
    OPENAI_BASE_URL: '',
  };
  const output = await runCommand('ombuds client add', 'src/main.ts', ['client', 'add', 'bench'], env);
  const apiKey = KEY_LINE.exec(output)?.[1];
  if (apiKey === undefined) throw new Error(`could not find the API key in the output of \`ombuds client add bench\`:\n${output}`);

  const services: Service[] = [];
  const stop = () => Promise.all(services.map((service) => service.stop())).then(() => undefined);
  const baseUrl = `http://127.0.0.1:${String(port)}`;
  const pids: Record<string, number[]> = {};
  const startWorkers = async () => {
    const workers = spawnService('ombuds work', 'src/main.ts', ['work'], env, placement.nodeArgs);
    services.push(workers);
    await workers.waitForLine(/workers running/, READY_TIMEOUT_MS);
    pids['ombuds work (workers)'] = [workers.pid];
  };
  try {
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
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    name: `Ombuds (${TOPOLOGY_NAMES[topology]})`,
    baseUrl,
    apiKey,
    pids,
    afterLoad: () => (topology === 'deferred' ? startWorkers() : Promise.resolve()),
    stop,
  };
}
