/**
 * Job payloads of the four queues (DESIGN.md §5) and their deterministic ids.
 * BullMQ forbids ':' in custom ids (other than its own repeat-job form), so ids use '-' as the separator.
 */
import { z } from 'zod';

export const QueueName = z.enum(['intake', 'outbound', 'timers', 'dispatch']);
export type QueueName = z.infer<typeof QueueName>;

export const IntakeJob = z.object({ messageId: z.uuid() });
export type IntakeJob = z.infer<typeof IntakeJob>;

/** One delivery attempt of an outbound message (messages.id); a retry is a new job with the next attempt number. */
export const OutboundJob = z.object({ outboundMessageId: z.uuid(), attempt: z.number().int().min(1).default(1) });
export type OutboundJob = z.infer<typeof OutboundJob>;

/**
 * A timer: a point on one of a complaint's clocks (`warn50`, `warn80`, `due`) for the clock's due time it was
 * scheduled for (a timer whose clock has since moved, paused or closed does nothing), a survey's expiry, or an
 * idle intake dialog (registered with what was said when its last activity is still the one it was set for).
 */
export const TimerJob = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('deadline'), complaintId: z.uuid(), deadlineId: z.uuid(), point: z.string().max(32), dueAt: z.iso.datetime() }),
  z.object({ kind: z.literal('survey_expiry'), complaintId: z.uuid() }),
  z.object({ kind: z.literal('dialog_idle'), conversationId: z.uuid(), lastActivityAt: z.iso.datetime() }),
]);
export type TimerJob = z.infer<typeof TimerJob>;

/** One downstream webhook delivery (webhook_deliveries.id); a retry is a new job with the next attempt number. */
export const DispatchJob = z.object({ deliveryId: z.uuid(), attempt: z.number().int().min(1).default(1) });
export type DispatchJob = z.infer<typeof DispatchJob>;

export interface JobPayloads {
  intake: IntakeJob;
  outbound: OutboundJob;
  timers: TimerJob;
  dispatch: DispatchJob;
}

export const jobIds = {
  intake: (messageId: string) => `intake-${messageId}`,
  outbound: (outboundMessageId: string, attempt = 1) => `outbound-${outboundMessageId}-${attempt}`,
  /** The due time is part of the id: a clock extended or resumed gets new timers, the old ones find it moved. */
  timer: (complaintId: string, deadlineId: string, point: string, dueAt: Date) => `timer-${complaintId}-${deadlineId}-${point}-${dueAt.getTime()}`,
  surveyExpiry: (complaintId: string, expiresAt: Date) => `survey-${complaintId}-${expiresAt.getTime()}`,
  dialogIdle: (conversationId: string, lastActivityAt: Date) => `dialog-${conversationId}-${lastActivityAt.getTime()}`,
  dispatch: (deliveryId: string, attempt = 1) => `dispatch-${deliveryId}-${attempt}`,
} as const;
