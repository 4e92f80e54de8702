/**
 * The environment, parsed once with zod: the only reader of process.env. A wrong value stops start-up with a
 * message naming the variable and how to set it. Every variable is listed in .env.example and the README.
 */
import { z } from 'zod';
import { ConfigInvalid } from '../shared/errors.js';
import { Product, Regime, TeamName } from '../contracts/index.js';

const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const booleanish = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

const DEFAULT_PRODUCT_TEAMS = 'cards=cards,deposit_accounts=accounts,loans=lending,mortgages=lending,payments_transfers=payments,digital_banking=digital,debt_collection=collections,credit_reporting=lending,wealth_insurance=wealth,other=general';

/** `product=team,product=team`: every key a product value, every value a team name. */
const ProductTeams = z.string().transform((value, context) => {
  const map: Partial<Record<Product, string>> = {};
  for (const pair of value.split(',').map((part) => part.trim()).filter(Boolean)) {
    const [product, team, ...rest] = pair.split('=').map((part) => part.trim());
    const parsedProduct = Product.safeParse(product);
    const parsedTeam = TeamName.safeParse(team);
    if (rest.length > 0 || !parsedProduct.success || !parsedTeam.success) {
      context.addIssue({ code: 'custom', message: `"${pair}" is not product=team with a product from TAXONOMY.md and a lower-case team name` });
      return z.NEVER;
    }
    map[parsedProduct.data] = parsedTeam.data;
  }
  return map;
});

const TimeZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as Asia/Shanghai or Europe/London');

/** `0.5,0.8`: distinct fractions strictly between 0 and 1, ascending. */
const WarningPoints = z.string().transform((value, context) => {
  const points = value.split(',').map((part) => Number(part.trim()));
  if (value.trim() === '') return [];
  if (points.some((point) => !Number.isFinite(point) || point <= 0 || point >= 1) || new Set(points).size !== points.length) {
    context.addIssue({ code: 'custom', message: 'must be fractions between 0 and 1 separated by commas, such as 0.5,0.8' });
    return z.NEVER;
  }
  return points.sort((a, b) => a - b);
});

