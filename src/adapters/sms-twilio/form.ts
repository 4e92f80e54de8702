/**
 * Twilio's webhook body: `application/x-www-form-urlencoded` UTF-8, read into every value of every name (a name may
 * repeat, and the signature covers each value). Pure.
 */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Every parameter with all its values, in the order received. */
export type FormParams = ReadonlyMap<string, readonly string[]>;

/** The body's parameters, or null when the body is not UTF-8 text. */
export function readFormParams(body: Buffer): FormParams | null {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return null;
  }
  const params = new Map<string, string[]>();
  for (const [name, value] of new URLSearchParams(text)) {
    const values = params.get(name);
    if (values) values.push(value);
    else params.set(name, [value]);
  }
  return params;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const NUL = String.fromCharCode(0);

/** The text with what PostgreSQL cannot store in text or jsonb (NUL, lone surrogates) replaced by U+FFFD. */
export function storable(value: string): string {
  return value.replaceAll(NUL, '\uFFFD').replace(LONE_SURROGATE, '\uFFFD');
}

/**
 * The first value of each parameter (what a message is read from; repeats only matter to the signature), made
 * storable: the signature was checked over the values as sent, the message keeps what the database can hold.
 */
export function firstValues(params: FormParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, values] of params) {
    const first = values[0];
    if (first !== undefined) out[storable(name)] = storable(first);
  }
  return out;
}
