/**
 * What one handling step changed on a complaint, gathered while it runs and written at its end in one place: the
 * column changes (with the due time and the stage's own limit recomputed), the audit events, staff notifications
 * and downstream events. Used by the staff workflow, the survey and follow-up handling, so each writes alike.
 */
import type { Stage } from '../contracts/index.js';
import type { FollowUpJob } from '../queue/index.js';
import { appendEvents, earliestOpenDue, updateComplaint, type AuditEventInput, type ComplaintChange, type LockedComplaint, type Queryable } from '../store/index.js';
import type { ComplaintEvent, EventDispatcher, StaffNotification } from './ports.js';
import { stageDueAt } from './stages.js';

export interface Effects {
  change: ComplaintChange;
  events: Omit<AuditEventInput, 'complaintId' | 'at' | 'actor'>[];
  emits: Omit<ComplaintEvent, 'complaintId' | 'at'>[];
  notifications: Omit<StaffNotification, 'complaintId' | 'at'>[];
  jobs: FollowUpJob[];
  outboundMessageIds: string[];
}

export function noEffects(): Effects {
  return { change: {}, events: [], emits: [], notifications: [], jobs: [], outboundMessageIds: [] };
}

/** Records a stage change (no-op when already there). */
export function enterStage(effects: Effects, complaint: LockedComplaint, to: Stage, at: Date, reason?: string): void {
  if (complaint.stage === to) return;
  effects.change.stage = to;
  effects.change.stageEnteredAt = at;
  effects.events.push({ type: 'stage.changed', data: { from: complaint.stage, to, ...(reason ? { reason } : {}) } });
}

/** Writes the effects on a complaint the transaction has locked; returns every job to enqueue after the commit. */
export async function commitEffects(
  tx: Queryable,
  dispatcher: EventDispatcher,
  complaint: LockedComplaint,
  effects: Effects,
  actor: string,
  at: Date,
): Promise<FollowUpJob[]> {
  const dueAt = await earliestOpenDue(tx, complaint.id);
  effects.change.dueAt = dueAt;
  const stage = effects.change.stage ?? complaint.stage;
  if (effects.change.stage !== undefined) effects.change.stageDueAt = stageDueAt(stage, at, dueAt);
  await updateComplaint(tx, complaint.id, effects.change, at);
  await appendEvents(tx, effects.events.map((event) => ({ ...event, complaintId: complaint.id, actor, at })));
  for (const notification of effects.notifications) await dispatcher.notify(tx, { ...notification, complaintId: complaint.id, at });
  const jobs = [...effects.jobs];
  for (const emitted of effects.emits) {
    jobs.push(
      ...(await dispatcher.emit(tx, {
        ...emitted,
        complaintId: complaint.id,
        at,
        data: { reference: complaint.reference, stage, team: effects.change.team ?? complaint.team, ...emitted.data },
      })),
    );
  }
  return jobs;
}
