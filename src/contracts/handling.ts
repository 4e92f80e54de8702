/**
 * Handling contracts (DESIGN.md §9): staff actions on a complaint, customer-facing outbound messages and the sender
 * interface every channel implements, signed outbound webhooks, notifications and the reports summary.
 */
import { z } from 'zod';
import { Money } from './complaint-record.js';
import { ChannelName } from './inbound-message.js';
import { Issue, Language, Product, Stage, UrgencyLevel } from './taxonomy.js';

const TeamNameValue = z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, 'team names are lower-case identifiers');

/** Why a customer-facing message is sent; templates and reports key on it. */
export const OutboundPurpose = z.enum([
  'acknowledgement',
  'information_request',
  'holding_reply',
  'extension_notice',
  'pause_notice',
  'final_response',
  'survey',
  'survey_thanks',
  'reply',
  /** The intake dialog's own questions and answers. */
  'dialog',
]);
export type OutboundPurpose = z.infer<typeof OutboundPurpose>;

export const QuickReply = z.object({ label: z.string().min(1).max(64), value: z.string().min(1).max(64) });
export type QuickReply = z.infer<typeof QuickReply>;

/** What a channel's sender is given for one delivery attempt. */
export interface OutboundDelivery {
  /** Our message id (messages.id): the receiver's idempotency key. */
  messageId: string;
  channel: string;
  conversationKey: string;
  replyAddress: string;
  text: string;
  quickReplies: QuickReply[];
  complaintReference: string | null;
  purpose: OutboundPurpose;
  language: Language;
  /** 1 on the first attempt. */
  attempt: number;
}

/** A sender's answer: sent (with the vendor's id when it gives one), or failed, retryable or not. */
export type SendResult =
  | { ok: true; vendorMessageId?: string }
  | { ok: false; retryable: boolean; error: string; status?: number; retryAfterMs?: number };

/** Delivers customer-facing messages on one channel (each adapter's send.ts). */
export interface ChannelSender {
  readonly channel: string;
  send(delivery: OutboundDelivery): Promise<SendResult>;
  /** Shows "typing…" to the customer at `replyAddress` (channels whose capabilities say `typing`); best effort. */
  sendTyping?(replyAddress: string): Promise<SendResult>;
}

/** Events sent to downstream systems (the bank's helpdesk) as signed webhooks. */
export const ComplaintEventType = z.enum([
  'complaint.registered',
  'complaint.triaged',
  'complaint.breached',
  'complaint.responded',
  'complaint.closed',
  'complaint.reopened',
  'complaint.escalated',
]);
export type ComplaintEventType = z.infer<typeof ComplaintEventType>;

/** Reasons a clock may stop running, where the regime allows it (DOMAIN.md §1: CN NFRA). */
export const PauseReason = z.enum(['external_appraisal', 'awaiting_customer_information']);
export type PauseReason = z.infer<typeof PauseReason>;

const Reason = z.string().trim().min(1).max(2000);

