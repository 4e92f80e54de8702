/**
 * Sweeping what a killed bench left behind: its throw-away databases, its BullMQ keys and its child processes,
 * all recognised by the bench's process id in their names (DATABASE_NAME, PREFIX_OF_KEY, and QUEUE_PREFIX in a
 * child's environment). Only resources of bench processes that no longer exist are touched, so a bench running
 * beside this one is left alone.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { DATABASE_NAME, PREFIX_OF_KEY, deleteRedisPrefix, dropDatabase, listBenchDatabases, listBenchPrefixes } from './infrastructure.js';

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Processes whose environment has `QUEUE_PREFIX=bench-<benchPid>-…` (the children of that bench). */
function childrenOf(benchPid: number): number[] {
  const marker = `QUEUE_PREFIX=bench-${benchPid}-`;
  const found: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').some((variable) => variable.startsWith(marker))) found.push(Number(entry));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return found;
}

async function terminate(pids: number[]): Promise<void> {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
  const deadline = Date.now() + 10_000;
  while (pids.some(isAlive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
  for (const pid of pids.filter(isAlive)) process.kill(pid, 'SIGKILL');
}

/**
 * Sweeps the leftovers of dead bench processes (of `onlyPid` alone, when given); returns what it removed, in
 * words. Never touches the resources of the calling process or of any live bench.
 */
export async function sweepLeftovers(redisUrl: string, onlyPid?: number): Promise<string[]> {
  const dead = (pid: number) => pid !== process.pid && (onlyPid === undefined || pid === onlyPid) && !isAlive(pid);
  const swept: string[] = [];
  const databases = (await listBenchDatabases()).filter((name) => dead(Number(DATABASE_NAME.exec(name)?.[1])));
  const prefixes = (await listBenchPrefixes(redisUrl)).filter((prefix) => dead(Number(PREFIX_OF_KEY.exec(`${prefix}:`)?.[2])));
  const benchPids = new Set([...databases.map((name) => Number(DATABASE_NAME.exec(name)?.[1])), ...prefixes.map((prefix) => Number(PREFIX_OF_KEY.exec(`${prefix}:`)?.[2]))]);
  if (onlyPid !== undefined && dead(onlyPid)) benchPids.add(onlyPid);
  for (const pid of benchPids) {
    const children = childrenOf(pid);
    if (children.length > 0) {
      await terminate(children);
      swept.push(`processes ${children.join(', ')}`);
    }
  }
  for (const name of databases) {
    await dropDatabase(name);
    swept.push(`database ${name}`);
  }
  for (const prefix of prefixes) {
    const keys = await deleteRedisPrefix(redisUrl, prefix);
    swept.push(`${keys} Redis keys under ${prefix}:`);
  }
  return swept;
}
