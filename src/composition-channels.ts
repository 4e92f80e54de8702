/**
 * The channels part of the composition root: which conversational channels the environment turns on, each built
 * as its adapter with its webhook path and body limit (README "Channels"), and our web chat with its session
 * secret and broadcast. Only src/composition.ts imports this file.
 */
import { randomBytes } from 'node:crypto';
import { botFrameworkConfigured, metaConfigured, telegramConfigured, twilioSmsConfigured, vonageSmsConfigured, wechatConfigured, type Env } from './config/env.js';
import { createBotFrameworkAdapter } from './adapters/botframework/index.js';
import { createMetaAdapter, META_BODY_LIMIT_BYTES, META_WEBHOOK_PATH } from './adapters/meta/index.js';
import { createTelegramAdapter, DEFAULT_TELEGRAM_WEBHOOK_PATH } from './adapters/telegram/index.js';
import { createTwilioSmsAdapter, DEFAULT_TWILIO_WEBHOOK_PATH, TWILIO_BODY_LIMIT_BYTES } from './adapters/sms-twilio/index.js';
import { createVonageSmsAdapter, DEFAULT_VONAGE_WEBHOOK_PATH, VONAGE_BODY_LIMIT_BYTES } from './adapters/sms-vonage/index.js';
import { createWebChatAdapter, webChatTopic, type WebChatAdapter } from './adapters/webchat/index.js';
import { createWeChatAdapter, WECHAT_BODY_LIMIT_BYTES, WECHAT_WEBHOOK_PATH } from './adapters/wechat/index.js';
import type { ChannelAdapter } from './contracts/channel-adapter.js';
import type { WebhookChannel } from './http/app.js';
import { createInProcessBroadcast, createRedisBroadcast, type Broadcast } from './queue/index.js';
import type { Clock } from './shared/clock.js';
import type { Logger } from './shared/logger.js';
import { getOrCreateSetting, type Database } from './store/index.js';

/** Body limits of the vendors' webhooks: Telegram updates are small but may carry long captions; one Activity is small. */
const TELEGRAM_BODY_LIMIT_BYTES = 1024 * 1024;
const BOT_FRAMEWORK_BODY_LIMIT_BYTES = 256 * 1024;
export const BOT_FRAMEWORK_WEBHOOK_PATH = '/api/messages';

export interface ConfiguredChannels {
  /** Mounted as webhooks (Telegram only in webhook mode). */
  webhooks: WebhookChannel[];
  /** Every configured channel's adapter (their senders reply). */
  adapters: ChannelAdapter[];
  /** Telegram in polling mode: the token and the secret the polled updates carry to verify. */
  telegramPolling: { adapter: ChannelAdapter; botToken: string; secretToken: string; apiRoot: string } | null;
}

