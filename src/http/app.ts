/**
 * The express application: every HTTP route of Ombuds, the error answers and the metrics endpoint. Express is
 * used here and nowhere else.
 */
import express, { type Express, type Router } from 'express';
import type { Assignment, Workflow } from '../handling/index.js';
import type { Intake } from '../intake/index.js';
import type { QueueDriver } from '../queue/index.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { applyDeliveryReceipt, type Database } from '../store/index.js';
import { apiChannelRoutes } from './api-channel-routes.js';
import type { Authenticator } from './authentication.js';
import { docsRoutes } from './docs-routes.js';
import { createErrorHandler, notFoundHandler } from './errors.js';
import { healthRoutes } from './health-routes.js';
import type { Metrics } from './metrics.js';
import { buildOpenApiDocument } from './openapi.js';
import { staffRoutes, type StaffConsoleOptions } from './staff-routes.js';
import { staffEventRoutes, type StaffEventsOptions } from './staff-events.js';
import { timelineRoutes } from './timeline-routes.js';
import { actionRoutes } from './action-routes.js';
import { callbackRoutes } from './callback-routes.js';
import { notificationRoutes } from './notification-routes.js';
import { reportRoutes } from './report-routes.js';
import { webhookRoutes } from './webhook-routes.js';
import { webhookChannelRoutes } from './webhook-channel-routes.js';
import type { ChannelAdapter } from '../contracts/channel-adapter.js';
import { webChatRoutes, type WebChatRouteOptions } from './webchat-routes.js';
import { transcriptRoutes, type TranscriptImporter } from './transcript-routes.js';
import { assistedIntakeRoutes } from './assisted-intake-routes.js';
import { attachmentRoutes } from './attachment-routes.js';
import { dashboardRoutes } from './dashboard-routes.js';
import type { AssistedIntake } from '../intake/index.js';
import { DEFAULT_SIGN_IN_LIMITS, sessionRoutes, type SignInLimits } from './session-routes.js';
import { consoleRoutes } from './console-routes.js';
import { staffMemberRoutes } from './staff-member-routes.js';

/** A conversational channel's webhook: the vendor POSTs to `path` (DESIGN.md §6). */
export interface WebhookChannel {
  path: string;
  adapter: ChannelAdapter;
  bodyLimitBytes: number;
}

export interface HttpDependencies {
  database: Database;
  queue: QueueDriver;
  intake: Intake;
  assignment: Assignment;
  workflow: Workflow;
  authenticator: Authenticator;
  /** The bank's time zone (reports count days there). */
  timeZone: string;
  metrics: Metrics | null;
  clock: Clock;
  logger: Logger;
  bodyLimitBytes: number;
  /** OUTBOUND_ALLOW_PRIVATE_NETWORKS: accept callback and webhook URLs on loopback or private addresses (default false). */
  outboundAllowPrivateNetworks?: boolean;
  version: string;
  publicBaseUrl?: string;
  /** Conversational channels to mount (only the configured ones). */
  webhookChannels?: readonly WebhookChannel[];
  /** Our web chat widget (`/chat…`), when the channel is on. */
  webChat?: Omit<WebChatRouteOptions, 'intake' | 'database' | 'clock' | 'logger'>;
  /** Bull Board, mounted at /admin/queues behind staff authentication (BullMQ driver only). */
  queueBoard?: Router;
  /** Hotline transcripts over HTTP (`POST /v1/transcripts`): the import pipeline and its body limit. */
  transcripts?: { importTranscript: TranscriptImporter; bodyLimitBytes: number };
  /** Assisted intake (`POST /v1/complaints`, issue 8): complaints recorded by staff, and its body limit. */
  assistedIntake?: { assistedIntake: AssistedIntake; bodyLimitBytes: number };
  /** TIMER_WARNING_POINTS, for the dashboard's "about to breach" (default: 0.8). */
  warningPoints?: readonly number[];
  /** The staff console's queue (warning point, search by phone/e-mail hash) and live events (`GET /v1/staff/events`). */
  staffConsole?: StaffConsoleOptions & { events?: StaffEventsOptions };
  /** Console sign-in (`/console/api/session`): the cookie's Secure flag behind a TLS proxy, and the failed sign-in limits. */
  consoleSignIn?: { cookieSecure: boolean; limits: SignInLimits };
}

