/**
 * The seams between the handling services (each in its own file): how the workflow, timers and survey queue a
 * customer-facing message, raise a downstream event or a staff notification, and word a message. All of them run
 * inside the caller's transaction and return the jobs to enqueue after it commits (decision 0009).
 */
import type { ComplaintEventType, Language, OutboundPurpose, QuickReply, Regime } from '../contracts/index.js';
import type { FollowUpJob } from '../queue/index.js';
import type { Queryable } from '../store/index.js';

export interface OutboundRequest {
  complaintId: string;
  purpose: OutboundPurpose;
  text: string;
  quickReplies?: QuickReply[];
  language: Language;
  /** `staff:<id>` or `system:<part>`. */
  actor: string;
  at: Date;
  /** Answer on this channel (the customer's latest conversation there); default the channel they used last. */
  channel?: string;
}

/** Writes an outbound row on the complaint's conversation and channel; returns its id and the delivery job. */
export interface OutboundQueue {
  queueMessage(tx: Queryable, request: OutboundRequest): Promise<{ messageId: string; jobs: FollowUpJob[] }>;
}

export interface ComplaintEvent {
  type: ComplaintEventType;
  complaintId: string;
  at: Date;
  /** Event-specific fields (reference, stage, team, deadline, …); no customer PII beyond the redacted record. */
  data: Record<string, unknown>;
}

export interface StaffNotification {
  /** `deadline.warning`, `deadline.breached`, `complaint.escalated`, `outbound.failed`, `resolution.awaiting_approval`, … */
  kind: string;
  complaintId: string | null;
  /** `supervisors`, `team:<name>` or `staff:<id>`. */
  audience: string;
  data: Record<string, unknown>;
  at: Date;
}

/** Downstream webhooks (one delivery row per subscription that wants the event) and the staff feed. */
export interface EventDispatcher {
  emit(tx: Queryable, event: ComplaintEvent): Promise<FollowUpJob[]>;
  notify(tx: Queryable, notification: StaffNotification): Promise<void>;
}

/** Message templates: the catalogue ids every customer-facing text comes from. */
export type TemplateId =
  | 'acknowledgement'
  | 'information_request'
  | 'holding_reply'
  | 'extension_notice'
  | 'pause_notice'
  | 'final_response'
  | 'survey'
  | 'survey_thanks'
  | 'survey_reopened'
  | 'staff_reply';

export interface TemplateVariables {
  reference: string;
  /** Due date as the customer reads it, in the bank's time zone (`2026-12-15`). */
  dueDate?: string;
  regime: Regime;
  /** Free text written by staff (the question, the decision). */
  body?: string;
  upheld?: boolean;
  redress?: string;
}

export interface MessageTemplates {
  render(template: TemplateId, language: Language, variables: TemplateVariables): { text: string; quickReplies: QuickReply[] };
}
