import { PayloadInvalid } from './errors.js';

/**
 * JSON helpers: canonical JSON (sorted keys, no whitespace), the input of hashes that must be reproducible; and
 * webhook bodies decoded as strict UTF-8 JSON.
 */

/** Canonical JSON of `value`. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const inner = (value as Record<string, unknown>)[key];
      if (inner !== undefined) out[key] = sortKeys(inner);
    }
    return out;
  }
  return value;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A webhook body as JSON: strict UTF-8, then JSON.parse. Throws PayloadInvalid (400) naming `what` ("The Telegram
 * update") when it is neither; never anything else.
 */
export function decodeJsonBody(body: Buffer, what: string): unknown {
  let text: string;
  try {
    text = strictUtf8.decode(body);
  } catch {
    throw new PayloadInvalid(`${what} is not UTF-8 text.`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new PayloadInvalid(`${what} is not valid JSON.`);
  }
}
