/**
 * The staff console's API (issue 8, decision 0014): sign-in sessions, the queue's filters and live events, the
 * complaint timeline, reply templates, assisted intake and the supervision dashboard. The console is a client of
 * the staff API like any other: these shapes are the staff API's, with a session cookie as a second way in.
 */
import { z } from 'zod';
import { CustomerContact, Money } from './complaint-record.js';
import { QueueItem, StaffMember, TeamName } from './staff-api.js';
import { Flag, Product, Stage, UrgencyLevel } from './taxonomy.js';
import { CountByKey, StageTime } from './handling-responses.js';

// ── Sessions ────────────────────────────────────────────────────────────────────────────────────────────────────

/** `POST /console/api/session`: sign in with a staff API key, or with a username and password. */
export const SignInBody = z.union([
  z.strictObject({ apiKey: z.string().min(1).max(200) }),
  z.strictObject({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(1024) }),
]);
export type SignInBody = z.infer<typeof SignInBody>;

/**
 * The signed-in staff member. The session itself is the `ombuds_session` cookie (HttpOnly, SameSite=Strict, Secure
 * behind TLS); every state-changing request made with it must carry `X-CSRF-Token: <csrfToken>`.
 */
export const SessionView = z.object({
  staff: StaffMember,
  csrfToken: z.string().min(32),
  /** When the session ends if nothing is done before (sliding idle timeout). */
  idleExpiresAt: z.iso.datetime(),
  /** When the session ends whatever is done (absolute lifetime). */
  expiresAt: z.iso.datetime(),
});
export type SessionView = z.infer<typeof SessionView>;

export const CSRF_HEADER = 'x-csrf-token';
export const SESSION_COOKIE = 'ombuds_session';

// ── Queue ───────────────────────────────────────────────────────────────────────────────────────────────────────

/** `team`: unassigned tickets of the teams (the default); `mine`: open tickets assigned to me; `all`: both, open. */
export const QueueScope = z.enum(['team', 'mine', 'all']);
export type QueueScope = z.infer<typeof QueueScope>;

