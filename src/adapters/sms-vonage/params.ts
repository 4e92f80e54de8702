/**
 * A Vonage SMS API webhook body as name → value: Vonage POSTs either JSON (an object of strings) or a form,
 * whichever the dashboard says (CHANNELS.md §3b). The signature covers these values exactly, so both shapes are read
 * into the same strings (a JSON number or boolean as its JSON text). Pure.
 */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Largest number of parameters read (Vonage sends about 15); more is not a Vonage body. */
const MAX_PARAMS = 64;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const NUL = String.fromCharCode(0);

/** The text with what PostgreSQL cannot store in text or jsonb (NUL, lone surrogates) replaced by U+FFFD. */
export function storable(value: string): string {
  return value.replaceAll(NUL, '\uFFFD').replace(LONE_SURROGATE, '\uFFFD');
}

/** The parameters as a message may keep them (the signature is checked over the values as sent, before this). */
export function storableParams(params: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) out[storable(name)] = storable(value);
  return out;
}

/** By the body itself, not the content type (a form never starts with `{`; a misconfigured proxy may relabel). */
function looksLikeJson(text: string): boolean {
  return text.trimStart().startsWith('{');
}

/** The body's parameters, or null when it is neither a flat JSON object nor a form of UTF-8 text. */
export function readVonageParams(body: Buffer): Record<string, string> | null {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return null;
  }
  const params: Record<string, string> = {};
  if (looksLikeJson(text)) {
    let json: unknown;
    try {
      json = JSON.parse(text) as unknown;
    } catch {
      return null;
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) return null;
    const entries = Object.entries(json);
    if (entries.length > MAX_PARAMS) return null;
    for (const [name, value] of entries) {
      if (typeof value === 'string') params[name] = value;
      else if (typeof value === 'number' || typeof value === 'boolean') params[name] = JSON.stringify(value);
      else if (value !== null) return null;
    }
    return params;
  }
  let count = 0;
  for (const [name, value] of new URLSearchParams(text)) {
    count += 1;
    if (count > MAX_PARAMS) return null;
    params[name] = value;
  }
  return params;
}
