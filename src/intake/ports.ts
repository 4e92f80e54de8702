/**
 * What the intake worker needs from the handling side, as structural interfaces (intake may not import handling;
 * the composition root wires the handling implementations in): registration of a classified record, and the
 * claim of a message that continues an existing complaint.
 */
import type { ComplaintRecord } from '../contracts/index.js';
import type { FollowUpJob } from '../queue/index.js';
import type { AuditEventInput, ChainHead, Queryable } from '../store/index.js';

/** Registers a classified record (implemented by the handling workflow, wired in main.ts). */
export interface ComplaintRegistrar {
  register(
    tx: Queryable,
    input: {
      record: ComplaintRecord;
      customerId: string;
      conversationId: string;
      actor: string;
      /** Events to record before registration's own, in the same append (one write). */
      precedingEvents?: AuditEventInput[];
      /** The complaint's chain head, read under the row lock this transaction holds. */
      chainHead?: ChainHead;
      /** A line of the caller's in the acknowledgement. */
      acknowledgementBody?: string;
      /** When it happens (default now). */
      at?: Date;
    },
  ): Promise<{ record: ComplaintRecord; jobs: FollowUpJob[] }>;
}

/**
 * Messages that continue an existing complaint (a survey answer, the answer to a request for information): asked
 * before classification; a claimed message joins that complaint (implemented by the handling workflow).
 */
export interface FollowUpClaimer {
  claim(
    tx: Queryable,
    message: { messageId: string; shellComplaintId: string; conversationId: string; text: string; at: Date },
  ): Promise<{ complaintId: string; jobs: FollowUpJob[] } | null>;
}


/** Tells staff about something on a complaint (implemented by the handling side's event dispatcher). */
export interface StaffNotifier {
  notify(
    tx: Queryable,
    notification: {
      kind: string;
      complaintId: string | null;
      /** `supervisors`, `team:<name>` or `staff:<id>`. */
      audience: string;
      data: Record<string, unknown>;
      at: Date;
    },
  ): Promise<void>;
}
