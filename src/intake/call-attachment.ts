/**
 * A hotline call that continues an existing complaint joins it instead of opening another (issue 7 item 2): a call
 * in which either side names one of the customer's own open complaints (`CMP-2026-000123`, also as ASR writes it:
 * `CMP 2026 000123`), or, failing that, a call from a phone number whose customer has an open complaint. The call's
 * message moves onto that complaint (its shell is closed as merged), the complaint's trail records `call.attached`
 * (who took the call, when it started) and its owner is told. Runs in the intake transaction, before
 * classification: an attached call is not classified or registered again.
 */
import { appendEvents, findCustomerComplaintStatus, findOpenComplaintOfCustomer, lockComplaintForAction, mergeInboundInto, type ChainHead, type Queryable } from '../store/index.js';
import type { CallRecord } from './call-record.js';
import type { StaffNotifier } from './ports.js';

const ACTOR = 'system:intake';
/** A complaint reference as written, or as speech recognition spells it out (spaces instead of hyphens). */
const SPOKEN_REFERENCE = /\bC\s?M\s?P[\s-]*(\d{4})[\s-]*(\d{6,})\b/gi;

export interface CallAttachmentInput {
  call: CallRecord;
  customerId: string;
  /** The shell complaint intake opened for the call's message, and its chain head read under its lock. */
  shell: { complaintId: string; chainHead: ChainHead };
  at: Date;
}

export interface AttachedCall {
  complaintId: string;
  reference: string;
  via: 'reference' | 'phone';
}

/** Every complaint reference said in the call, in order, normalised (`CMP-2026-000123`). */
export function referencesIn(text: string): string[] {
  const found = [...text.matchAll(SPOKEN_REFERENCE)].map((match) => `CMP-${match[1] ?? ''}-${match[2] ?? ''}`);
  return [...new Set(found)];
}

function isOpen(stage: string): boolean {
  return stage !== 'intake' && stage !== 'closed';
}

export interface CallAttachment {
  /** Attaches the call to the customer's complaint it continues; null when it opens a new one. */
  attach(tx: Queryable, input: CallAttachmentInput): Promise<AttachedCall | null>;
}

export function createCallAttachment(config: { staff: StaffNotifier }): CallAttachment {
  /** The complaint the call continues: a named one of the customer's own first, else their open one (by phone). */
  async function targetOf(tx: Queryable, input: CallAttachmentInput): Promise<AttachedCall | null> {
    for (const reference of referencesIn(input.call.wholeText)) {
      const own = await findCustomerComplaintStatus(tx, reference, input.customerId);
      if (own && isOpen(own.stage) && own.id !== input.shell.complaintId) return { complaintId: own.id, reference: own.reference, via: 'reference' };
    }
    // Only a number from the call's metadata identifies the caller; without one every call is a new customer.
    if (!input.call.message.sender.phone) return null;
    const open = await findOpenComplaintOfCustomer(tx, input.customerId, input.shell.complaintId);
    return open ? { complaintId: open.id, reference: open.reference, via: 'phone' } : null;
  }

  return {
    async attach(tx, input) {
      const target = await targetOf(tx, input);
      if (!target) return null;
      const complaint = await lockComplaintForAction(tx, target.complaintId);
      if (!complaint || !isOpen(complaint.stage)) return null;
      const { call, shell, at } = input;
      const messageId = call.message.id;
      await mergeInboundInto(tx, { messageId, shellComplaintId: shell.complaintId, intoComplaintId: complaint.id, at });
      await appendEvents(
        tx,
        [{ complaintId: shell.complaintId, type: 'merged', actor: ACTOR, data: { into: complaint.id, messageId, reason: 'call' }, at }],
        new Map([[shell.complaintId, shell.chainHead]]),
      );
      await appendEvents(tx, [
        {
          complaintId: complaint.id,
          type: 'call.attached',
          actor: ACTOR,
          data: {
            messageId,
            via: target.via,
            callId: call.callId,
            format: call.format,
            takenBy: call.takenBy,
            callStartedAt: call.message.receivedAt.toISOString(),
            durationMs: call.durationMs,
          },
          at,
        },
      ]);
      const audience = complaint.assignee ? `staff:${complaint.assignee}` : complaint.team ? `team:${complaint.team}` : 'supervisors';
      await config.staff.notify(tx, {
        kind: 'complaint.call_attached',
        complaintId: complaint.id,
        audience,
        data: { messageId, reference: complaint.reference, stage: complaint.stage, via: target.via, takenBy: call.takenBy },
        at,
      });
      return { ...target, reference: complaint.reference };
    },
  };
}
