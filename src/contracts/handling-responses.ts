/**
 * Response bodies of the handling routes (issue 4) as zod schemas, for the OpenAPI document and for tests that check
 * what the routes answer: the callback registration, webhook subscriptions, the staff notification feed and the
 * supervisors' summary report; and the two bodies Ombuds POSTs out, signed (an API-channel callback message and a
 * downstream webhook event). The route files build these bodies; the shapes here must stay equal to theirs
 * (src/http/openapi.test.ts checks it, at compile time and against real answers).
 */
import { z } from 'zod';
import { QuickReply, OutboundPurpose, ComplaintEventType, ReportGroupBy } from './handling.js';
import { Language, Stage } from './taxonomy.js';

const SigningSecret = z
  .string()
  .regex(/^whsec_[A-Za-z0-9_-]+$/)
  .describe('`whsec_…`: shown once. Verifies the `Ombuds-Signature` header of every POST (HMAC-SHA256 of "<t>.<raw body>").');

/** `PUT /v1/callback`: the URL registered and its new signing secret (each PUT rotates it). */
export const CallbackRegistered = z.object({ url: z.string(), signingSecret: SigningSecret });
export type CallbackRegistered = z.infer<typeof CallbackRegistered>;

/** `GET /v1/callback`: the URL registered (never the secret). */
export const CallbackView = z.object({ url: z.string() });
export type CallbackView = z.infer<typeof CallbackView>;

/** `POST /v1/webhooks` (201): the new subscription, with its signing secret shown once. */
export const WebhookSubscriptionCreated = z.object({
  id: z.uuid(),
  url: z.string(),
  events: z.array(ComplaintEventType),
  signingSecret: SigningSecret,
});
export type WebhookSubscriptionCreated = z.infer<typeof WebhookSubscriptionCreated>;

/** One subscription as listed (never the secret). */
export const WebhookSubscriptionView = z.object({
  id: z.uuid(),
  url: z.string(),
  events: z.array(ComplaintEventType),
  createdAt: z.iso.datetime(),
  disabledAt: z.iso.datetime().nullable(),
});
export type WebhookSubscriptionView = z.infer<typeof WebhookSubscriptionView>;

/** `GET /v1/webhooks`. */
export const WebhookSubscriptionList = z.object({ items: z.array(WebhookSubscriptionView) });
export type WebhookSubscriptionList = z.infer<typeof WebhookSubscriptionList>;

/** One staff notification (a breach, a warning, an escalation, new work, …). */
export const NotificationView = z.object({
  id: z.number().int().min(1),
  /** `deadline.warning`, `deadline.breached`, `complaint.registered`, `complaint.escalated`, `outbound.failed`, … */
  kind: z.string(),
  complaintId: z.uuid().nullable(),
  /** `supervisors`, `team:<name>` or `staff:<id>`. */
  audience: z.string(),
  data: z.record(z.string(), z.unknown()),
  createdAt: z.iso.datetime(),
});
export type NotificationView = z.infer<typeof NotificationView>;

/** `GET /v1/notifications`: oldest first; pass `next` as `after` on the next poll. */
export const NotificationFeed = z.object({
  items: z.array(NotificationView),
  next: z.number().int().min(0).describe('The last id returned (or `after` when nothing is new): pass it as `after` next time.'),
});
export type NotificationFeed = z.infer<typeof NotificationFeed>;

const Share = z.number().min(0).max(1).nullable();

export const CountByKey = z.object({ key: z.string(), count: z.number().int().min(0) });
export type CountByKey = z.infer<typeof CountByKey>;

export const SatisfactionFigures = z.object({
  sent: z.number().int().min(0),
  answered: z.number().int().min(0),
  responseRate: Share.describe('answered / sent; null when none was sent.'),
  averageScore: z.number().min(1).max(5).nullable().describe('Mean score (1–5) of the answers with a score; null when none.'),
  distribution: z.object({ '1': z.number().int().min(0), '2': z.number().int().min(0), '3': z.number().int().min(0), '4': z.number().int().min(0), '5': z.number().int().min(0) }),
  resolvedShare: Share.describe('Share of "resolved: yes" among the answers that said yes or no; null when none did.'),
});
export type SatisfactionFigures = z.infer<typeof SatisfactionFigures>;

export const ReportTotals = z.object({
  received: z.number().int().min(0),
  open: z.number().int().min(0),
  closed: z.number().int().min(0),
  breached: z.number().int().min(0),
  withinDeadlineShare: Share.describe('Of the complaints whose mandatory clocks are decided, the share met in time; null when none is decided.'),
  upheldRate: Share.describe('Of the complaints responded to, the share upheld; null when none was.'),
  satisfaction: SatisfactionFigures,
});
export type ReportTotals = z.infer<typeof ReportTotals>;

export const StageTime = z.object({
  stage: Stage,
  count: z.number().int().min(0).describe('Completed stays in the stage.'),
  medianHours: z.number(),
  p90Hours: z.number(),
});
export type StageTime = z.infer<typeof StageTime>;

export const ReportGroup = z.object({
  key: z.string(),
  received: z.number().int().min(0),
  closed: z.number().int().min(0),
  breached: z.number().int().min(0),
  withinDeadlineShare: Share,
});
export type ReportGroup = z.infer<typeof ReportGroup>;

/** `GET /v1/reports/summary` (JSON): the complaints received in [from, to). */
export const SummaryReportView = z.object({
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  timeZone: z.string(),
  groupBy: ReportGroupBy.nullable(),
  totals: ReportTotals,
  byChannel: z.array(CountByKey),
  byProduct: z.array(CountByKey),
  byIssue: z.array(CountByKey),
  byUrgency: z.array(CountByKey),
  timePerStage: z.array(StageTime),
  /** Present when `groupBy` was asked for: every bucket of the window, empty ones included. */
  groups: z.array(ReportGroup).optional(),
});
export type SummaryReportView = z.infer<typeof SummaryReportView>;

/** What Ombuds POSTs to an API-channel app's callback: one customer-facing message. */
export const ApiCallbackMessage = z.object({
  type: z.literal('message'),
  /** The same on every attempt (also in `Ombuds-Delivery`): the app's idempotency key. */
  messageId: z.uuid(),
  conversationId: z.string(),
  complaintReference: z.string().nullable(),
  purpose: OutboundPurpose,
  language: Language,
  text: z.string(),
  quickReplies: z.array(QuickReply),
  sentAt: z.iso.datetime(),
});
export type ApiCallbackMessage = z.infer<typeof ApiCallbackMessage>;

/** What Ombuds POSTs to a webhook subscription: one complaint event, in an envelope. */
export const WebhookEvent = z.object({
  /** The delivery id (also in `Ombuds-Delivery`): the same on every attempt, so receivers deduplicate by it. */
  id: z.uuid(),
  type: ComplaintEventType,
  createdAt: z.iso.datetime(),
  data: z
    .looseObject({ complaintId: z.uuid(), reference: z.string() })
    .describe('The complaint and event-specific fields (stage, team, urgency, deadline, …); no customer PII.'),
});
export type WebhookEvent = z.infer<typeof WebhookEvent>;
