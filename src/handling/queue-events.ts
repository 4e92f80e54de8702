/**
 * "The queue changed" hints for the staff console's live queue (decision 0014): handling publishes one on the
 * broadcast port's `staff-queue` topic after a commit that changed what a queue shows — a complaint registered (or
 * joined by a new message), claimed, assigned, changed by a staff action, warned or breached — and the event streams
 * (GET /v1/staff/events) forward it to the staff who see the complaint. A hint carries no customer data. Publishing
 * never fails the work it follows: a lost hint only delays the console, which also re-reads on its own.
 */
import { z } from 'zod';
import { QueueEvent } from '../contracts/index.js';
import type { Processor } from '../queue/index.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { findQueuedComplaintOfMessage, type Queryable } from '../store/index.js';

/** The broadcast topic of queue hints. */
export const STAFF_QUEUE_TOPIC = 'staff-queue';

/** A hint as published: the console's event, and the complaint's assignee (streams filter on team and assignee). */
export const QueueHint = QueueEvent.extend({ assignee: z.uuid().nullable() });
export type QueueHint = z.infer<typeof QueueHint>;

export interface QueueEvents {
  /** Publishes in the background; never throws or rejects. Call it after the commit. */
  publish(hint: Omit<QueueHint, 'at'> & { at: Date }): void;
}

/** Publishes nothing (no broadcast configured, tests of other parts). */
export const silentQueueEvents: QueueEvents = { publish: () => undefined };

export function createQueueEvents(config: { publish: (topic: string, message: string) => Promise<void>; logger?: Logger }): QueueEvents {
  return {
    publish(hint) {
      const message: QueueHint = { ...hint, at: hint.at.toISOString() };
      try {
        config.publish(STAFF_QUEUE_TOPIC, JSON.stringify(message)).catch((error: unknown) => {
          config.logger?.warn({ err: error, complaintId: hint.complaintId }, 'queue hint not published; consoles catch up on their next read');
        });
      } catch (error) {
        config.logger?.warn({ err: error, complaintId: hint.complaintId }, 'queue hint not published; consoles catch up on their next read');
      }
    },
  };
}

/** A hint read off the topic, or null when it is not one (another version, garbage). */
export function parseQueueHint(message: string): QueueHint | null {
  try {
    const parsed = QueueHint.safeParse(JSON.parse(message));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * The intake processor, followed (after its transaction committed) by a hint for the registered complaint the
 * message now belongs to: `registered` when this job registered it, `updated` when the message joined it. Intake
 * registers inside its own transaction, so this is the first moment the new row is visible to a console.
 */
export function withQueueEventsAfterIntake(processor: Processor<'intake'>, config: { database: Queryable; events: QueueEvents; clock: Clock; logger?: Logger }): Processor<'intake'> {
  return async (payload, context) => {
    const startedAt = config.clock.now();
    await processor(payload, context);
    try {
      const complaint = await findQueuedComplaintOfMessage(config.database, payload.messageId);
      if (!complaint) return;
      config.events.publish({
        complaintId: complaint.complaintId,
        reference: complaint.reference,
        team: complaint.team,
        assignee: complaint.assignee,
        reason: complaint.queuedAt.getTime() >= startedAt.getTime() ? 'registered' : 'updated',
        at: config.clock.now(),
      });
    } catch (error) {
      config.logger?.warn({ err: error, messageId: payload.messageId }, 'queue hint after intake not published');
    }
  };
}
