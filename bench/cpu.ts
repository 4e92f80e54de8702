/**
 * CPU accounting from /proc (Linux): how busy the machine was during a window, and how many cores each process
 * group used (the systems under test, PostgreSQL, Redis, the bench itself). Absent /proc, it reports nothing.
 */
import { readFileSync, readdirSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

export interface CpuSnapshot {
  at: number;
  /** Busy and total jiffies of the whole machine. */
  busy: number;
  total: number;
  /** Jiffies (user + system) per process id, per group name. */
  groups: Record<string, Map<number, number>>;
}

export interface CpuUsage {
  seconds: number;
  /** Share of all cores that were busy (0–100 %). */
  machineBusyPct: number;
  cores: number;
  /** Cores used per group (1.0 = one core all the time). */
  groupCores: Record<string, number>;
}

function processJiffies(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

function pidsByCommand(prefix: string): number[] {
  const pids: number[] = [];
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        if (readFileSync(`/proc/${entry}/comm`, 'utf8').startsWith(prefix)) pids.push(Number(entry));
      } catch {
        // The process ended meanwhile.
      }
    }
  } catch {
    // No /proc.
  }
  return pids;
}

/** `named` are the bench's children by role; PostgreSQL and Redis are found by command name; `bench` is us. */
export function cpuSnapshot(named: Record<string, number[]>): CpuSnapshot | null {
  let line: string | undefined;
  try {
    line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  } catch {
    return null;
  }
  if (!line?.startsWith('cpu ')) return null;
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already in user).
  const total = values.slice(0, 8).reduce((sum, value) => sum + value, 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  const groups: Record<string, Map<number, number>> = {};
  const read = (pids: number[]) => new Map(pids.map((pid) => [pid, processJiffies(pid)]));
  for (const [name, pids] of Object.entries(named)) groups[name] = read(pids);
  groups.postgres = read(pidsByCommand('postgres'));
  groups.redis = read(pidsByCommand('redis-server'));
  groups['bench (autocannon)'] = read([process.pid]);
  return { at: Date.now(), busy: total - idle, total, groups };
}

export function cpuBetween(before: CpuSnapshot | null, after: CpuSnapshot | null): CpuUsage | null {
  if (!before || !after) return null;
  const seconds = (after.at - before.at) / 1000;
  const totalDelta = after.total - before.total;
  if (seconds <= 0 || totalDelta <= 0) return null;
  const cores = totalDelta / TICKS_PER_SECOND / seconds;
  const groupCores: Record<string, number> = {};
  for (const [name, pids] of Object.entries(after.groups)) {
    // A process that started inside the window counts from zero; one that ended inside it is not seen.
    let jiffies = 0;
    for (const [pid, value] of pids) jiffies += value - (before.groups[name]?.get(pid) ?? 0);
    groupCores[name] = jiffies / TICKS_PER_SECOND / seconds;
  }
  const busyCores = (after.busy - before.busy) / TICKS_PER_SECOND / seconds;
  const accounted = Object.values(groupCores).reduce((sum, value) => sum + value, 0);
  // Everything else on the machine (another engineer's test run, the kernel): noise in the figures when high.
  groupCores['other processes'] = Math.max(0, busyCores - accounted);
  return { seconds, machineBusyPct: (100 * (after.busy - before.busy)) / totalDelta, cores: Math.round(cores), groupCores };
}

/** How busy the machine is right now (%), over `ms`; null without /proc. */
export async function machineBusyPct(ms: number): Promise<number | null> {
  const before = cpuSnapshot({});
  await new Promise((resolve) => setTimeout(resolve, ms));
  return cpuBetween(before, cpuSnapshot({}))?.machineBusyPct ?? null;
}
