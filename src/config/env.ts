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

/** `https://www.bank.example,https://app.bank.example`: origins (scheme, host, optional port; no path). */
const Origins = z.string().transform((value, context) => {
  const origins = value.split(',').map((part) => part.trim()).filter(Boolean);
  const wrong = origins.find((origin) => !/^https?:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?$/.test(origin));
  if (wrong !== undefined) {
    context.addIssue({ code: 'custom', message: `"${wrong}" is not an origin such as https://www.bank.example (scheme and host, no path)` });
    return z.NEVER;
  }
  return origins;
});

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

  // The staff console's sign-in (issue 8, decision 0014).
  /** A console session unused this long ends (sliding; 30 minutes). */
  CONSOLE_IDLE_TIMEOUT_MS: integer(60_000, 86_400_000).default(1_800_000),
  /** A console session ends this long after sign-in whatever is done (12 hours). */
  CONSOLE_SESSION_MAX_MS: integer(60_000, 30 * 86_400_000).default(43_200_000),
  /** Mark the session cookie Secure although requests reach Ombuds over plain HTTP (TLS ends at a proxy). */
  CONSOLE_COOKIE_SECURE: booleanish.default(false),
  /** Failed console sign-ins allowed per username, and per client address, in CONSOLE_SIGNIN_WINDOW_MS (then 429). */
  CONSOLE_SIGNIN_MAX_FAILURES: integer(1, 1_000).default(5),
  CONSOLE_SIGNIN_MAX_FAILURES_PER_ADDRESS: integer(1, 100_000).default(20),
  CONSOLE_SIGNIN_WINDOW_MS: integer(1_000, 86_400_000).default(900_000),

  // Hotline transcripts (issue 7): `ombuds import` and POST /v1/transcripts.
  IMPORT_MAX_FILE_BYTES: integer(1_024, 1024 * 1024 * 1024).default(8 * 1024 * 1024),
  IMPORT_MAX_EXPANSION_RATIO: integer(2, 100_000).default(100),
  IMPORT_WAIT_TIMEOUT_MS: integer(0, 86_400_000).default(120_000),
  IMPORT_WATCH_SETTLE_MS: integer(50, 600_000).default(2_000),
  IMPORT_WATCH_RESCAN_MS: integer(100, 3_600_000).default(30_000),
  TRANSCRIPT_BODY_LIMIT_BYTES: integer(1_024, 200 * 1024 * 1024).default(10 * 1024 * 1024),
  /** Assisted intake (`POST /v1/complaints`, issue 8): how far back the customer's complaint date may lie, in days. */
  ASSISTED_INTAKE_MAX_BACKDATE_DAYS: integer(1, 3_650).default(365),
  /** Largest attachment of an assisted-intake complaint, decoded (5 MB); larger answers 413 ATTACHMENT_TOO_LARGE. */
  ASSISTED_ATTACHMENT_MAX_BYTES: integer(1_024, 100 * 1024 * 1024).default(5 * 1024 * 1024),
  /** Largest `POST /v1/complaints` body (attachments are base64 inside it; ~40 MB). */
  ASSISTED_INTAKE_BODY_LIMIT_BYTES: integer(1_024, 500 * 1024 * 1024).default(40 * 1024 * 1024),

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
  /** Let callbacks and webhook subscriptions reach loopback, private and link-local addresses (development, tests). */
  OUTBOUND_ALLOW_PRIVATE_NETWORKS: booleanish.default(false),
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

  /** Our web chat widget (`/chat`, `/chat/widget.js`, the session and event-stream API); on unless `false`. */
  WEBCHAT_ENABLED: booleanish.default(true),
  /** Signs web chat session tokens; unset = one generated and kept in the database. */
  WEBCHAT_SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** How long a web chat session (its token) lasts. */
  WEBCHAT_SESSION_TTL_HOURS: integer(1, 24 * 7).default(24),
  /** Origins that may frame the chat page (the bank's sites that include /chat/widget.js), besides Ombuds itself. */
  WEBCHAT_ALLOWED_ORIGINS: Origins.default([]),
  /** How often an open chat stream re-reads its messages without a signal (a lost signal delays a reply by at most this). */
  WEBCHAT_POLL_INTERVAL_MS: integer(200, 600_000).default(10_000),

  /** Open staff event streams (`GET /v1/staff/events`, the console's live queue) one process holds at most; more answer 503. */
  STAFF_EVENTS_MAX_STREAMS: integer(1, 100_000).default(1_000),

  /** Twilio Programmable Messaging (SMS): the account SID and Auth Token; the channel is on when the token is set. */
  TWILIO_ACCOUNT_SID: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must be the Account SID: AC followed by 32 hexadecimal characters').optional(),
  TWILIO_AUTH_TOKEN: z.string().regex(/^[0-9a-fA-F]{32}$/, "must be the account's Auth Token: 32 hexadecimal characters").optional(),
  /** The public URL Twilio calls, without the path (signatures cover it; proxies change the host). Default PUBLIC_BASE_URL. */
  TWILIO_PUBLIC_BASE_URL: HttpUrl.optional(),
  TWILIO_API_ROOT: HttpUrl.default('https://api.twilio.com'),

  /** Vonage SMS API: the signature secret of signed webhooks; the channel is on when it is set. */
  VONAGE_SIGNATURE_SECRET: z.string().min(16, 'must be the signature secret from the Vonage dashboard (at least 16 characters)').optional(),
  /** How the account signs webhooks (dashboard → API settings): md5hash, or an HMAC: md5, sha1, sha256, sha512. */
  VONAGE_SIGNATURE_METHOD: z.enum(['md5hash', 'md5', 'sha1', 'sha256', 'sha512']).default('md5hash'),
  /** API key and secret the replies are sent with. */
  VONAGE_API_KEY: z.string().regex(/^[A-Za-z0-9]{1,32}$/, 'must be the API key from the Vonage dashboard').optional(),
  VONAGE_API_SECRET: z.string().min(1).optional(),
  VONAGE_API_ROOT: HttpUrl.default('https://rest.nexmo.com'),
  /** Parts of a concatenated SMS wait this long after the latest part for the rest; then what came is taken as it is. */
  VONAGE_CONCAT_TIMEOUT_MS: integer(100, 86_400_000).default(300_000),

  /** The Token of the WeChat Official Account's server configuration (3-32 letters and digits); unset = WeChat is off. */
  WECHAT_TOKEN: z.string().regex(/^[A-Za-z0-9]{3,32}$/, 'must be the 3-32 letters and digits set as Token in the Official Account server configuration').optional(),
  /** The Official Account's AppID (`wx` + 16 characters). */
  WECHAT_APP_ID: z.string().regex(/^wx[A-Za-z0-9]{16}$/, 'must be the AppID of the Official Account (wx followed by 16 characters)').optional(),
  /** The AppSecret (for the access token of the customer-service API). */
  WECHAT_APP_SECRET: z.string().regex(/^[A-Za-z0-9]{32}$/, 'must be the 32-character AppSecret of the Official Account').optional(),
  /** The EncodingAESKey: set for safe or compat mode (plaintext pushes are then refused). */
  WECHAT_ENCODING_AES_KEY: z.string().regex(/^[A-Za-z0-9]{43}$/, 'must be the 43-character EncodingAESKey of the server configuration').optional(),
  WECHAT_API_ROOT: HttpUrl.default('https://api.weixin.qq.com'),
  /** Largest distance between a callback's signed timestamp and our clock (replayed URLs); 0 = no check. */
  WECHAT_TIMESTAMP_TOLERANCE_SECONDS: integer(0, 86_400).default(300),

  /** Meta app secret (WhatsApp Cloud API and Messenger): signs X-Hub-Signature-256; unset = the Meta channels are off. */
  META_APP_SECRET: z.string().min(8, 'must be the app secret from the Meta app dashboard (App settings → Basic)').optional(),
  /** The verify token typed into the dashboard's webhook settings; Meta echoes it in the GET handshake. */
  META_VERIFY_TOKEN: z.string().min(8, 'must be at least 8 characters').max(256).optional(),
  /** WhatsApp system-user access token (replies through the Graph API). */
  META_ACCESS_TOKEN: z.string().min(1).optional(),
  /** Messenger page access token; default META_ACCESS_TOKEN. */
  META_PAGE_ACCESS_TOKEN: z.string().min(1).optional(),
  META_GRAPH_API_ROOT: HttpUrl.default('https://graph.facebook.com'),
  META_GRAPH_API_VERSION: z.string().regex(/^v\d{1,3}\.\d{1,3}$/, 'must be a Graph API version such as v21.0').default('v21.0'),
}).superRefine((env, context) => {
  if (env.CONSOLE_SESSION_MAX_MS < env.CONSOLE_IDLE_TIMEOUT_MS) {
    context.addIssue({ code: 'custom', path: ['CONSOLE_SESSION_MAX_MS'], message: 'must be at least CONSOLE_IDLE_TIMEOUT_MS (the absolute lifetime cannot be shorter than the idle timeout)' });
  }
  if (env.TWILIO_AUTH_TOKEN !== undefined || env.TWILIO_ACCOUNT_SID !== undefined) {
    for (const name of (['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN'] as const).filter((variable) => env[variable] === undefined)) {
      context.addIssue({ code: 'custom', path: [name], message: 'is required to turn on Twilio SMS (TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN together)' });
    }
    if (env.TWILIO_PUBLIC_BASE_URL === undefined && env.PUBLIC_BASE_URL === undefined) {
      context.addIssue({ code: 'custom', path: ['TWILIO_PUBLIC_BASE_URL'], message: 'is required with Twilio SMS (or PUBLIC_BASE_URL): the https:// URL Twilio calls, which its signatures cover' });
    }
  }
  if (env.VONAGE_SIGNATURE_SECRET !== undefined || env.VONAGE_API_KEY !== undefined || env.VONAGE_API_SECRET !== undefined) {
    for (const name of (['VONAGE_SIGNATURE_SECRET', 'VONAGE_API_KEY', 'VONAGE_API_SECRET'] as const).filter((variable) => env[variable] === undefined)) {
      context.addIssue({ code: 'custom', path: [name], message: 'is required to turn on Vonage SMS (VONAGE_SIGNATURE_SECRET, VONAGE_API_KEY and VONAGE_API_SECRET together: only signed webhooks are accepted)' });
    }
  }
  if (env.TELEGRAM_BOT_TOKEN !== undefined && env.TELEGRAM_MODE === 'webhook' && env.TELEGRAM_WEBHOOK_SECRET === undefined) {
    context.addIssue({ code: 'custom', path: ['TELEGRAM_WEBHOOK_SECRET'], message: 'is required with TELEGRAM_BOT_TOKEN in webhook mode (the secret_token given to setWebhook); or set TELEGRAM_MODE=polling' });
  }
  if (env.BOTFRAMEWORK_APP_ID !== undefined && env.BOTFRAMEWORK_APP_PASSWORD === undefined) {
    context.addIssue({ code: 'custom', path: ['BOTFRAMEWORK_APP_PASSWORD'], message: 'is required with BOTFRAMEWORK_APP_ID (the client secret the bot replies with)' });
  }
  if (env.WECHAT_TOKEN !== undefined || env.WECHAT_APP_ID !== undefined || env.WECHAT_APP_SECRET !== undefined || env.WECHAT_ENCODING_AES_KEY !== undefined) {
    const missing = (['WECHAT_TOKEN', 'WECHAT_APP_ID', 'WECHAT_APP_SECRET'] as const).filter((name) => env[name] === undefined);
    for (const name of missing) context.addIssue({ code: 'custom', path: [name], message: 'is required to turn on WeChat (WECHAT_TOKEN, WECHAT_APP_ID and WECHAT_APP_SECRET together; WECHAT_ENCODING_AES_KEY for safe mode)' });
  }
  if (env.META_APP_SECRET !== undefined || env.META_VERIFY_TOKEN !== undefined || env.META_ACCESS_TOKEN !== undefined || env.META_PAGE_ACCESS_TOKEN !== undefined) {
    const missing = (['META_APP_SECRET', 'META_VERIFY_TOKEN', 'META_ACCESS_TOKEN'] as const).filter((name) => env[name] === undefined);
    for (const name of missing) context.addIssue({ code: 'custom', path: [name], message: 'is required to turn on the Meta channels (META_APP_SECRET, META_VERIFY_TOKEN and META_ACCESS_TOKEN together)' });
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

/** True when the Meta channels (WhatsApp, Messenger: GET/POST /webhooks/meta) are on: the app secret is set. */
export function metaConfigured(env: Pick<Env, 'META_APP_SECRET'>): boolean {
  return env.META_APP_SECRET !== undefined;
}

/** True when the WeChat Official Account channel (GET/POST /webhooks/wechat) is on: its token is set. */
export function wechatConfigured(env: Pick<Env, 'WECHAT_TOKEN'>): boolean {
  return env.WECHAT_TOKEN !== undefined;
}

/** True when the Twilio SMS channel is on (`POST /webhooks/sms/twilio`). */
export function twilioSmsConfigured(env: Pick<Env, 'TWILIO_AUTH_TOKEN'>): boolean {
  return env.TWILIO_AUTH_TOKEN !== undefined;
}

/** True when the Vonage SMS channel is on (`POST /webhooks/sms/vonage`). */
export function vonageSmsConfigured(env: Pick<Env, 'VONAGE_SIGNATURE_SECRET'>): boolean {
  return env.VONAGE_SIGNATURE_SECRET !== undefined;
}

/** True when the optional LLM layer is configured: an API key, or an OpenAI-compatible base URL (DESIGN.md §8). */
export function llmConfigured(env: Pick<Env, 'OPENAI_API_KEY' | 'OPENAI_BASE_URL'>): boolean {
  return env.OPENAI_API_KEY !== undefined || env.OPENAI_BASE_URL !== undefined;
}

/** Never echoed in an error message (nor logged anywhere: nothing logs the environment). */
const SECRET_VARIABLES = new Set(['TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_SECRET', 'BOTFRAMEWORK_APP_PASSWORD', 'OPENAI_API_KEY', 'PII_HASH_SECRET', 'WECHAT_TOKEN', 'WECHAT_APP_SECRET', 'WECHAT_ENCODING_AES_KEY', 'WEBCHAT_SESSION_SECRET', 'META_APP_SECRET', 'META_VERIFY_TOKEN', 'META_ACCESS_TOKEN', 'META_PAGE_ACCESS_TOKEN', 'TWILIO_AUTH_TOKEN', 'VONAGE_SIGNATURE_SECRET', 'VONAGE_API_SECRET']);

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