const HttpUrl = z.url().refine((url) => /^https?:\/\//.test(url), 'must be an http:// or https:// URL');

export const EnvSchema = z.object({
  PORT: integer(0, 65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_BASE_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  DATABASE_URL: z.url().refine((url) => /^postgres(ql)?:\/\//.test(url), 'must be a postgres:// URL').optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  PG_POOL_MAX: integer(1, 200).default(20),
  PG_CONNECT_TIMEOUT_MS: integer(100, 60_000).default(3_000),
  PG_STATEMENT_TIMEOUT_MS: integer(100, 600_000).default(15_000),

  REDIS_URL: z.url().refine((url) => /^rediss?:\/\//.test(url), 'must be a redis:// or rediss:// URL').optional(),
  QUEUE_PREFIX: z.string().regex(/^[a-zA-Z0-9_-]+$/).default('ombuds'),
  QUEUE_ATTEMPTS: integer(1, 100).default(8),
  QUEUE_BACKOFF_MS: integer(10, 600_000).default(1_000),
  QUEUE_CONCURRENCY: integer(1, 256).default(16),
  QUEUE_LOCK_MS: integer(1_000, 600_000).default(30_000),
  QUEUE_ENQUEUE_TIMEOUT_MS: integer(100, 60_000).default(2_000),
  RECONCILE_INTERVAL_MS: integer(1_000, 86_400_000).default(60_000),

  BODY_LIMIT_BYTES: integer(1_024, 50 * 1024 * 1024).default(256 * 1024),
  GROUP_COMMIT_MAX_BATCH: integer(1, 1_000).default(128),
  API_KEY_CACHE_TTL_MS: integer(0, 3_600_000).default(30_000),

  REGIME: Regime.default('cn_nfra'),
  TIMEZONE: TimeZone.default('Asia/Shanghai'),
  PRODUCT_TEAMS: ProductTeams.default(ProductTeams.parse(DEFAULT_PRODUCT_TEAMS)),
  DEFAULT_TEAM: TeamName.default('general'),

  /** Warning points on every clock, as fractions of its length (`0.5,0.8`); the breach timer is always set. */
  TIMER_WARNING_POINTS: WarningPoints.default([0.5, 0.8]),
  /** Resolutions with monetary redress above this value (in the complaint's currency) need a supervisor's approval. */
  APPROVAL_REDRESS_LIMIT: z.coerce.number().nonnegative().default(500),
  /** Calendar of public holidays for business days, when it differs from the regime's default (`GB-SCT`, `US-NY`, `DE`). */
  HOLIDAY_CALENDAR: z.string().regex(/^[A-Z]{2}(?:-[A-Z0-9]{1,3})?$/, 'must be a country code, optionally with a region: GB, GB-SCT, US-NY').optional(),
  OUTBOUND_MAX_ATTEMPTS: integer(1, 100).default(8),
  OUTBOUND_TIMEOUT_MS: integer(100, 120_000).default(10_000),
  RETRY_BASE_MS: integer(10, 3_600_000).default(2_000),
  RETRY_MAX_MS: integer(100, 86_400_000).default(3_600_000),
  WEBHOOK_MAX_ATTEMPTS: integer(1, 100).default(10),
  SURVEY_TIMEOUT_HOURS: integer(1, 24 * 90).default(168),
  /** A survey score at or below this (1–5) reopens the complaint for a callback. */
  SURVEY_LOW_SCORE: integer(1, 5).default(2),
  /** A chat dialog quiet this long is registered with what the customer said (decision 0010). */
  DIALOG_IDLE_TIMEOUT_MS: integer(1_000, 7 * 86_400_000).default(900_000),

  METRICS_ENABLED: booleanish.default(true),
  /** Secret for the salted hashes of identifiers found in texts; unset = one generated and kept in the database. */
  PII_HASH_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),

  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z.url().refine((url) => /^https?:\/\//.test(url), 'must be an http:// or https:// URL').optional(),
  OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
  LLM_TIMEOUT_MS: integer(100, 120_000).default(8_000),
  LLM_CONCURRENCY: integer(1, 256).default(4),
  LLM_BREAKER_FAILURES: integer(1, 1_000).default(5),
  LLM_BREAKER_COOLDOWN_MS: integer(100, 3_600_000).default(30_000),

  /** Telegram bot token from @BotFather; unset = the Telegram channel is off. */
  TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[A-Za-z0-9_-]{30,}$/, 'must be a bot token from @BotFather: <digits>:<30+ characters of A-Z a-z 0-9 _ ->').optional(),
  /** The `secret_token` given to setWebhook; Telegram sends it back in X-Telegram-Bot-Api-Secret-Token. */
  TELEGRAM_WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, 'must be 1-256 characters of A-Z a-z 0-9 _ -').optional(),
  /** `webhook` (POST /webhooks/telegram) or `polling` (getUpdates; local development, one process). */
  TELEGRAM_MODE: z.enum(['webhook', 'polling']).default('webhook'),
  TELEGRAM_API_ROOT: HttpUrl.default('https://api.telegram.org'),

  /** Mounts POST /api/messages (Bot Framework); implied by BOTFRAMEWORK_APP_ID. Without an app id: Emulator mode. */
  BOTFRAMEWORK_ENABLED: booleanish.default(false),
  BOTFRAMEWORK_APP_ID: z.string().trim().min(1).max(128).optional(),
  BOTFRAMEWORK_APP_PASSWORD: z.string().min(1).optional(),
  BOTFRAMEWORK_TENANT_ID: z.string().regex(/^[A-Za-z0-9.-]{1,128}$/, 'must be a tenant id (GUID) or domain').optional(),
  BOTFRAMEWORK_OPENID_METADATA_URL: HttpUrl.optional(),
  BOTFRAMEWORK_TOKEN_ENDPOINT: HttpUrl.optional(),
  /** One more serviceUrl origin replies may go to besides https ones (a private gateway, a local fake). */
  BOTFRAMEWORK_CHANNEL_SERVICE_ORIGIN: HttpUrl.optional(),
}).superRefine((env, context) => {
  if (env.TELEGRAM_BOT_TOKEN !== undefined && env.TELEGRAM_MODE === 'webhook' && env.TELEGRAM_WEBHOOK_SECRET === undefined) {
    context.addIssue({ code: 'custom', path: ['TELEGRAM_WEBHOOK_SECRET'], message: 'is required with TELEGRAM_BOT_TOKEN in webhook mode (the secret_token given to setWebhook); or set TELEGRAM_MODE=polling' });
  }
  if (env.BOTFRAMEWORK_APP_ID !== undefined && env.BOTFRAMEWORK_APP_PASSWORD === undefined) {
    context.addIssue({ code: 'custom', path: ['BOTFRAMEWORK_APP_PASSWORD'], message: 'is required with BOTFRAMEWORK_APP_ID (the client secret the bot replies with)' });
  }
});

export type Env = z.infer<typeof EnvSchema>;

/** True when the Telegram channel is on (a bot token is set). */
export function telegramConfigured(env: Pick<Env, 'TELEGRAM_BOT_TOKEN'>): boolean {
  return env.TELEGRAM_BOT_TOKEN !== undefined;
}

/** True when POST /api/messages (Bot Framework) is mounted: BOTFRAMEWORK_ENABLED, or an app id set. */
export function botFrameworkConfigured(env: Pick<Env, 'BOTFRAMEWORK_ENABLED' | 'BOTFRAMEWORK_APP_ID'>): boolean {
  return env.BOTFRAMEWORK_ENABLED || env.BOTFRAMEWORK_APP_ID !== undefined;
}

/** True when the optional LLM layer is configured: an API key, or an OpenAI-compatible base URL (DESIGN.md §8). */
export function llmConfigured(env: Pick<Env, 'OPENAI_API_KEY' | 'OPENAI_BASE_URL'>): boolean {
  return env.OPENAI_API_KEY !== undefined || env.OPENAI_BASE_URL !== undefined;
}

/** Never echoed in an error message (nor logged anywhere: nothing logs the environment). */
const SECRET_VARIABLES = new Set(['TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_SECRET', 'BOTFRAMEWORK_APP_PASSWORD', 'OPENAI_API_KEY', 'PII_HASH_SECRET']);

/** Parses an environment (process.env by default); throws ConfigInvalid naming every wrong variable. */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const relevant: Record<string, string> = {};
  for (const key of Object.keys(EnvSchema.shape)) {
    const value = source[key];
    if (value !== undefined && value !== '') relevant[key] = value;
  }
  const parsed = EnvSchema.safeParse(relevant);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  const shown = (name: string): string => {
    const value = relevant[name] ?? '';
    return SECRET_VARIABLES.has(name) && value !== '' ? `<hidden, ${String(value.length)} characters>` : JSON.stringify(value);
  };
  const lines = details.map((detail) => `  ${detail.path}=${shown(detail.path)}: ${detail.message}`);
  throw new ConfigInvalid(`Invalid configuration (see .env.example):\n${lines.join('\n')}`, details);
}
