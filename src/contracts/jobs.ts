/**
 * Job payloads of the four queues (DESIGN.md §5) and their deterministic ids.
 * BullMQ forbids ':' in custom ids (other than its own repeat-job form), so ids use '-' as the separator.
 */
import { z } from 'zod';

export const QueueName = z.enum(['intake', 'outbound', 'timers', 'dispatch']);
export type QueueName = z.infer<typeof QueueName>;

export const IntakeJob = z.object({ messageId: z.uuid() });
export type IntakeJob = z.infer<typeof IntakeJob>;

export const OutboundJob = z.object({ outboundMessageId: z.uuid() });
export type OutboundJob = z.infer<typeof OutboundJob>;

export const TimerJob = z.object({ complaintId: z.uuid(), deadlineId: z.uuid(), point: z.string().max(32) });
export type TimerJob = z.infer<typeof TimerJob>;

export const DispatchJob = z.object({ eventId: z.uuid() });
export type DispatchJob = z.infer<typeof DispatchJob>;

export interface JobPayloads {
  intake: IntakeJob;
  outbound: OutboundJob;
  timers: TimerJob;
  dispatch: DispatchJob;
}

export const jobIds = {
  intake: (messageId: string) => `intake-${messageId}`,
  outbound: (outboundMessageId: string) => `outbound-${outboundMessageId}`,
  timer: (complaintId: string, deadlineId: string, point: string) => `timer-${complaintId}-${deadlineId}-${point}`,
  dispatch: (eventId: string) => `dispatch-${eventId}`,
} as const;
