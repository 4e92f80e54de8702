/**
 * Staff API bodies: the human work queue, claiming, and a complaint's full view.
 */
import { z } from 'zod';
import { ComplaintRecord } from './complaint-record.js';
import { ActionResult } from './handling.js';
import { Flag, Issue, Product, Stage, UrgencyLevel } from './taxonomy.js';

export const StaffRole = z.enum(['agent', 'supervisor', 'admin']);
export type StaffRole = z.infer<typeof StaffRole>;

export const TeamName = z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, 'team names are lower-case identifiers');

export const StaffMember = z
  .object({ id: z.uuid(), username: z.string(), displayName: z.string(), role: StaffRole, teams: z.array(TeamName) })
;
export type StaffMember = z.infer<typeof StaffMember>;

export const QueueQuery = z.strictObject({
  team: TeamName.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type QueueQuery = z.infer<typeof QueueQuery>;

export const QueueItem = z
  .object({
    id: z.uuid(),
    reference: z.string(),
    stage: Stage,
    urgency: UrgencyLevel,
    urgencyScore: z.number(),
    flags: z.array(Flag),
    product: Product,
    issue: Issue,
    team: z.string(),
    assignee: z.uuid().nullable(),
    channel: z.string(),
    summary: z.string(),
    dueAt: z.iso.datetime().nullable(),
    receivedAt: z.iso.datetime(),
  })
;
export type QueueItem = z.infer<typeof QueueItem>;

export const QueueResponse = z.object({ items: z.array(QueueItem) });
export type QueueResponse = z.infer<typeof QueueResponse>;

export const ClaimBody = z.strictObject({ team: TeamName.optional() });
export type ClaimBody = z.infer<typeof ClaimBody>;

export const ClaimResponse = z.object({ complaint: QueueItem });
export type ClaimResponse = z.infer<typeof ClaimResponse>;

export const MessageView = z
  .object({
    id: z.uuid(),
    direction: z.enum(['inbound', 'outbound']),
    channel: z.string(),
    text: z.string(),
    sentAt: z.iso.datetime(),
    receivedAt: z.iso.datetime(),
    status: z.string(),
  })
;
export type MessageView = z.infer<typeof MessageView>;

export const AuditEventView = z
  .object({
    seq: z.number().int(),
    type: z.string(),
    actor: z.string(),
    data: z.record(z.string(), z.unknown()),
    createdAt: z.iso.datetime(),
    hash: z.string(),
    prevHash: z.string().nullable(),
  })
;
export type AuditEventView = z.infer<typeof AuditEventView>;

export const ComplaintView = z
  .object({
    id: z.uuid(),
    reference: z.string(),
    stage: Stage,
    record: ComplaintRecord.nullable(),
    /** Where the case stands now: stage, owner, clocks, resolution and the actions allowed next. */
    state: ActionResult.nullable(),
    messages: z.array(MessageView),
    events: z.array(AuditEventView),
  })
;
export type ComplaintView = z.infer<typeof ComplaintView>;
