/**
 * The case lifecycle after intake (DESIGN.md §9): registration (routing, regime clocks), the staff workflow (stages,
 * actions, four eyes), timers, outbound messages, surveys and follow-ups, downstream webhooks, reports, audit checks.
 */
export { createRegistrar, type Registrar, type RegistrarConfig, type RegistrationInput } from './registrar.js';
export { routeToTeam, type RoutingConfig } from './routing.js';
export type { ClockRule } from './regimes.js';
export { createAssignment, type Assignment } from './assignment.js';
export { createQueueEvents, silentQueueEvents, parseQueueHint, withQueueEventsAfterIntake, STAFF_QUEUE_TOPIC, QueueHint, type QueueEvents } from './queue-events.js';
export { listReplyTemplates } from './templates/reply-templates.js';
export { createEventDispatcher, createDispatchProcessor, reconcileDispatch, type DispatchObserver, type DispatchProcessorConfig } from './dispatch.js';
export {
  timerJobsFor,
  createTimerProcessor,
  reconcileTimers,
  warningPointName,
  DUE_POINT,
  type TimerClock,
  type TimerObserver,
  type TimerProcessorConfig,
} from './timers.js';
export { summaryReport, reportWindow, reportWindowDates, toCsv, csvCell, ReportWindowInvalid, MAX_REPORT_DAYS, type SummaryReport, type SummaryReportOptions } from './reports.js';
export { runAuditVerification, AUDIT_EXIT, type AuditVerificationOptions } from './audit-verification.js';
export {
  createOutboundQueue,
  createOutboundProcessor,
  reconcileOutbound,
  NoConversation,
  type OutboundFailure,
  type OutboundFailureReason,
  type OutboundObserver,
  type OutboundProcessorConfig,
} from './outbound.js';
export { createMessageTemplates, referralRights, TEMPLATE_IDS, REFERRAL_TEMPLATES, type MessageTemplatesOptions } from './templates.js';
export {
  computeClocks,
  dueAfter,
  earliestDue,
  extendedDueAt,
  findExtension,
  warningTimes,
  shiftForPause,
  ExtensionNotAllowed,
  type ComputedClock,
  type ClockInput,
  type TimerPoint,
} from './deadlines.js';
export {
  REGIMES,
  regimeDefinition,
  ruleApplies,
  ClockRuleSchema,
  type RegimeDefinition,
  type ExtensionRule,
  type ClockUnit,
  type ClockName,
  type ClockCondition,
} from './regimes.js';
export { isBusinessDay, addBusinessDays, nextBusinessDay, assertCalendar, chinaScheduleYears, UnknownCalendar, ClockInputInvalid } from './calendars.js';
export { civilDateOf, formatCivilDate, parseCivilDate, endOfCivilDay, isValidTimeZone, type CivilDate } from './zoned-time.js';
export { createWorkflow, type Workflow, type WorkflowConfig, type ClockEngine, type ActionRequest, type ActionOutcome } from './workflow.js';
export { createDialogServices, type DialogServicesConfig } from './dialog-services.js';
export { createFollowUps, type FollowUps, type FollowUpsConfig, type FollowUpMessage } from './follow-ups.js';
export { parseSurveyAnswer, type SurveyAnswer } from './survey-answers.js';
export { allowedActions, isActionAllowed, ACTION_RULES, STAGE_TIME_LIMIT_HOURS } from './stages.js';
export * from './workflow-errors.js';
export type { OutboundQueue, OutboundRequest, EventDispatcher, ComplaintEvent, StaffNotification, MessageTemplates, TemplateId, TemplateVariables } from './ports.js';
export { createClockEngine, type StoredClockRule } from './clock-engine.js';
export { dashboardView, dashboardCsv, type DashboardOptions } from './dashboard.js';
