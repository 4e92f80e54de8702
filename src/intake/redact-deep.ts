/**
 * Redacts PII from every string inside a channel's raw payload before it is stored, and makes every string one
 * PostgreSQL can store (no NUL, no unpaired surrogate: either fails the insert, whatever the channel sent).
 */
import { redactPii } from '../classifier/index.js';

/** Nothing a detector looks for can hide in a string without an @ and with fewer than 6 digits. */
function mayHoldPii(value: string): boolean {
  if (value.includes('@')) return true;
  let digits = 0;
  for (let index = 0; index < value.length; index += 1) {
    const code = value.charCodeAt(index);
    if ((code >= 48 && code <= 57) || (code >= 0xff10 && code <= 0xff19)) digits += 1;
    if (digits >= 6) return true;
  }
  // Secrets after cue words (PIN 1234, 验证码 5678) can be shorter.
  return digits >= 4 && /pin|otp|cv[vc]|code|pass|码/i.test(value);
}

// eslint-disable-next-line no-control-regex -- NUL is exactly what must be found
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The string with U+0000 and unpaired surrogates replaced by U+FFFD (PostgreSQL text and jsonb refuse them). */
export function storable(value: string): string {
  return value.replace(UNSTORABLE, '\uFFFD');
}

/**
 * `known` holds strings already redacted (the message text, which vendors repeat in their payload): each distinct
 * string is redacted once per payload, the costliest step of a webhook message (channels bench).
 */
export function redactDeep(value: unknown, depth = 0, known: Map<string, string> = new Map()): unknown {
  if (typeof value === 'string') {
    const done = known.get(value);
    if (done !== undefined) return done;
    const redacted = storable(mayHoldPii(value) ? redactPii(value).text : value);
    known.set(value, redacted);
    return redacted;
  }
  if (value === null || typeof value !== 'object' || depth > 16) return value ?? null;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, depth + 1, known));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) out[storable(key)] = redactDeep(inner, depth + 1, known);
  return out;
}
