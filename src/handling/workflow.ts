/**
 * The staff workflow: one action on one complaint (decision 0009). In one transaction it locks the complaint,
 * answers a repeated Idempotency-Key with the first answer, checks visibility, role and stage (stages.ts), applies
 * the action — stage, owner, clocks, resolution, customer-facing messages, downstream events, notifications — records
 * it in the hash-chained audit trail, and keeps the answer for the key; the follow-up jobs are enqueued after the
 * commit.
 */
import { randomUUID } from 'node:crypto';
import {
  jobIds,
  urgencyRank,
  type ActionResult,
  type ComplaintAction,
  type ComplaintActionType,
  type DeadlineView,
  type PauseReason,
  type StaffMember,
} from '../contracts/index.js';
import type { Clock } from '../shared/clock.js';
import { Forbidden, NotFound } from '../shared/errors.js';
import type { FollowUpJob } from '../queue/index.js';
import {
  decideResolution,
  earliestOpenDue,
  extendDeadline,
  findIdempotentResponse,
  findStaffSummary,
  insertResolution,
  latestResolution,
  listComplaintDeadlines,
  lockComplaintForAction,
  markDeadlinesMet,
  pauseDeadlines,
  resumeDeadlines,
  saveIdempotentResponse,
  upsertSurvey,
  type Database,
  type DeadlineRow,
  type LockedComplaint,
  type Queryable,
  type ResolutionRow,
} from '../store/index.js';
import { commitEffects, enterStage, noEffects, type Effects } from './effects.js';
import type { EventDispatcher, MessageTemplates, OutboundQueue, TemplateId } from './ports.js';
import type { QueueEvents } from './queue-events.js';
import { allowedActions, ACTION_RULES, isActionAllowed } from './stages.js';
import { AssigneeInvalid, ClockChangeRefused, ComplaintClosed, FourEyesRequired, IdempotencyKeyReused, IllegalTransition } from './workflow-errors.js';
import { civilDateOf } from './zoned-time.js';

/** What the workflow needs to know about a clock's rule (regimes.ts), behind one seam. */
export interface ClockEngine {
  /** The clock under extension `name`, or null when its rule has no such extension. */
  extend(
    deadline: DeadlineRow,
    name: string,
  ): { dueAt: Date; requiresApproval: 'none' | 'supervisor' | 'senior'; mustNotifyCustomer: boolean; holdingReply: boolean } | null;
  /** Whether the clock's regime lets it stop for `reason`. */
  pausable(deadline: DeadlineRow, reason: PauseReason): boolean;
  /** The extensions `extend` would accept now for a running clock and that would move it later (for views). */
  extensions(deadline: DeadlineRow): string[];
  /** Whether the clock is met by acknowledging the complaint to the customer. */
  metByAcknowledgement(deadline: DeadlineRow): boolean;
}

export interface WorkflowConfig {
  database: Database;
  clock: Clock;
  outbound: OutboundQueue;
  dispatcher: EventDispatcher;
  templates: MessageTemplates;
  clocks: ClockEngine;
  /** Timer jobs for clocks that (re)started or moved. */
  timerJobs: (deadlines: readonly { complaintId: string; deadlineId: string; startsAt: Date; dueAt: Date; status: string }[], now: Date) => FollowUpJob[];
  enqueue: (jobs: readonly FollowUpJob[]) => Promise<void>;
  timeZone: string;
  approvalRedressLimit: number;
  surveyTimeoutHours: number;
  /** The staff console's live queue: a hint after each action that changed a complaint. */
  queueEvents?: QueueEvents;
}

export interface ActionRequest {
  /** Complaint id or reference. */
  complaint: string;
  action: ComplaintAction;
  staff: StaffMember;
  idempotency?: { key: string; requestHash: string };
}

export interface ActionOutcome {
  status: number;
  body: ActionResult;
  /** True when the answer is the stored answer to a repeated Idempotency-Key. */
  replayed: boolean;
}

export interface Workflow {
  act(request: ActionRequest): Promise<ActionOutcome>;
  /** The complaint's state as an action would answer it (for views), or null when it is not visible to `staff`. */
  describe(complaint: string, staff: StaffMember): Promise<ActionResult | null>;
}

function visibleTo(staff: StaffMember, complaint: LockedComplaint): boolean {
  if (staff.role !== 'agent') return true;
  return complaint.assignee === staff.id || (complaint.team !== null && staff.teams.includes(complaint.team));
}