/** One staff action on a complaint: `POST /v1/complaints/{id}/actions`. */
export const ComplaintAction = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('triage'),
    team: TeamNameValue.optional(),
    product: Product.optional(),
    issue: Issue.optional(),
    urgency: UrgencyLevel.optional(),
    note: z.string().max(2000).optional(),
  }),
  z.strictObject({ type: z.literal('assign'), assignee: z.uuid() }),
  z.strictObject({ type: z.literal('start_investigation') }),
  z.strictObject({ type: z.literal('add_note'), text: z.string().trim().min(1).max(10_000) }),
  /** A message to the customer on their channel (staff answering a handed-off chat, a progress update). */
  z.strictObject({
    type: z.literal('reply'),
    message: z.string().trim().min(1).max(5000),
    /** The channel to answer on, among those the customer used for this complaint; default the one they used last. */
    channel: ChannelName.optional(),
  }),
  z.strictObject({ type: z.literal('request_information'), question: z.string().trim().min(1).max(2000) }),
  z.strictObject({
    type: z.literal('propose_resolution'),
    summary: z.string().trim().min(1).max(5000),
    upheld: z.boolean(),
    redress: Money.nullable().optional(),
  }),
  z.strictObject({ type: z.literal('approve_resolution'), comment: z.string().max(2000).optional() }),
  z.strictObject({ type: z.literal('reject_resolution'), reason: Reason }),
  z.strictObject({ type: z.literal('send_final_response'), message: z.string().trim().min(1).max(5000).optional() }),
  z.strictObject({ type: z.literal('close'), reason: z.string().max(2000).optional() }),
  z.strictObject({ type: z.literal('reopen'), reason: Reason }),
  z.strictObject({ type: z.literal('escalate'), reason: Reason }),
  z.strictObject({
    type: z.literal('extend_deadline'),
    /** The clock to extend (`final_response`, …) and the regime's extension to apply (`complex`, `senior_approval`, …). */
    clock: z.string().min(1).max(64),
    extension: z.string().min(1).max(64),
    reason: Reason,
  }),
  z.strictObject({ type: z.literal('pause_clock'), reason: PauseReason, note: z.string().max(2000).optional() }),
  /**
   * The customer was given their acknowledgement another way (at the counter, on the phone, by letter or e-mail):
   * meets the acknowledgement clocks Ombuds could not meet itself (a channel it cannot write on).
   */
  z.strictObject({
    type: z.literal('record_acknowledgement'),
    method: z.enum(['in_person', 'phone', 'letter', 'email', 'other']),
    note: z.string().max(2000).optional(),
  }),
  z.strictObject({ type: z.literal('resume_clock') }),
]);
export type ComplaintAction = z.infer<typeof ComplaintAction>;
export type ComplaintActionType = ComplaintAction['type'];

export const DeadlineView = z.object({
  id: z.uuid(),
  regime: z.string(),
  clock: z.string(),
  startsAt: z.iso.datetime(),
  dueAt: z.iso.datetime(),
  status: z.enum(['open', 'met', 'breached', 'paused']),
  extension: z.string().nullable(),
  /**
   * The regime's extensions (`extend_deadline`) this clock may still take: only for a running (open or paused)
   * clock, only those that would move its due date later. Absent in answers stored before it existed.
   */
  extensions: z.array(z.string()).optional(),
});
export type DeadlineView = z.infer<typeof DeadlineView>;

export const ResolutionView = z.object({
  id: z.uuid(),
  summary: z.string(),
  upheld: z.boolean(),
  redress: Money.nullable(),
  status: z.enum(['proposed', 'approved', 'rejected', 'superseded']),
  requiresApproval: z.boolean(),
  proposedBy: z.uuid(),
  decidedBy: z.uuid().nullable(),
});
export type ResolutionView = z.infer<typeof ResolutionView>;

/** The answer to an action: where the complaint now stands. */
export const ActionResult = z.object({
  id: z.uuid(),
  reference: z.string(),
  stage: Stage,
  assignee: z.uuid().nullable(),
  team: z.string().nullable(),
  dueAt: z.iso.datetime().nullable(),
  deadlines: z.array(DeadlineView),
  resolution: ResolutionView.nullable(),
  /** The actions this complaint allows next (for the console's buttons). */
  allowedActions: z.array(z.string()),
  /** Outbound messages this action queued. */
  outboundMessageIds: z.array(z.uuid()),
});
export type ActionResult = z.infer<typeof ActionResult>;

/** `PUT /v1/callback`: where the bank's app receives customer-facing messages for the API channel. */
export const CallbackRegistration = z.strictObject({ url: z.url({ protocol: /^https?$/ }).max(2048) });
export type CallbackRegistration = z.infer<typeof CallbackRegistration>;

export const WebhookSubscriptionBody = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).max(2048),
  events: z.array(ComplaintEventType).min(1).optional(),
});
export type WebhookSubscriptionBody = z.infer<typeof WebhookSubscriptionBody>;

export const ReportGroupBy = z.enum(['channel', 'product', 'issue', 'urgency', 'team', 'day', 'week', 'month']);
export type ReportGroupBy = z.infer<typeof ReportGroupBy>;

export const ReportQuery = z.strictObject({
  from: z.iso.date().or(z.iso.datetime()),
  to: z.iso.date().or(z.iso.datetime()),
  groupBy: ReportGroupBy.optional(),
  format: z.enum(['json', 'csv']).optional(),
});
export type ReportQuery = z.infer<typeof ReportQuery>;
