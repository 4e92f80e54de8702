/**
 * The composition root's object graph: builds and wires the concrete database, queue, classifier, intake, handling
 * services, channels, workers and HTTP app of one Ombuds process (DESIGN.md §2). main.ts (the `ombuds` command)
 * and the tests call {@link createOmbuds}; nothing in a src/ folder imports this file. Which channels the
 * environment turns on is composition-channels.ts.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { resolve } from 'node:path';
import type { Express, Router } from 'express';
import {
  createOfflineClassifier,
  loadLocalModel,
  type Classifier,
} from './classifier/index.js';
import { createLlmClassifier, withLlm } from './classifier/llm/index.js';
import { llmConfigured, type Env } from './config/env.js';
import { createApiCallbackSender } from './adapters/api/index.js';
import { parseTranscript, transcriptToInbound } from './adapters/hotline/index.js';
import { createTranscriptPipeline, type TranscriptPipeline } from './cli/transcript-pipeline.js';
import { configuredChannels, createWebChat, WEBCHAT_ASSETS } from './composition-channels.js';
import {
  REGIMES,
  assertCalendar,
  createAssignment,
  createClockEngine,
  createDialogServices,
  createDispatchProcessor,
  createEventDispatcher,
  createFollowUps,
  createMessageTemplates,
  createOutboundProcessor,
  createOutboundQueue,
  createRegistrar,
  createTimerProcessor,
  createWorkflow,
  createQueueEvents,
  withQueueEventsAfterIntake,
  reconcileDispatch,
  reconcileOutbound,
  reconcileTimers,
  timerJobsFor,
  type OutboundFailure,
  type RegistrarConfig,
} from './handling/index.js';
import type { Metrics } from './http/index.js';
import { createAssistedIntake, createCallAttachment, createCallContents, createDialogRunner, createIntake, createIntakeProcessor, createReconciler, reconcileIdleDialogs, silentIntakeObserver, type Intake, type Reconciler } from './intake/index.js';
import {
  createBullmqDriver,
  createInProcessBroadcast,
  createInProcessDriver,
  createRedisBroadcast,
  enqueueFollowUps,
  type FollowUpJob,
  type QueueDriver,
} from './queue/index.js';
import { systemClock, type Clock } from './shared/clock.js';
import { hmacSha256Hex } from './shared/crypto.js';
import { createLogger, type Logger } from './shared/logger.js';
import { createOutboundAddressGuard } from './shared/outbound-address-guard.js';
import {
  appendEvents,
  applyDeliveryReceipt,
  findApiClientCallback,
  createPgliteDatabase,
  getOrCreateSetting,
  createPostgresDatabase,
  migrate,
  type Database,
  type Queryable,
} from './store/index.js';

export const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export const PROJECT_ROOT = new URL('../', import.meta.url);
const MODEL_FILE = new URL('./classifier/model/model.json', import.meta.url);

/** Rules + the committed local model (`npm run train` writes it). */
export async function loadOfflineClassifier(): Promise<Classifier> {
  return createOfflineClassifier({ model: loadLocalModel(JSON.parse(await readFile(MODEL_FILE, 'utf8'))) });
}

/** The offline classifier, with the LLM layer on top when OPENAI_API_KEY or OPENAI_BASE_URL is set. */
export function withOptionalLlm(offline: Classifier, env: Env, onOutcome?: (outcome: string) => void): Classifier {
  if (!llmConfigured(env)) return offline;
  const llm = createLlmClassifier({
    ...(env.OPENAI_API_KEY ? { apiKey: env.OPENAI_API_KEY } : {}),
    ...(env.OPENAI_BASE_URL ? { baseURL: env.OPENAI_BASE_URL } : {}),
    model: env.OPENAI_MODEL,
    timeoutMs: env.LLM_TIMEOUT_MS,
    maxConcurrency: env.LLM_CONCURRENCY,
    breaker: { failureThreshold: env.LLM_BREAKER_FAILURES, cooldownMs: env.LLM_BREAKER_COOLDOWN_MS },
    ...(onOutcome ? { onOutcome } : {}),
  });
  return withLlm(offline, llm);
}