function deadlineView(deadline: DeadlineRow, clocks: ClockEngine): DeadlineView {
  return {
    id: deadline.id,
    regime: deadline.regime,
    clock: deadline.clock,
    startsAt: deadline.startsAt.toISOString(),
    dueAt: deadline.dueAt.toISOString(),
    status: deadline.status,
    extension: deadline.extension,
    extensions: clocks.extensions(deadline),
  };
}

function resolutionView(resolution: ResolutionRow | null): ActionResult['resolution'] {
  if (!resolution) return null;
  return {
    id: resolution.id,
    summary: resolution.summary,
    upheld: resolution.upheld,
    redress: resolution.redress,
    status: resolution.status,
    requiresApproval: resolution.requiresApproval,
    proposedBy: resolution.proposedBy,
    decidedBy: resolution.decidedBy,
  };
}

export function createWorkflow(config: WorkflowConfig): Workflow {
  const { clock, outbound, dispatcher, templates } = config;

  function dueDateText(at: Date | null): string | undefined {
    if (!at) return undefined;
    const date = civilDateOf(at, config.timeZone);
    return `${String(date.year)}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
  }

  async function queueCustomerMessage(
    tx: Queryable,
    complaint: LockedComplaint,
    effects: Effects,
    message: { template: TemplateId; purpose: Parameters<OutboundQueue['queueMessage']>[1]['purpose']; body?: string; dueAt?: Date | null; upheld?: boolean; redress?: string; channel?: string },
    actor: string,
    at: Date,
  ): Promise<string> {
    // An explicit null (every clock paused) leaves the due-date line out rather than quoting a stale date.
    const dueDate = dueDateText(message.dueAt === undefined ? complaint.dueAt : message.dueAt);
    const rendered = templates.render(message.template, complaint.language, {
      reference: complaint.reference,
      regime: complaint.regime ?? 'cn_nfra',
      ...(dueDate === undefined ? {} : { dueDate }),
      ...(message.body === undefined ? {} : { body: message.body }),
      ...(message.upheld === undefined ? {} : { upheld: message.upheld }),
      ...(message.redress === undefined ? {} : { redress: message.redress }),
    });
    const queued = await outbound.queueMessage(tx, {
      complaintId: complaint.id,
      purpose: message.purpose,
      text: rendered.text,
      quickReplies: rendered.quickReplies,
      language: complaint.language,
      actor,
      at,
      ...(message.channel ? { channel: message.channel } : {}),
    });
    effects.jobs.push(...queued.jobs);
    effects.outboundMessageIds.push(queued.messageId);
    return queued.messageId;
  }

  async function apply(tx: Queryable, complaint: LockedComplaint, action: ComplaintAction, staff: StaffMember, effects: Effects, at: Date): Promise<void> {
    const actor = `staff:${staff.id}`;
    switch (action.type) {
      case 'triage': {
        const changes: Record<string, { from: unknown; to: unknown }> = {};
        if (action.team !== undefined && action.team !== complaint.team) {
          changes.team = { from: complaint.team, to: action.team };
          effects.change.team = action.team;
          if (complaint.assignee !== null) {
            const owner = await findStaffSummary(tx, complaint.assignee);
            if (owner?.role === 'agent' && !owner.teams.includes(action.team)) {
              effects.change.assignee = null;
              effects.change.queuedAt = at;
              changes.assignee = { from: complaint.assignee, to: null };
            }
          }
        }
        if (action.product !== undefined && action.product !== complaint.product) {
          changes.product = { from: complaint.product, to: action.product };
          effects.change.product = action.product;
        }
        if (action.issue !== undefined && action.issue !== complaint.issue) {
          changes.issue = { from: complaint.issue, to: action.issue };
          effects.change.issue = action.issue;
        }
        if (action.urgency !== undefined && action.urgency !== complaint.urgency) {
          changes.urgency = { from: complaint.urgency, to: action.urgency };
          effects.change.urgency = action.urgency;
          effects.change.urgencyRank = urgencyRank(action.urgency);
        }
        enterStage(effects, complaint, 'triaged', at);
        effects.events.push({ type: 'triaged', data: { changes, ...(action.note ? { note: action.note } : {}) } });
        effects.emits.push({ type: 'complaint.triaged', data: { changes } });
        return;
      }
      case 'assign': {
        if (staff.role === 'agent' && action.assignee !== staff.id) throw new Forbidden('Agents may assign complaints to themselves only.');
        const target = await findStaffSummary(tx, action.assignee);
        if (!target || target.disabled) throw new AssigneeInvalid(`No active staff member ${action.assignee}.`);
        if (target.role === 'agent' && (complaint.team === null || !target.teams.includes(complaint.team))) {
          throw new AssigneeInvalid(`Staff member ${action.assignee} is not in team "${complaint.team ?? '(none)'}".`);
        }
        effects.change.assignee = action.assignee;
        effects.events.push({ type: 'assigned', data: { from: complaint.assignee, to: action.assignee } });
        if (action.assignee !== staff.id) effects.notifications.push({ kind: 'complaint.assigned', audience: `staff:${action.assignee}`, data: { reference: complaint.reference } });
        return;
      }
      case 'start_investigation': {
        if (complaint.assignee === null) {
          effects.change.assignee = staff.id;
          effects.events.push({ type: 'assigned', data: { from: null, to: staff.id } });
        }
        if (complaint.stage === 'escalated') effects.change.stageBeforeEscalation = null;
        enterStage(effects, complaint, 'investigating', at);
        return;
      }
      case 'add_note': {
        effects.events.push({ type: 'note.added', data: { text: action.text } });
        return;
      }
      case 'reply': {
        const messageId = await queueCustomerMessage(
          tx,
          complaint,
          effects,
          { template: 'staff_reply', purpose: 'reply', body: action.message, ...(action.channel ? { channel: action.channel } : {}) },
          actor,
          at,
        );
        effects.events.push({ type: 'reply.sent', data: { messageId, text: action.message, channel: action.channel ?? null } });
        return;
      }
      case 'request_information': {
        effects.change.awaitingInformationSince = at;
        const deadlines = await listComplaintDeadlines(tx, complaint.id);
        const pausable = deadlines.filter((deadline) => deadline.status === 'open' && config.clocks.pausable(deadline, 'awaiting_customer_information'));
        await pauseDeadlines(tx, pausable.map((deadline) => deadline.id), { at, reason: 'awaiting_customer_information' });
        // Quote the due date that still runs (none when the regime stops every clock while the customer answers).
        const stillDue = await earliestOpenDue(tx, complaint.id);
        const messageId = await queueCustomerMessage(
          tx,
          complaint,
          effects,
          { template: 'information_request', purpose: 'information_request', body: action.question, dueAt: stillDue },
          actor,
          at,
        );
        effects.events.push({ type: 'information.requested', data: { messageId, question: action.question, pausedClocks: pausable.map((deadline) => deadline.clock) } });
        return;
      }
      case 'propose_resolution': {
        const redress = action.redress ?? null;
        const requiresApproval = complaint.urgencyRank >= urgencyRank('high') || (redress !== null && redress.value > config.approvalRedressLimit);
        const id = randomUUID();
        await insertResolution(tx, { id, complaintId: complaint.id, summary: action.summary, upheld: action.upheld, redress, proposedBy: staff.id, requiresApproval, at });
        if (complaint.stage === 'escalated') effects.change.stageBeforeEscalation = null;
        enterStage(effects, complaint, 'resolution_proposed', at);
        effects.events.push({ type: 'resolution.proposed', data: { resolutionId: id, upheld: action.upheld, redress, requiresApproval, summary: action.summary } });
        if (requiresApproval) effects.notifications.push({ kind: 'resolution.awaiting_approval', audience: 'supervisors', data: { reference: complaint.reference, resolutionId: id } });
        return;
      }
      case 'approve_resolution':
      case 'reject_resolution': {
        const resolution = await latestResolution(tx, complaint.id);
        if (!resolution) throw new IllegalTransition(action.type, complaint.stage, []);
        if (resolution.proposedBy === staff.id) throw new FourEyesRequired();
        const approved = action.type === 'approve_resolution';
        const reason = action.type === 'reject_resolution' ? action.reason : (action.comment ?? null);
        await decideResolution(tx, { id: resolution.id, status: approved ? 'approved' : 'rejected', decidedBy: staff.id, reason, at });
        effects.events.push({ type: approved ? 'resolution.approved' : 'resolution.rejected', data: { resolutionId: resolution.id, ...(reason ? { reason } : {}) } });
        if (!approved) enterStage(effects, complaint, 'investigating', at, 'resolution rejected');
        effects.notifications.push({ kind: approved ? 'resolution.approved' : 'resolution.rejected', audience: `staff:${resolution.proposedBy}`, data: { reference: complaint.reference } });
        return;
      }
      case 'send_final_response': {
        const resolution = await latestResolution(tx, complaint.id);
        if (!resolution) throw new IllegalTransition(action.type, complaint.stage, []);
        const redress = resolution.redress ? `${resolution.redress.currency} ${resolution.redress.value.toFixed(2)}` : undefined;
        const messageId = await queueCustomerMessage(
          tx,
          complaint,
          effects,
          { template: 'final_response', purpose: 'final_response', body: action.message ?? resolution.summary, upheld: resolution.upheld, ...(redress ? { redress } : {}) },
          actor,
          at,
        );
        const deadlines = await listComplaintDeadlines(tx, complaint.id);
        const met = deadlines.filter((deadline) => deadline.status === 'open' || deadline.status === 'paused');
        await markDeadlinesMet(tx, met.map((deadline) => deadline.id), at);
        effects.change.respondedAt = at;
        effects.change.awaitingInformationSince = null;
        enterStage(effects, complaint, 'responded', at);
        effects.events.push({
          type: 'final_response.sent',
          data: { messageId, resolutionId: resolution.id, upheld: resolution.upheld, clocksMet: met.map((deadline) => deadline.clock) },
        });
        effects.emits.push({ type: 'complaint.responded', data: { upheld: resolution.upheld } });
        const surveyMessageId = await queueCustomerMessage(tx, complaint, effects, { template: 'survey', purpose: 'survey' }, 'system:survey', at);
        const expiresAt = new Date(at.getTime() + config.surveyTimeoutHours * 3_600_000);
        await upsertSurvey(tx, { complaintId: complaint.id, conversationId: complaint.conversationId, outboundMessageId: surveyMessageId, sentAt: at, expiresAt });
        effects.events.push({ type: 'survey.sent', data: { messageId: surveyMessageId, expiresAt: expiresAt.toISOString() } });
        effects.jobs.push({
          queue: 'timers',
          payload: { kind: 'survey_expiry', complaintId: complaint.id },
          options: { jobId: jobIds.surveyExpiry(complaint.id, expiresAt), delayMs: expiresAt.getTime() - at.getTime() },
        });
        return;
      }
      case 'close': {
        // Closed before a final response (an inquiry, a compliment): nothing more is owed, so its clocks stop
        // (no timer breaches a closed case) and it leaves the work queue.
        const running = (await listComplaintDeadlines(tx, complaint.id)).filter((deadline) => deadline.status === 'open' || deadline.status === 'paused');
        if (running.length > 0) {
          await markDeadlinesMet(tx, running.map((deadline) => deadline.id), at);
          effects.events.push({ type: 'clocks.stopped', data: { reason: 'closed', clocks: running.map((deadline) => deadline.clock) } });
        }
        effects.change.queuedAt = null;
        effects.change.closedAt = at;
        effects.change.awaitingInformationSince = null;
        enterStage(effects, complaint, 'closed', at, action.reason);
        effects.emits.push({ type: 'complaint.closed', data: {} });
        return;
      }
      case 'reopen': {
        effects.change.closedAt = null;
        if (complaint.assignee === null) effects.change.queuedAt = at;
        enterStage(effects, complaint, 'reopened', at, action.reason);
        effects.emits.push({ type: 'complaint.reopened', data: { reason: action.reason } });
        return;
      }
      case 'escalate': {
        effects.change.stageBeforeEscalation = complaint.stage;
        effects.change.escalatedAt = at;
        enterStage(effects, complaint, 'escalated', at, action.reason);
        effects.notifications.push({ kind: 'complaint.escalated', audience: 'supervisors', data: { reference: complaint.reference, reason: action.reason } });
        effects.emits.push({ type: 'complaint.escalated', data: { reason: action.reason } });
        return;
      }
      case 'extend_deadline': {
        const deadlines = await listComplaintDeadlines(tx, complaint.id);
        const deadline = deadlines.find((candidate) => candidate.clock === action.clock && (candidate.status === 'open' || candidate.status === 'paused'));
        if (!deadline) throw new ClockChangeRefused('CLOCK_NOT_FOUND', `Complaint ${complaint.reference} has no running clock "${action.clock}".`);
        const extended = config.clocks.extend(deadline, action.extension);
        if (!extended) throw new ClockChangeRefused('EXTENSION_NOT_ALLOWED', `The ${deadline.regime} clock "${deadline.clock}" has no extension "${action.extension}".`);
        if (extended.requiresApproval === 'supervisor' && staff.role === 'agent') throw new Forbidden(`Extension "${action.extension}" needs a supervisor.`);
        if (extended.requiresApproval === 'senior' && staff.role !== 'admin') throw new Forbidden(`Extension "${action.extension}" needs senior approval (admin role).`);
        const dueAt = new Date(extended.dueAt.getTime() + deadline.pausedMs);
        if (dueAt <= deadline.dueAt) throw new ClockChangeRefused('EXTENSION_NOT_ALLOWED', `Extension "${action.extension}" would not move "${deadline.clock}" later than ${deadline.dueAt.toISOString()}.`);
        await extendDeadline(tx, deadline.id, { dueAt, extension: action.extension });
        let customerNotifiedAt: string | null = null;
        if (extended.mustNotifyCustomer || extended.holdingReply) {
          await queueCustomerMessage(
            tx,
            complaint,
            effects,
            { template: extended.holdingReply ? 'holding_reply' : 'extension_notice', purpose: extended.holdingReply ? 'holding_reply' : 'extension_notice', body: action.reason, dueAt },
            actor,
            at,
          );
          customerNotifiedAt = at.toISOString();
        }
        effects.events.push({
          type: 'deadline.extended',
          data: { deadlineId: deadline.id, clock: deadline.clock, extension: action.extension, from: deadline.dueAt.toISOString(), to: dueAt.toISOString(), approver: staff.id, reason: action.reason, customerNotifiedAt },
        });
        if (deadline.status === 'open') effects.jobs.push(...config.timerJobs([{ complaintId: complaint.id, deadlineId: deadline.id, startsAt: deadline.startsAt, dueAt, status: 'open' }], at));
        return;
      }
      case 'pause_clock': {
        const deadlines = await listComplaintDeadlines(tx, complaint.id);
        const pausable = deadlines.filter((deadline) => deadline.status === 'open' && config.clocks.pausable(deadline, action.reason));
        if (pausable.length === 0) throw new ClockChangeRefused('PAUSE_NOT_ALLOWED', `No running clock of complaint ${complaint.reference} may pause for "${action.reason}" under its regime.`);
        await pauseDeadlines(tx, pausable.map((deadline) => deadline.id), { at, reason: action.reason });
        await queueCustomerMessage(tx, complaint, effects, { template: 'pause_notice', purpose: 'pause_notice', ...(action.note ? { body: action.note } : {}) }, actor, at);
        effects.events.push({ type: 'clock.paused', data: { reason: action.reason, clocks: pausable.map((deadline) => deadline.clock), customerNotifiedAt: at.toISOString() } });
        return;
      }
      case 'record_acknowledgement': {
        const deadlines = await listComplaintDeadlines(tx, complaint.id);
        const pending = deadlines.filter((deadline) => (deadline.status === 'open' || deadline.status === 'paused') && config.clocks.metByAcknowledgement(deadline));
        if (pending.length === 0) throw new ClockChangeRefused('NOTHING_TO_ACKNOWLEDGE', `Complaint ${complaint.reference} has no acknowledgement clock running.`);
        await markDeadlinesMet(tx, pending.map((deadline) => deadline.id), at);
        effects.events.push({
          type: 'acknowledgement.recorded',
          data: { method: action.method, clocks: pending.map((deadline) => deadline.clock), ...(action.note ? { note: action.note } : {}) },
        });
        return;
      }
      case 'resume_clock': {
        const resumed = await resumeDeadlines(tx, complaint.id, at);
        if (resumed.length === 0) throw new ClockChangeRefused('NOTHING_PAUSED', `Complaint ${complaint.reference} has no paused clock.`);
        effects.change.awaitingInformationSince = null;
        const deadlines = await listComplaintDeadlines(tx, complaint.id);
        const moved = deadlines.filter((deadline) => resumed.includes(deadline.id));
        effects.events.push({ type: 'clock.resumed', data: { clocks: moved.map((deadline) => ({ clock: deadline.clock, dueAt: deadline.dueAt.toISOString() })) } });
        effects.jobs.push(...config.timerJobs(moved.map((deadline) => ({ complaintId: complaint.id, deadlineId: deadline.id, startsAt: deadline.startsAt, dueAt: deadline.dueAt, status: deadline.status })), at));
        return;
      }
    }
  }

  async function resultOf(tx: Queryable, complaint: LockedComplaint, outboundMessageIds: string[]): Promise<ActionResult> {
    const row = await lockComplaintForAction(tx, complaint.id, { lock: false });
    const deadlines = await listComplaintDeadlines(tx, complaint.id);
    const resolution = await latestResolution(tx, complaint.id);
    const current = row ?? complaint;
    return {
      id: current.id,
      reference: current.reference,
      stage: current.stage,
      assignee: current.assignee,
      team: current.team,
      dueAt: current.dueAt?.toISOString() ?? null,
      deadlines: deadlines.map((deadline) => deadlineView(deadline, config.clocks)),
      resolution: resolutionView(resolution),
      allowedActions: allowedActions({ stage: current.stage, kind: current.kind, resolution }),
      outboundMessageIds,
    };
  }

  async function checkAllowed(tx: Queryable, complaint: LockedComplaint, action: ComplaintActionType, staff: StaffMember): Promise<void> {
    const resolution = await latestResolution(tx, complaint.id);
    const context = { stage: complaint.stage, kind: complaint.kind, resolution };
    if (!isActionAllowed(action, context)) {
      if (complaint.stage === 'closed' && action !== 'reopen') throw new ComplaintClosed(complaint.reference);
      throw new IllegalTransition(action, complaint.stage, allowedActions(context));
    }
    if (!ACTION_RULES[action].roles.includes(staff.role)) throw new Forbidden(`Your role (${staff.role}) may not ${action.replaceAll('_', ' ')}.`);
  }

  async function act(request: ActionRequest): Promise<ActionOutcome & { jobs: FollowUpJob[] }> {
    return config.database.transaction(async (tx) => {
      const complaint = await lockComplaintForAction(tx, request.complaint);
      if (!complaint || complaint.stage === 'intake' || !visibleTo(request.staff, complaint)) throw new NotFound(`Complaint ${request.complaint}`);
      if (request.idempotency) {
        const stored = await findIdempotentResponse(tx, request.staff.id, request.idempotency.key);
        if (stored) {
          if (stored.requestHash !== request.idempotency.requestHash) throw new IdempotencyKeyReused();
          return { status: stored.statusCode, body: stored.response as ActionResult, replayed: true, jobs: [] };
        }
      }
      await checkAllowed(tx, complaint, request.action.type, request.staff);
      const at = clock.now();
      const effects = noEffects();
      await apply(tx, complaint, request.action, request.staff, effects, at);

      const jobs = await commitEffects(tx, dispatcher, complaint, effects, `staff:${request.staff.id}`, at);
      const body = await resultOf(tx, complaint, effects.outboundMessageIds);
      const status = 200;
      if (request.idempotency) {
        await saveIdempotentResponse(tx, { staffId: request.staff.id, key: request.idempotency.key, requestHash: request.idempotency.requestHash, statusCode: status, response: body, at });
      }
      return { status, body, replayed: false, jobs };
    });
  }

  return {
    async act(request) {
      const outcome = await act(request);
      // After the commit: a lost enqueue is found again by the reconcilers (outbound, dispatch, timers).
      if (outcome.jobs.length > 0) await config.enqueue(outcome.jobs).catch(() => undefined);
      if (!outcome.replayed) {
        const { body } = outcome;
        const reason = request.action.type === 'assign' ? 'assigned' : 'updated';
        config.queueEvents?.publish({ complaintId: body.id, reference: body.reference, team: body.team, assignee: body.assignee, reason, at: clock.now() });
      }
      return { status: outcome.status, body: outcome.body, replayed: outcome.replayed };
    },
    async describe(reference, staff) {
      return config.database.transaction(async (tx) => {
        const complaint = await lockComplaintForAction(tx, reference, { lock: false });
        if (!complaint || complaint.stage === 'intake' || !visibleTo(staff, complaint)) return null;
        return resultOf(tx, complaint, []);
      });
    },
  };
}

