/**
 * The stage machine of DESIGN.md §9 as data: which action each stage allows, the stage it leads to, who may take
 * it, and each stage's time limit. Pure: the workflow (workflow.ts) asks it before changing anything.
 *
 *   registered → triaged → investigating → resolution_proposed → responded → closed
 *   reopened (from responded or closed) → triaged | investigating;  escalated (a breach, or by hand) → investigating …
 */
import type { ComplaintActionType, Kind, Stage, StaffRole } from '../contracts/index.js';

/** Stages in which the complaint is finished with; only `reopen` applies. */
export const CLOSED_STAGES: readonly Stage[] = ['closed'];
/** Stages in which the bank still owes the customer a final response (clocks run, staff act). */
export const OPEN_STAGES: readonly Stage[] = ['registered', 'triaged', 'investigating', 'resolution_proposed', 'reopened', 'escalated'];

interface ActionRule {
  /** Stages the action may be taken in. */
  from: readonly Stage[];
  /** The stage it leads to; undefined = the stage does not change. */
  to?: Stage;
  /** Roles allowed at all (agents further limited to their teams and their own tickets by the workflow). */
  roles: readonly StaffRole[];
}

const ANY_ROLE: readonly StaffRole[] = ['agent', 'supervisor', 'admin'];
const SUPERVISORS: readonly StaffRole[] = ['supervisor', 'admin'];
const WORKING: readonly Stage[] = ['registered', 'triaged', 'investigating', 'resolution_proposed', 'reopened', 'escalated', 'responded'];

export const ACTION_RULES: Readonly<Record<ComplaintActionType, ActionRule>> = {
  triage: { from: ['registered', 'triaged', 'reopened'], to: 'triaged', roles: ANY_ROLE },
  assign: { from: WORKING, roles: ANY_ROLE },
  start_investigation: { from: ['registered', 'triaged', 'reopened', 'escalated'], to: 'investigating', roles: ANY_ROLE },
  add_note: { from: WORKING, roles: ANY_ROLE },
  reply: { from: WORKING, roles: ANY_ROLE },
  request_information: { from: ['triaged', 'investigating', 'reopened', 'escalated'], roles: ANY_ROLE },
  propose_resolution: { from: ['investigating', 'escalated'], to: 'resolution_proposed', roles: ANY_ROLE },
  approve_resolution: { from: ['resolution_proposed'], roles: SUPERVISORS },
  reject_resolution: { from: ['resolution_proposed'], to: 'investigating', roles: SUPERVISORS },
  send_final_response: { from: ['resolution_proposed'], to: 'responded', roles: ANY_ROLE },
  close: { from: ['responded', 'registered', 'triaged', 'investigating'], to: 'closed', roles: ANY_ROLE },
  reopen: { from: ['responded', 'closed'], to: 'reopened', roles: ANY_ROLE },
  escalate: { from: ['registered', 'triaged', 'investigating', 'resolution_proposed', 'reopened'], to: 'escalated', roles: ANY_ROLE },
  extend_deadline: { from: OPEN_STAGES, roles: ANY_ROLE },
  pause_clock: { from: OPEN_STAGES, roles: ANY_ROLE },
  resume_clock: { from: OPEN_STAGES, roles: ANY_ROLE },
  record_acknowledgement: { from: OPEN_STAGES, roles: ANY_ROLE },
};

export const ACTION_TYPES = Object.keys(ACTION_RULES) as ComplaintActionType[];

/** What decides whether an action is possible besides the stage. */
export interface ActionContext {
  stage: Stage;
  kind: Kind;
  /** The latest resolution's state, when one is proposed. */
  resolution: { status: 'proposed' | 'approved' | 'rejected' | 'superseded'; requiresApproval: boolean } | null;
}

/**
 * Whether `action` is allowed in this context by the stage machine (roles aside). A complaint in the strict sense
 * closes only after its final response; an inquiry, a compliment or `other` may be closed earlier.
 */
export function isActionAllowed(action: ComplaintActionType, context: ActionContext): boolean {
  const rule = ACTION_RULES[action];
  if (!rule.from.includes(context.stage)) return false;
  const pending = context.resolution?.status === 'proposed' && context.resolution.requiresApproval;
  switch (action) {
    case 'close':
      return context.stage === 'responded' || context.kind !== 'complaint';
    case 'approve_resolution':
    case 'reject_resolution':
      return pending;
    case 'send_final_response':
      return context.resolution !== null && (context.resolution.status === 'approved' || (context.resolution.status === 'proposed' && !context.resolution.requiresApproval));
    default:
      return true;
  }
}

/** Every action the context allows, in a stable order (for 409 answers and the console's buttons). */
export function allowedActions(context: ActionContext): ComplaintActionType[] {
  return ACTION_TYPES.filter((action) => isActionAllowed(action, context));
}

/** How long a complaint may sit in a stage before its owner is late (hours); the regulatory clocks cap it. */
export const STAGE_TIME_LIMIT_HOURS: Readonly<Partial<Record<Stage, number>>> = {
  registered: 24,
  triaged: 24,
  investigating: 24 * 10,
  resolution_proposed: 24,
  reopened: 24,
  escalated: 24,
};

/** When the current stage is due: its own limit, or the earliest regulatory clock if that comes first. */
export function stageDueAt(stage: Stage, enteredAt: Date, earliestClock: Date | null): Date | null {
  const hours = STAGE_TIME_LIMIT_HOURS[stage];
  if (hours === undefined) return null;
  const own = new Date(enteredAt.getTime() + hours * 3_600_000);
  return earliestClock !== null && earliestClock < own ? earliestClock : own;
}