/** `GET /v1/staff/queue` query, extending `QueueQuery` (every filter optional, combined with AND). */
export const ConsoleQueueQuery = z.strictObject({
  scope: QueueScope.default('team'),
  team: TeamName.optional(),
  channel: z.string().regex(/^[a-z][a-z0-9_]{1,31}$/).optional(),
  urgency: UrgencyLevel.optional(),
  flag: Flag.optional(),
  stage: Stage.optional(),
  language: z.enum(['en', 'zh']).optional(),
  /** A reference (`CMP-2026-000123`, or its number), or the customer's name, phone number or e-mail address. */
  q: z.string().trim().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ConsoleQueueQuery = z.infer<typeof ConsoleQueueQuery>;

/** A queue row as the console shows it: the queue item plus the earliest open clock's warning point. */
export const ConsoleQueueItem = QueueItem.extend({
  /** When the earliest open clock reaches its warning point (amber); `dueAt` is when it breaches (red). */
  warnAt: z.iso.datetime().nullable(),
  language: z.string().nullable(),
  customerName: z.string().nullable(),
});
export type ConsoleQueueItem = z.infer<typeof ConsoleQueueItem>;
export const ConsoleQueueResponse = z.object({ items: z.array(ConsoleQueueItem) });
export type ConsoleQueueResponse = z.infer<typeof ConsoleQueueResponse>;

/**
 * `GET /v1/staff/events` (text/event-stream): a signal that the queue changed, for the teams the staff member
 * sees. Event name `queue`; the console re-reads the queue on it. A `: ping` comment every 25 s keeps proxies open.
 */
export const QueueEvent = z.object({
  complaintId: z.uuid(),
  reference: z.string(),
  team: z.string().nullable(),
  reason: z.enum(['registered', 'claimed', 'assigned', 'updated', 'breached', 'warned']),
  at: z.iso.datetime(),
});
export type QueueEvent = z.infer<typeof QueueEvent>;

// ── Complaint page ──────────────────────────────────────────────────────────────────────────────────────────────

export const TranscriptTurnView = z.object({
  speaker: z.enum(['customer', 'agent', 'ivr', 'unknown']),
  startSeconds: z.number().nullable(),
  text: z.string(),
});
export type TranscriptTurnView = z.infer<typeof TranscriptTurnView>;

/** One entry of the complaint's timeline, across channels, oldest first. Texts are the stored (redacted) ones. */
export const TimelineEntry = z.object({
  id: z.string(),
  at: z.iso.datetime(),
  /** customer: what they sent; bot: Ombuds's automatic replies; agent: staff replies; note: internal notes; system: stage changes. */
  kind: z.enum(['customer', 'bot', 'agent', 'note', 'system']),
  channel: z.string().nullable(),
  /** Staff display name for agent and note entries. */
  author: z.string().nullable(),
  text: z.string(),
  /** Outbound delivery status (queued, sent, delivered, read, failed). */
  status: z.string().nullable(),
  /** A hotline call, turn by turn with speakers. */
  transcript: z.object({ callId: z.string(), turns: z.array(TranscriptTurnView) }).nullable(),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

/** `GET /v1/complaints/{id}/timeline`. */
export const TimelineView = z.object({ entries: z.array(TimelineEntry) });
export type TimelineView = z.infer<typeof TimelineView>;

/**
 * `POST /v1/complaints/{id}/contact/reveal`: the customer's contacts unmasked — every one, or the one at `index` of
 * `record.customer.contacts` — recorded in the audit trail (`contact.revealed`: who, and which contact).
 */
export const ContactRevealBody = z.strictObject({ index: z.number().int().min(0).max(99).optional() });
export type ContactRevealBody = z.infer<typeof ContactRevealBody>;
export const ContactRevealed = z.object({ contacts: z.array(CustomerContact.extend({ index: z.number().int() })) });
export type ContactRevealed = z.infer<typeof ContactRevealed>;

/** A reply template: `GET /v1/templates?language=en|zh` (`{{reference}}`, `{{customerName}}`, `{{dueDate}}` are filled in by the console). */
export const ReplyTemplate = z.object({
  id: z.string(),
  language: z.enum(['en', 'zh']),
  purpose: z.enum(['reply', 'request_information', 'propose_resolution', 'send_final_response']),
  title: z.string(),
  body: z.string(),
});
export type ReplyTemplate = z.infer<typeof ReplyTemplate>;
export const ReplyTemplateList = z.object({ items: z.array(ReplyTemplate) });
export type ReplyTemplateList = z.infer<typeof ReplyTemplateList>;

/**
 * `GET /v1/staff/members?team=`: the enabled staff a complaint of `team` can be assigned to — its members, and the
 * supervisors and admins (who work every team). No key or password material, ever.
 */
export const StaffDirectoryQuery = z.strictObject({ team: TeamName.optional() });
export type StaffDirectoryQuery = z.infer<typeof StaffDirectoryQuery>;
export const StaffMemberList = z.object({ items: z.array(StaffMember) });
export type StaffMemberList = z.infer<typeof StaffMemberList>;

// ── Assisted intake ─────────────────────────────────────────────────────────────────────────────────────────────

export const AssistedChannel = z.enum(['branch', 'letter', 'email', 'phone']);
export type AssistedChannel = z.infer<typeof AssistedChannel>;

export const AssistedAttachment = z.strictObject({
  name: z.string().trim().min(1).max(255),
  contentType: z.enum(['application/pdf', 'image/jpeg', 'image/png', 'image/tiff']),
  /** The file, base64-encoded; its decoded size is limited by `ASSISTED_ATTACHMENT_MAX_BYTES`. */
  dataBase64: z.string().min(1),
});
export type AssistedAttachment = z.infer<typeof AssistedAttachment>;

/**
 * `POST /v1/complaints` (staff): a complaint made at a branch counter, in a letter, by e-mail or on an
 * untranscribed call, recorded by staff on the customer's behalf. `receivedAt` is when the customer complained
 * (the regulatory clocks start then): not in the future.
 */
export const AssistedComplaintBody = z.strictObject({
  channel: AssistedChannel,
  receivedAt: z.iso.datetime({ offset: true }),
  customer: z.strictObject({
    name: z.string().trim().min(1).max(200),
    phone: z.string().trim().max(40).optional(),
    email: z.email().max(254).optional(),
    language: z.enum(['en', 'zh']).default('en'),
  }),
  consent: z.strictObject({
    /** The customer agreed to be contacted about the complaint on the contacts given. */
    contact: z.boolean(),
    /** The customer was told how their data is processed (required). */
    dataProcessing: z.literal(true),
  }),
  /** The complaint in the customer's words (or the clerk's account of it). */
  text: z.string().trim().min(1).max(20_000),
  product: Product.optional(),
  amount: Money.optional(),
  incidentDate: z.iso.date().optional(),
  /** Where it was made: the branch code, the letter's own reference… */
  sourceReference: z.string().trim().max(200).optional(),
  attachments: z.array(AssistedAttachment).max(10).default([]),
});
export type AssistedComplaintBody = z.infer<typeof AssistedComplaintBody>;

/** A file attached to a complaint (`GET /v1/complaints/{id}/attachments` lists them; `…/{attachmentId}` is the file). */
export const ComplaintAttachment = z.object({ id: z.uuid(), name: z.string(), contentType: z.string(), size: z.number().int() });
export type ComplaintAttachment = z.infer<typeof ComplaintAttachment>;
export const ComplaintAttachmentList = z.object({ items: z.array(ComplaintAttachment) });
export type ComplaintAttachmentList = z.infer<typeof ComplaintAttachmentList>;

export const AssistedComplaintCreated = z.object({
  id: z.uuid(),
  reference: z.string(),
  kind: z.string(),
  stage: Stage,
  team: z.string().nullable(),
  receivedAt: z.iso.datetime(),
  dueAt: z.iso.datetime().nullable(),
  attachments: z.array(ComplaintAttachment),
});
export type AssistedComplaintCreated = z.infer<typeof AssistedComplaintCreated>;

// ── Supervision dashboard ───────────────────────────────────────────────────────────────────────────────────────

export const DashboardQuery = z.strictObject({
  from: z.iso.date(),
  to: z.iso.date(),
  /** Buckets of the volume and satisfaction series. */
  interval: z.enum(['day', 'week', 'month']).default('day'),
  format: z.enum(['json', 'csv']).optional(),
});
export type DashboardQuery = z.infer<typeof DashboardQuery>;

const Share = z.number().min(0).max(1).nullable();

/** `GET /v1/reports/dashboard` (supervisors, admins): JSON, or CSV with `format=csv`. */
export const DashboardView = z.object({
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  timeZone: z.string(),
  interval: z.enum(['day', 'week', 'month']),
  /** Complaints received per bucket and channel (every bucket of the window, empty ones included). */
  volumes: z.array(z.object({ bucket: z.iso.date(), byChannel: z.array(CountByKey), total: z.number().int().min(0) })),
  byProduct: z.array(CountByKey),
  byIssue: z.array(CountByKey),
  withinDeadlineShare: Share,
  /** Open complaints with a breached clock, and those whose earliest open clock is past its warning point. */
  openBreaches: z.array(ConsoleQueueItem),
  aboutToBreach: z.array(ConsoleQueueItem),
  timePerStage: z.array(StageTime),
  satisfaction: z.array(z.object({ bucket: z.iso.date(), answered: z.number().int().min(0), averageScore: z.number().nullable(), resolvedShare: Share })),
  teamLoad: z.array(
    z.object({
      team: z.string(),
      open: z.number().int().min(0),
      unassigned: z.number().int().min(0),
      breached: z.number().int().min(0),
      agents: z.number().int().min(0),
    }),
  ),
});
export type DashboardView = z.infer<typeof DashboardView>;
