/**
 * Reading Ombuds's Prometheus endpoint (/metrics): the group-commit batch sizes (`ombuds_intake_batch_size`) and
 * the event-loop lag of the HTTP process (prom-client's default metrics, which reset their lag histogram on every
 * scrape, so a scrape at the start of a window and one at its end give the lag of that window).
 */

/** `name{labels}` → value. */
export type Samples = Map<string, number>;

export async function scrape(baseUrl: string): Promise<Samples> {
  const response = await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
  const samples: Samples = new Map();
  for (const line of (await response.text()).split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    const value = Number(line.slice(space + 1));
    if (Number.isFinite(value)) samples.set(line.slice(0, space), value);
  }
  return samples;
}

export interface BatchSizes {
  statements: number;
  messages: number;
  mean: number;
  /** Statements per bucket (`≤1`, `≤2`, … `≤256`, `>256`), not cumulative. */
  histogram: Record<string, number>;
}

/** The batch-size histogram between two scrapes of the same process. */
export function batchSizesBetween(before: Samples, after: Samples): BatchSizes {
  const delta = (key: string) => (after.get(key) ?? 0) - (before.get(key) ?? 0);
  const statements = delta('ombuds_intake_batch_size_count');
  const messages = delta('ombuds_intake_batch_size_sum');
  const histogram: Record<string, number> = {};
  let previous = 0;
  for (const le of ['1', '2', '4', '8', '16', '32', '64', '128', '256', '+Inf']) {
    const cumulative = delta(`ombuds_intake_batch_size_bucket{le="${le}"}`);
    histogram[le === '+Inf' ? '>256' : `≤${le}`] = cumulative - previous;
    previous = cumulative;
  }
  return { statements, messages, mean: statements > 0 ? messages / statements : 0, histogram };
}

export interface EventLoopLag {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** The lag since the previous scrape (see the header). */
export function eventLoopLag(samples: Samples): EventLoopLag | null {
  const get = (name: string) => samples.get(`ombuds_process_nodejs_eventloop_lag_${name}_seconds`);
  const p50 = get('p50');
  const p99 = get('p99');
  const max = get('max');
  if (p50 === undefined || p99 === undefined || max === undefined) return null;
  return { p50Ms: p50 * 1000, p99Ms: p99 * 1000, maxMs: max * 1000 };
}