export function createHttpApp(deps: HttpDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.set('query parser', 'simple');
  app.use((_request, response, next) => {
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });

  // The intake hot path first: express tries layers in order, so the busiest route should not wait behind the rest.
  app.use(apiChannelRoutes({ intake: deps.intake, authenticator: deps.authenticator, clock: deps.clock, bodyLimitBytes: deps.bodyLimitBytes }));
  // Vendors' webhooks next: they give a bot seconds before they redeliver (CHANNELS.md).
  const channels = deps.webhookChannels ?? [];
  for (const channel of channels) {
    app.use(
      webhookChannelRoutes({
        ...channel,
        intake: deps.intake,
        clock: deps.clock,
        logger: deps.logger,
        onReceipt: async (receipt) => {
          await applyDeliveryReceipt(deps.database, receipt);
        },
      }),
    );
  }
  // The staff console's page and assets (its data comes from the staff API below).
  app.use(consoleRoutes());
  if (deps.webChat) app.use(webChatRoutes({ ...deps.webChat, intake: deps.intake, database: deps.database, clock: deps.clock, logger: deps.logger }));
  app.get('/', (_request, response) => {
    response.json({ name: 'ombuds', version: deps.version, docs: '/v1/docs', openapi: '/v1/openapi.json' });
  });
  app.use(healthRoutes({ database: deps.database, queue: deps.queue }));
  if (deps.metrics) {
    const registry = deps.metrics.registry;
    app.get('/metrics', async (_request, response) => {
      response.type(registry.contentType).send(await registry.metrics());
    });
  }
  app.use(
    docsRoutes(
      buildOpenApiDocument({
        version: deps.version,
        ...(deps.publicBaseUrl ? { serverUrl: deps.publicBaseUrl } : {}),
        ...(channels.length > 0 ? { webhookChannels: channels.map((channel) => ({
              channel: channel.adapter.channel,
              path: channel.path,
              bodyLimitBytes: channel.bodyLimitBytes,
              challenge: channel.adapter.challenge !== undefined,
              ...(channel.adapter.acknowledgement ? { acknowledgement: channel.adapter.acknowledgement } : {}),
            })) } : {}),
        ...(deps.webChat ? { webChat: true } : {}),
        ...(deps.staffConsole?.events ? { staffEvents: true } : {}),
      }),
    ),
  );
  app.use(
    sessionRoutes({
      database: deps.database,
      authenticator: deps.authenticator,
      clock: deps.clock,
      logger: deps.logger,
      cookieSecure: deps.consoleSignIn?.cookieSecure ?? false,
      signInLimits: deps.consoleSignIn?.limits ?? DEFAULT_SIGN_IN_LIMITS,
      ...(deps.publicBaseUrl ? { publicBaseUrl: deps.publicBaseUrl } : {}),
    }),
  );
  // Before staffRoutes: these authenticate on their own (a long-lived stream; a sub-path of /v1/complaints/:id).
  if (deps.staffConsole?.events) app.use(staffEventRoutes({ authenticator: deps.authenticator, events: deps.staffConsole.events, logger: deps.logger }));
  app.use(timelineRoutes({ database: deps.database, authenticator: deps.authenticator }));
  if (deps.assistedIntake) app.use(assistedIntakeRoutes({ authenticator: deps.authenticator, ...deps.assistedIntake }));
  app.use(attachmentRoutes({ database: deps.database, authenticator: deps.authenticator }));
  app.use(staffMemberRoutes({ database: deps.database, authenticator: deps.authenticator }));
  app.use(
    staffRoutes({
      database: deps.database,
      assignment: deps.assignment,
      workflow: deps.workflow,
      authenticator: deps.authenticator,
      bodyLimitBytes: deps.bodyLimitBytes,
      clock: deps.clock,
      ...(deps.staffConsole ? { console: deps.staffConsole } : {}),
    }),
  );
  app.use(actionRoutes({ workflow: deps.workflow, authenticator: deps.authenticator, bodyLimitBytes: deps.bodyLimitBytes }));
  const allowPrivateNetworks = deps.outboundAllowPrivateNetworks ?? false;
  app.use(callbackRoutes({ database: deps.database, authenticator: deps.authenticator, bodyLimitBytes: deps.bodyLimitBytes, allowPrivateNetworks }));
  app.use(webhookRoutes({ database: deps.database, authenticator: deps.authenticator, bodyLimitBytes: deps.bodyLimitBytes, clock: deps.clock, allowPrivateNetworks }));
  app.use(notificationRoutes({ database: deps.database, authenticator: deps.authenticator }));
  app.use(reportRoutes({ database: deps.database, authenticator: deps.authenticator, timeZone: deps.timeZone }));
  app.use(dashboardRoutes({ database: deps.database, authenticator: deps.authenticator, timeZone: deps.timeZone, clock: deps.clock, warningPoints: deps.warningPoints ?? [0.8] }));
  if (deps.transcripts) app.use(transcriptRoutes({ authenticator: deps.authenticator, ...deps.transcripts }));
  if (deps.queueBoard) {
    const board = deps.queueBoard;
    app.use('/admin/queues', async (request, response, next) => {
      // Bull Board's own page sends its PUTs and POSTs without our CSRF header: with the session cookie, the
      // browser's Sec-Fetch-Site (or our Origin) must show they come from a page of ours (decision 0014).
      const staff = await deps.authenticator.staff(request, { csrf: 'same-origin' });
      if (staff.role === 'agent') {
        response.status(403).json({ error: { code: 'FORBIDDEN', message: 'Queue administration is for supervisors and admins.' } });
        return;
      }
      next();
    }, board);
  }

  app.use(notFoundHandler);
  app.use(
    createErrorHandler({
      logger: deps.logger,
      bodyLimitBytes: deps.bodyLimitBytes,
      ...(deps.metrics ? { onRejected: (code: string, status: number) => { deps.metrics?.rejected(code, status); } } : {}),
    }),
  );
  return app;
}
