/**
 * The redacting logger (pino, JSON lines). Message text, phone numbers, e-mail addresses and card numbers never
 * reach a log: known sensitive keys are censored by path, and every string that is logged is scrubbed of long
 * digit runs and e-mail addresses.
 */
import { pino, type Logger, type LoggerOptions, type DestinationStream } from 'pino';

export type { Logger } from 'pino';

const SENSITIVE_KEYS = [
  'text',
  'body',
  'raw',
  'description',
  'summary',
  'phone',
  'email',
  'password',
  'apiKey',
  'key',
  'token',
  'authorization',
  'cookie',
  'displayName',
  'name',
  'address',
  'replyAddress',
];

const REDACT_PATHS = [
  ...SENSITIVE_KEYS,
  ...SENSITIVE_KEYS.map((key) => `*.${key}`),
  ...SENSITIVE_KEYS.map((key) => `*.*.${key}`),
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-api-key"]',
];

/**
 * Kept as they are (ours, not the customer's): complaint references, UUIDs, ISO dates and times. Anything else
 * with 7+ digits, possibly separated by spaces, dots or hyphens, is a phone, card, account or ID number.
 */
const NUMBERS = new RegExp(
  [
    '(CMP-\\d{4}-\\d{6,}',
    '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}',
    '\\d{4}-\\d{2}-\\d{2}(?:T\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,9})?)?(?:Z|[+-]\\d{2}:\\d{2})?)?)',
    '(\\+?\\d(?:[\\s.-]?\\d){6,})',
  ].join('|'),
  'gi',
);
const EMAIL = /[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+/g;

/** Masks numbers and e-mail addresses in free text that is about to be logged. */
export function scrubText(value: string): string {
  return value
    .replace(EMAIL, '[EMAIL]')
    .replace(NUMBERS, (match, kept: string | undefined) => (kept === undefined ? '[NUMBER]' : match));
}

function scrubDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    return { type: value.name, message: scrubText(value.message), code: (value as { code?: unknown }).code };
  }
  if (Array.isArray(value)) return value.map((item) => scrubDeep(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) out[key] = scrubDeep(inner, depth + 1);
  return out;
}

export interface LoggerConfig {
  level: string;
  name?: string;
}

export function createLogger(config: LoggerConfig, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level: config.level,
    base: { service: config.name ?? 'ombuds' },
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      log: (object) => scrubDeep(object) as Record<string, unknown>,
    },
    hooks: {
      logMethod(args, method) {
        const scrubbed = args.map((arg) => (typeof arg === 'string' ? scrubText(arg) : arg)) as Parameters<typeof method>;
        method.apply(this, scrubbed);
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
