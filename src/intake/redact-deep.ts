/**
 * Redacts PII from every string inside a channel's raw payload before it is stored.
 */
import { redactPii } from '../classifier/index.js';

export function redactDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactPii(value).text;
  if (value === null || typeof value !== 'object' || depth > 16) return value ?? null;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) out[key] = redactDeep(inner, depth + 1);
  return out;
}