export interface OmbudsOptions {
  env: Env;
  /** Run the HTTP side (routes, intake). */
  http: boolean;
  /** Run the queue workers and the reconciler in this process. */
  workers: boolean;
  logger?: Logger;
  clock?: Clock;
  classifier?: Classifier;
}

export interface Ombuds {
  env: Env;
  app: Express;
  database: Database;
  queue: QueueDriver;
  intake: Intake;
  reconciler: Reconciler;
  metrics: Metrics | null;
  logger: Logger;
  /** One hotline transcript → one accepted call record (`ombuds import`, `POST /v1/transcripts`). */
  importTranscript: TranscriptPipeline;
  /** Starts the workers and the reconciler (when `workers`). */
  start(): Promise<void>;
  /** Listens on the configured host and port (or the given ones); resolves with the URL. */
  listen(port?: number, host?: string): Promise<string>;
  stop(): Promise<void>;
}

export async function openDatabase(env: Env): Promise<Database> {
  if (env.DATABASE_URL) {
    return createPostgresDatabase({
      connectionString: env.DATABASE_URL,
      maxConnections: env.PG_POOL_MAX,
      connectTimeoutMs: env.PG_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: env.PG_STATEMENT_TIMEOUT_MS,
    });
  }
  // `memory://` keeps the embedded database in memory (tests, demos); anything else is a folder.
  const dataDir = env.DATA_DIR.startsWith('memory://') ? env.DATA_DIR : resolve(env.DATA_DIR, 'pglite');
  return createPgliteDatabase({ dataDir });
}

function createQueue(env: Env, logger: Logger): QueueDriver {
  const common = { attempts: env.QUEUE_ATTEMPTS, backoffMs: env.QUEUE_BACKOFF_MS, concurrency: env.QUEUE_CONCURRENCY, logger };
  if (env.REDIS_URL) {
    return createBullmqDriver({
      ...common,
      redisUrl: env.REDIS_URL,
      prefix: env.QUEUE_PREFIX,
      lockDurationMs: env.QUEUE_LOCK_MS,
      stalledIntervalMs: env.QUEUE_LOCK_MS,
      enqueueTimeoutMs: env.QUEUE_ENQUEUE_TIMEOUT_MS,
    });
  }
  return createInProcessDriver(common);
}

/** Bull Board, loaded only by a process with an HTTP side. */
async function queueBoard(queue: QueueDriver): Promise<Router | undefined> {
  if (!('bullQueues' in queue) || typeof queue.bullQueues !== 'function') return undefined;
  const [{ createBullBoard }, { BullMQAdapter }, { ExpressAdapter }] = await Promise.all([
    import('@bull-board/api'),
    import('@bull-board/api/bullMQAdapter'),
    import('@bull-board/express'),
  ]);
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath('/admin/queues');
  const queues = (queue.bullQueues as () => ConstructorParameters<typeof BullMQAdapter>[0][])();
  createBullBoard({ queues: queues.map((bullQueue) => new BullMQAdapter(bullQueue, { readOnlyMode: false })), serverAdapter });
  return serverAdapter.getRouter() as Router;
}