/** The conversational channels the environment turns on (README "Channels"). Throws ConfigInvalid on a bad combination. */
export function configuredChannels(env: Env, clock: Clock): ConfiguredChannels {
  const channels: ConfiguredChannels = { webhooks: [], adapters: [], telegramPolling: null };
  if (telegramConfigured(env) && env.TELEGRAM_BOT_TOKEN !== undefined) {
    const polling = env.TELEGRAM_MODE === 'polling';
    // Polled updates carry the secret too (one verify path); without a configured one, any fresh secret will do.
    const secretToken = env.TELEGRAM_WEBHOOK_SECRET ?? randomBytes(32).toString('base64url');
    const adapter = createTelegramAdapter({ botToken: env.TELEGRAM_BOT_TOKEN, secretToken, apiRoot: env.TELEGRAM_API_ROOT, timeoutMs: env.OUTBOUND_TIMEOUT_MS });
    channels.adapters.push(adapter);
    if (polling) channels.telegramPolling = { adapter, botToken: env.TELEGRAM_BOT_TOKEN, secretToken, apiRoot: env.TELEGRAM_API_ROOT };
    else channels.webhooks.push({ path: DEFAULT_TELEGRAM_WEBHOOK_PATH, adapter, bodyLimitBytes: TELEGRAM_BODY_LIMIT_BYTES });
  }
  if (botFrameworkConfigured(env)) {
    const adapter = createBotFrameworkAdapter({
      appId: env.BOTFRAMEWORK_APP_ID,
      appPassword: env.BOTFRAMEWORK_APP_PASSWORD,
      tenantId: env.BOTFRAMEWORK_TENANT_ID,
      openIdMetadataUrl: env.BOTFRAMEWORK_OPENID_METADATA_URL,
      tokenEndpoint: env.BOTFRAMEWORK_TOKEN_ENDPOINT,
      channelServiceOrigin: env.BOTFRAMEWORK_CHANNEL_SERVICE_ORIGIN,
      timeoutMs: env.OUTBOUND_TIMEOUT_MS,
      clock,
    });
    channels.adapters.push(adapter);
    channels.webhooks.push({ path: BOT_FRAMEWORK_WEBHOOK_PATH, adapter, bodyLimitBytes: BOT_FRAMEWORK_BODY_LIMIT_BYTES });
  }
  if (metaConfigured(env) && env.META_APP_SECRET !== undefined && env.META_VERIFY_TOKEN !== undefined && env.META_ACCESS_TOKEN !== undefined) {
    // One webhook for WhatsApp and Messenger; their messages, dialogs and senders are the two product channels.
    const meta = createMetaAdapter({
      appSecret: env.META_APP_SECRET,
      verifyToken: env.META_VERIFY_TOKEN,
      accessToken: env.META_ACCESS_TOKEN,
      ...(env.META_PAGE_ACCESS_TOKEN === undefined ? {} : { pageAccessToken: env.META_PAGE_ACCESS_TOKEN }),
      graphApiRoot: env.META_GRAPH_API_ROOT,
      graphApiVersion: env.META_GRAPH_API_VERSION,
      timeoutMs: env.OUTBOUND_TIMEOUT_MS,
    });
    channels.adapters.push(meta.whatsapp, meta.messenger);
    channels.webhooks.push({ path: META_WEBHOOK_PATH, adapter: meta, bodyLimitBytes: META_BODY_LIMIT_BYTES });
  }
  if (wechatConfigured(env) && env.WECHAT_TOKEN !== undefined && env.WECHAT_APP_ID !== undefined && env.WECHAT_APP_SECRET !== undefined) {
    const wechat = createWeChatAdapter({
      token: env.WECHAT_TOKEN,
      appId: env.WECHAT_APP_ID,
      appSecret: env.WECHAT_APP_SECRET,
      ...(env.WECHAT_ENCODING_AES_KEY === undefined ? {} : { encodingAesKey: env.WECHAT_ENCODING_AES_KEY }),
      apiRoot: env.WECHAT_API_ROOT,
      timeoutMs: env.OUTBOUND_TIMEOUT_MS,
      clock,
      timestampToleranceSeconds: env.WECHAT_TIMESTAMP_TOLERANCE_SECONDS,
    });
    channels.adapters.push(wechat);
    channels.webhooks.push({ path: WECHAT_WEBHOOK_PATH, adapter: wechat, bodyLimitBytes: WECHAT_BODY_LIMIT_BYTES });
  }
  const twilioBaseUrl = env.TWILIO_PUBLIC_BASE_URL ?? env.PUBLIC_BASE_URL;
  if (twilioSmsConfigured(env) && env.TWILIO_ACCOUNT_SID !== undefined && env.TWILIO_AUTH_TOKEN !== undefined && twilioBaseUrl !== undefined) {
    const twilio = createTwilioSmsAdapter({
      accountSid: env.TWILIO_ACCOUNT_SID,
      authToken: env.TWILIO_AUTH_TOKEN,
      publicBaseUrl: twilioBaseUrl,
      webhookPath: DEFAULT_TWILIO_WEBHOOK_PATH,
      apiRoot: env.TWILIO_API_ROOT,
      timeoutMs: env.OUTBOUND_TIMEOUT_MS,
    });
    channels.adapters.push(twilio);
    channels.webhooks.push({ path: DEFAULT_TWILIO_WEBHOOK_PATH, adapter: twilio, bodyLimitBytes: TWILIO_BODY_LIMIT_BYTES });
  }
  if (vonageSmsConfigured(env) && env.VONAGE_SIGNATURE_SECRET !== undefined && env.VONAGE_API_KEY !== undefined && env.VONAGE_API_SECRET !== undefined) {
    const vonage = createVonageSmsAdapter({
      signatureSecret: env.VONAGE_SIGNATURE_SECRET,
      signatureMethod: env.VONAGE_SIGNATURE_METHOD,
      apiKey: env.VONAGE_API_KEY,
      apiSecret: env.VONAGE_API_SECRET,
      apiRoot: env.VONAGE_API_ROOT,
      timeoutMs: env.OUTBOUND_TIMEOUT_MS,
      clock,
    });
    channels.adapters.push(vonage);
    channels.webhooks.push({ path: DEFAULT_VONAGE_WEBHOOK_PATH, adapter: vonage, bodyLimitBytes: VONAGE_BODY_LIMIT_BYTES });
  }
  return channels;
}

/** The web chat widget's static files (page, script, styles, embeddable loader). */
export const WEBCHAT_ASSETS = new URL('../web/chat/', import.meta.url);

/**
 * Our web chat (on unless WEBCHAT_ENABLED=false): its adapter, whose sender signals the customer's stream, and the
 * broadcast that carries the signal — Redis pub/sub beside BullMQ (worker and HTTP may be different processes),
 * else in-process. The session secret is WEBCHAT_SESSION_SECRET, else one generated once and kept in the database.
 */
export async function createWebChat(env: Env, database: Database, clock: Clock, logger: Logger): Promise<{ adapter: WebChatAdapter; broadcast: Broadcast }> {
  const broadcast = env.REDIS_URL
    ? createRedisBroadcast({ redisUrl: env.REDIS_URL, prefix: env.QUEUE_PREFIX, publishTimeoutMs: env.QUEUE_ENQUEUE_TIMEOUT_MS, logger })
    : createInProcessBroadcast({ logger });
  const sessionSecret = env.WEBCHAT_SESSION_SECRET ?? (await getOrCreateSetting(database, 'webchat_session_secret', () => randomBytes(32).toString('hex')));
  const adapter = createWebChatAdapter({
    sessionSecret,
    sessionTtlMs: env.WEBCHAT_SESSION_TTL_HOURS * 3_600_000,
    clock,
    publish: (sessionId, signal) => broadcast.publish(webChatTopic(sessionId), signal),
  });
  return { adapter, broadcast };
}
