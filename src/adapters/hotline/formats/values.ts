/**
 * Reading untyped JSON safely (no `as` on unparsed input) and the time notations transcript formats use: seconds as
 * numbers or strings, protobuf Duration strings ("1.100s") and objects ({seconds, nanos}), ISO 8601 durations
 * ("PT1M2.5S"), 100-ns ticks, epoch milliseconds.
 */
export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function records(value: unknown): JsonRecord[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A finite number, or a string that is one ("4.87", AWS's seconds and confidences). */
export function numeric(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

export function secondsToMs(value: unknown): number | undefined {
  const seconds = numeric(value);
  return seconds === undefined ? undefined : Math.round(seconds * 1000);
}

/** Protobuf Duration as JSON ("1.100s", "0s") or as the Node client's {seconds, nanos}. */
export function protobufDurationToMs(value: unknown): number | undefined {
  if (typeof value === 'string') {
    const match = /^\s*(-?\d+(?:\.\d+)?)s\s*$/.exec(value);
    return match?.[1] === undefined ? undefined : Math.round(Number(match[1]) * 1000);
  }
  if (isRecord(value)) {
    const seconds = numeric(value.seconds) ?? 0;
    const nanos = numeric(value.nanos) ?? 0;
    if (value.seconds === undefined && value.nanos === undefined) return undefined;
    return Math.round(seconds * 1000 + nanos / 1_000_000);
  }
  return undefined;
}

/** ISO 8601 duration as Azure writes it ("PT0.76S", "PT1M2.5S", "PT1H", "P1DT2H"). */
export function isoDurationToMs(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(value.trim());
  if (!match || value.trim() === 'P' || value.trim() === 'PT') return undefined;
  const [, days, hours, minutes, seconds] = match;
  const total = Number(days ?? 0) * 86_400 + Number(hours ?? 0) * 3_600 + Number(minutes ?? 0) * 60 + Number(seconds ?? 0);
  return Math.round(total * 1000);
}

/** Azure's 100-nanosecond ticks. */
export function ticksToMs(value: unknown): number | undefined {
  const ticks = numeric(value);
  return ticks === undefined ? undefined : Math.round(ticks / 10_000);
}

/** An ISO 8601 timestamp with an offset, from an ISO string or epoch milliseconds; undefined when unreadable. */
export function isoTimestamp(value: unknown): string | undefined {
  let date: Date | undefined;
  if (typeof value === 'number' && Number.isFinite(value)) date = new Date(value);
  else if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) date = new Date(value);
  if (!date || Number.isNaN(date.getTime())) return undefined;
  return date.toISOString();
}

/** A phone number already in E.164 (`+8613800138000`, `tel:+1 555 0100`); anything else is not guessed at. */
export function e164(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const compact = value.replace(/^tel:/i, '').replace(/[\s().-]/g, '');
  return /^\+[1-9]\d{6,14}$/.test(compact) ? compact : undefined;
}

/** A 0..1 confidence, or undefined. */
export function confidence(value: unknown): number | undefined {
  const number = numeric(value);
  return number !== undefined && number >= 0 && number <= 1 ? number : undefined;
}