export async function createOmbuds(options: OmbudsOptions): Promise<Ombuds> {
  const { env } = options;
  const logger = options.logger ?? createLogger({ level: env.LOG_LEVEL });
  const clock = options.clock ?? systemClock;
  // Before anything opens: a bad channel configuration stops start-up at once.
  const channels = configuredChannels(env, clock);
  const database = await openDatabase(env);
  try {
    await migrate(database);
  } catch (error) {
    await database.close();
    throw error;
  }
  const queue = createQueue(env, logger);
  // The HTTP side (express, the routes, Bull Board) is loaded only by a process that serves it: `ombuds work` and
  // `ombuds import` load what their workers need and no more (the import's peak memory, issue 7).
  const http = options.http || env.METRICS_ENABLED ? await import('./http/index.js') : null;
  const metrics = http && env.METRICS_ENABLED ? http.createMetrics({ queue, defaultMetrics: true }) : null;
  const observer = metrics?.intakeObserver ?? silentIntakeObserver;
  // Only workers classify; an HTTP-only process does not load the model.
  const classifier =
    options.classifier ??
    (options.workers ? withOptionalLlm(await loadOfflineClassifier(), env, (outcome) => metrics?.llmOutcome(outcome)) : null);

  const hashSecret = env.PII_HASH_SECRET ?? (await getOrCreateSetting(database, 'pii_hash_secret', () => randomBytes(32).toString('hex')));
  const intake = createIntake({
    database,
    queue,
    observer,
    logger,
    timeZone: env.TIMEZONE,
    maxBatch: env.GROUP_COMMIT_MAX_BATCH,
    hashIdentifier: (type, value) => hmacSha256Hex(hashSecret, `${type}:${value}`),
  });
  const importTranscript = createTranscriptPipeline({
    parse: parseTranscript,
    toInbound: transcriptToInbound,
    accept: (message) => intake.accept(message),
    clock,
    // A transcript stored before is found by its bytes' hash, before it is parsed again.
    contents: createCallContents({ database, maxBatch: env.GROUP_COMMIT_MAX_BATCH }),
  });
  // Before anything reads channels.adapters (the dialog's channels, the outbound senders).
  const webChat = env.WEBCHAT_ENABLED ? await createWebChat(env, database, clock, logger) : null;
  if (webChat) channels.adapters.push(webChat.adapter);
  // The broadcast port: web chat's when it is on (one set of Redis connections), else the staff console's own.
  const broadcast =
    webChat?.broadcast ??
    (env.REDIS_URL
      ? createRedisBroadcast({ redisUrl: env.REDIS_URL, prefix: env.QUEUE_PREFIX, publishTimeoutMs: env.QUEUE_ENQUEUE_TIMEOUT_MS, logger })
      : createInProcessBroadcast({ logger }));
  // "The queue changed" hints for the staff console's live queue (GET /v1/staff/events), published after commits.
  const queueEvents = createQueueEvents({ publish: (topic, message) => broadcast.publish(topic, message), logger });
  // The handling workflow (DESIGN.md §9, decision 0009).
  const calendar = env.HOLIDAY_CALENDAR ?? REGIMES[env.REGIME].calendar;
  assertCalendar(calendar);
  const enqueue = (jobs: readonly FollowUpJob[]) => enqueueFollowUps(queue, jobs);
  const timerJobs = (clocks: Parameters<typeof timerJobsFor>[0], now: Date) => timerJobsFor(clocks, env.TIMER_WARNING_POINTS, now);
  const dispatcher = createEventDispatcher();
  const outbound = createOutboundQueue({ clock });
  const templates = createMessageTemplates({ referralRightsOf: (regime) => (REGIMES[regime].requiresReferralRights ? REGIMES[regime].ombudsman : null) });
  const followUps = createFollowUps({ outbound, dispatcher, templates, timerJobs, lowScore: env.SURVEY_LOW_SCORE });
  const workflow = createWorkflow({
    database,
    clock,
    outbound,
    dispatcher,
    templates,
    clocks: createClockEngine({ timeZone: env.TIMEZONE, calendar }),
    timerJobs,
    enqueue,
    timeZone: env.TIMEZONE,
    approvalRedressLimit: env.APPROVAL_REDRESS_LIMIT,
    surveyTimeoutHours: env.SURVEY_TIMEOUT_HOURS,
    queueEvents,
  });
  const registrarConfig: RegistrarConfig = {
    regime: env.REGIME,
    timeZone: env.TIMEZONE,
    calendar,
    productTeams: env.PRODUCT_TEAMS,
    defaultTeam: env.DEFAULT_TEAM,
    clock,
    outbound,
    dispatcher,
    templates,
    timerJobs,
    // The channels Ombuds has a sender for: the API channel's callback and every configured adapter's.
    canReply: (channel) => channel === 'api' || channels.adapters.some((adapter) => adapter.channel === channel),
  };
  const registrar = createRegistrar(registrarConfig);
  // Assisted intake (issue 8) registers while the clerk waits, so an HTTP-only process loads the classifier on its
  // first such complaint; a customer who did not consent to be contacted is never acknowledged on a channel.
  let classifierOnDemand: Promise<Classifier> | null = null;
  const assistedClassifier: Classifier = classifier ?? {
    classify: async (input) => (await (classifierOnDemand ??= loadOfflineClassifier().then((offline) => withOptionalLlm(offline, env)))).classify(input),
  };
  const recordAssisted = createAssistedIntake({
    database,
    classifier: assistedClassifier,
    registrars: { contact: registrar, noContact: createRegistrar({ ...registrarConfig, canReply: () => false }) },
    hashIdentifier: (type, value) => hmacSha256Hex(hashSecret, `${type}:${value}`),
    enqueue,
    clock,
    logger,
    timeZone: env.TIMEZONE,
    maxBackdateDays: env.ASSISTED_INTAKE_MAX_BACKDATE_DAYS,
    maxAttachmentBytes: env.ASSISTED_ATTACHMENT_MAX_BYTES,
  });
  // Consoles hear of an assisted complaint as of any other registration (the intake worker's wrapper does not see it).
  const assistedIntake: typeof recordAssisted = {
    record: async (request) => {
      const outcome = await recordAssisted.record(request);
      if (outcome.outcome === 'created') {
        const created = outcome.body;
        queueEvents.publish({ complaintId: created.id, reference: created.reference, team: created.team, assignee: null, reason: 'registered', at: clock.now() });
      }
      return outcome;
    },
  };
  const reconciler = createReconciler({
    database,
    queue,
    logger,
    others: [
      { name: 'outbound', run: () => reconcileOutbound(database, queue, clock.now()) },
      { name: 'dispatch', run: () => reconcileDispatch(database, queue, clock.now()) },
      { name: 'timers', run: () => reconcileTimers(database, queue, env.TIMER_WARNING_POINTS, clock.now()) },
      { name: 'dialogs', run: () => reconcileIdleDialogs(database, queue, env.DIALOG_IDLE_TIMEOUT_MS, clock.now()) },
      // Parts of a concatenated SMS whose group never completed: taken as they are after the timeout.
      { name: 'message-parts', run: () => intake.handOverStaleParts(clock.now(), env.VONAGE_CONCAT_TIMEOUT_MS) },
    ],
  });
  // The intake dialog (decision 0010) for the channels whose adapters say their customers chat.
  const dialog = classifier
    ? createDialogRunner({
        classifier,
        registrar,
        services: createDialogServices({ outbound, dispatcher }),
        channels: new Map(channels.adapters.filter((adapter) => adapter.capabilities.dialog).map((adapter) => [adapter.channel, adapter.capabilities] as const)),
        timeZone: env.TIMEZONE,
        idleTimeoutMs: env.DIALOG_IDLE_TIMEOUT_MS,
        clock,
        logger,
      })
    : null;
  if (classifier) {
    // Hotline calls join the complaint they continue; the owner hears of it through the staff feed.
    const calls = { attachment: createCallAttachment({ staff: dispatcher }), timeZone: env.TIMEZONE };
    const intakeProcessor = createIntakeProcessor({ database, classifier, registrar, followUps, ...(dialog ? { dialog } : {}), calls, enqueue, observer, clock, logger });
    queue.process('intake', withQueueEventsAfterIntake(intakeProcessor, { database, events: queueEvents, clock, logger }), {
      concurrency: env.QUEUE_CONCURRENCY,
    });
  }
  if (options.workers) {
    // Callbacks and webhook subscriptions are URLs a bank registered: delivered to public addresses only, unless allowed.
    const addressGuard = createOutboundAddressGuard({ allowPrivateNetworks: env.OUTBOUND_ALLOW_PRIVATE_NETWORKS });
    const senders = new Map([
      ['api', createApiCallbackSender({ callbackOf: (appId) => findApiClientCallback(database, appId), timeoutMs: env.OUTBOUND_TIMEOUT_MS, addressGuard, clock })],
      ...channels.adapters.map((adapter) => [adapter.channel, adapter.sender] as const),
    ]);
    const onFailed = async (tx: Queryable, failure: OutboundFailure) => {
      const data = { messageId: failure.messageId, channel: failure.channel, purpose: failure.purpose, attempts: failure.attempts, reason: failure.reason, error: failure.error, status: failure.status ?? null };
      await appendEvents(tx, [{ complaintId: failure.complaintId, type: 'outbound.failed', actor: 'system:outbound', data, at: failure.at }]);
      await dispatcher.notify(tx, { kind: 'outbound.failed', complaintId: failure.complaintId, audience: 'supervisors', data: { ...data, reference: failure.complaintReference }, at: failure.at });
    };
    queue.process(
      'outbound',
      createOutboundProcessor({
        database,
        senders,
        queue,
        clock,
        maxAttempts: env.OUTBOUND_MAX_ATTEMPTS,
        retryBaseMs: env.RETRY_BASE_MS,
        retryMaxMs: env.RETRY_MAX_MS,
        onFailed,
        ...(metrics ? { observer: metrics.outboundObserver } : {}),
      }),
      { concurrency: env.QUEUE_CONCURRENCY },
    );
    queue.process(
      'dispatch',
      createDispatchProcessor({
        database,
        queue,
        clock,
        maxAttempts: env.WEBHOOK_MAX_ATTEMPTS,
        retryBaseMs: env.RETRY_BASE_MS,
        retryMaxMs: env.RETRY_MAX_MS,
        timeoutMs: env.OUTBOUND_TIMEOUT_MS,
        addressGuard,
        logger,
        ...(metrics ? { observer: metrics.dispatchObserver } : {}),
      }),
      { concurrency: env.QUEUE_CONCURRENCY },
    );
    queue.process(
      'timers',
      createTimerProcessor({
        database,
        clock,
        dispatcher,
        warningPoints: env.TIMER_WARNING_POINTS,
        onSurveyExpired: (tx, complaintId, at) => followUps.surveyExpired(tx, complaintId, at),
        ...(dialog
          ? {
              onDialogIdle: async (conversationId: string, lastActivityAt: string) => {
                const jobs = await database.transaction((tx) => dialog.idle(tx, conversationId, lastActivityAt));
                await enqueue(jobs);
              },
            }
          : {}),
        enqueue,
        logger,
        queueEvents,
        ...(metrics ? { observer: metrics.timerObserver } : {}),
      }),
      { concurrency: env.QUEUE_CONCURRENCY },
    );
  }

  const board = options.http ? await queueBoard(queue) : undefined;
  const serving: boolean = options.http;
  const app = http && serving ? http.createHttpApp({
    database,
    queue,
    intake,
    assignment: createAssignment({ database, clock, queueEvents }),
    workflow,
    timeZone: env.TIMEZONE,
    authenticator: http.createAuthenticator({
      database,
      cacheTtlMs: env.API_KEY_CACHE_TTL_MS,
      clock,
      sessions: { idleTimeoutMs: env.CONSOLE_IDLE_TIMEOUT_MS, maxLifetimeMs: env.CONSOLE_SESSION_MAX_MS, ...(env.PUBLIC_BASE_URL ? { publicBaseUrl: env.PUBLIC_BASE_URL } : {}) },
    }),
    consoleSignIn: {
      cookieSecure: env.CONSOLE_COOKIE_SECURE,
      limits: { perUsername: env.CONSOLE_SIGNIN_MAX_FAILURES, perAddress: env.CONSOLE_SIGNIN_MAX_FAILURES_PER_ADDRESS, windowMs: env.CONSOLE_SIGNIN_WINDOW_MS },
    },
    metrics,
    clock,
    logger,
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    outboundAllowPrivateNetworks: env.OUTBOUND_ALLOW_PRIVATE_NETWORKS,
    version: VERSION,
    ...(env.PUBLIC_BASE_URL ? { publicBaseUrl: env.PUBLIC_BASE_URL } : {}),
    ...(board ? { queueBoard: board } : {}),
    ...(options.http ? { transcripts: { importTranscript, bodyLimitBytes: env.TRANSCRIPT_BODY_LIMIT_BYTES } } : {}),
    ...(options.http ? { assistedIntake: { assistedIntake, bodyLimitBytes: env.ASSISTED_INTAKE_BODY_LIMIT_BYTES } } : {}),
    warningPoints: env.TIMER_WARNING_POINTS,
    ...(options.http ? { webhookChannels: channels.webhooks } : {}),
    staffConsole: {
      // The console turns amber at the last warning point, the one that also tells the supervisors.
      warningFraction: env.TIMER_WARNING_POINTS.length > 0 ? Math.max(...env.TIMER_WARNING_POINTS) : null,
      hashIdentifier: (type, value) => hmacSha256Hex(hashSecret, `${type}:${value}`),
      events: { broadcast, maxStreams: env.STAFF_EVENTS_MAX_STREAMS },
    },
    ...(options.http && webChat
      ? {
          webChat: {
            adapter: webChat.adapter,
            broadcast: webChat.broadcast,
            assetsDirectory: WEBCHAT_ASSETS,
            allowedOrigins: env.WEBCHAT_ALLOWED_ORIGINS,
            pollIntervalMs: env.WEBCHAT_POLL_INTERVAL_MS,
          },
        }
      : {}),
  }) : null;

  // Telegram long polling (TELEGRAM_MODE=polling, local development): in the process that takes messages in.
  const polling = options.http ? channels.telegramPolling : null;
  const pollingAbort = new AbortController();
  let pollingLoop: Promise<void> | null = null;
  const startPolling = (): void => {
    if (!polling || pollingLoop) return;
    const { adapter } = polling;
    pollingLoop = Promise.all([import('./adapters/telegram/index.js'), import('./http/webhook-channel-routes.js')]).then(([{ startTelegramPolling }, { receiveWebhook }]) => startTelegramPolling({
      botToken: polling.botToken,
      apiRoot: polling.apiRoot,
      secretToken: polling.secretToken,
      signal: pollingAbort.signal,
      onUpdate: async (raw) => {
        await receiveWebhook(
          {
            adapter,
            intake,
            logger,
            onReceipt: async (receipt) => {
              await applyDeliveryReceipt(database, receipt);
            },
          },
          raw,
          clock.now(),
        );
      },
      onError: (error) => {
        logger.warn({ err: error, channel: 'telegram' }, 'telegram polling: update or getUpdates failed; retrying');
      },
    })).catch((error: unknown) => {
      logger.error({ err: error, channel: 'telegram' }, 'telegram polling stopped');
    });
  };

  let server: Server | null = null;
  return {
    env,
    get app(): Express {
      if (!app) throw new Error('this Ombuds process has no HTTP side (created with http: false)');
      return app;
    },
    database,
    queue,
    intake,
    reconciler,
    metrics,
    logger,
    importTranscript,
    async start() {
      if (options.workers) {
        await queue.start();
        reconciler.start(env.RECONCILE_INTERVAL_MS);
      }
      startPolling();
    },
    listen(port = env.PORT, host = env.HOST) {
      return new Promise((resolveUrl, reject) => {
        if (!app) {
          reject(new Error('this Ombuds process has no HTTP side (created with http: false)'));
          return;
        }
        const listening = app.listen(port, host, (error?: Error) => {
          if (error) {
            reject(error);
            return;
          }
          const address = listening.address();
          const actualPort = typeof address === 'object' && address ? address.port : port;
          resolveUrl(`http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`);
        });
        server = listening;
      });
    },
    async stop() {
      pollingAbort.abort();
      await pollingLoop;
      const closing = server;
      server = null;
      if (closing) {
        await new Promise<void>((done) => {
          closing.close(() => {
            done();
          });
          closing.closeAllConnections();
        });
      }
      await reconciler.stop();
      await broadcast.close();
      await queue.close();
      await database.close();
    },
  };
}
