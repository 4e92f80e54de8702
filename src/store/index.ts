/** PostgreSQL access (pg in production, PGlite embedded): migrations and repositories. Exported by name. */
export type { Database, Queryable, QueryResult } from './database.js';
export { createPostgresDatabase, type PostgresConfig } from './postgres-database.js';
export type { PgliteConfig } from './pglite-database.js';
export { migrate, loadMigrations, type Migration } from './migrate.js';
export { appendEvents, listEvents, verifyChain, hashEvent, type AuditEvent, type AuditEventInput, type ChainVerdict, type ChainHead } from './audit-trail.js';
export { insertInboundBatch, listPendingInbound, type NewInboundMessage, type AcceptedRow } from './inbound-messages.js';
export {
  findMessagePart,
  lockWaitingPartGroup,
  listMessageParts,
  insertMessagePart,
  completePartGroup,
  listStalePartGroups,
  lockStalePartGroup,
  type WaitingPartGroup,
  type StoredMessagePart,
  type KnownMessagePart,
} from './message-parts.js';
export {
  upsertCustomerByIdentity,
  addIdentity,
  hasOpenComplaint,
  upsertConversation,
  resolveCustomerContext,
  type IdentityInput,
  type CustomerContext,
} from './customers.js';
export {
  lockInboundForProcessing,
  findFirstInboundMessage,
  markInboundProcessed,
  markInboundFailed,
  findComplaint,
  listComplaintMessages,
  type InboundMessageRow,
  type ComplaintRow,
  type MessageSummaryRow,
} from './complaints.js';
export { listWorkQueue, claimNextWorkItem, type WorkItem } from './work-queue.js';
export {
  listConsoleQueue,
  toConsoleQueueItem,
  CONSOLE_QUEUE_COLUMNS,
  CONSOLE_QUEUE_JOINS,
  type ConsoleQueueFilter,
  type ConsoleQueueSearch,
  type ConsoleQueueRow,
} from './console-queue.js';
export { consoleQueueSearchOf, phoneVariants } from './console-queue-search.js';
export { readTimeline } from './timeline.js';
export { findQueuedComplaintOfMessage, type QueuedComplaintOfMessage } from './console-queue-events.js';
export { saveRegisteredComplaint, type DeadlineInput } from './registration.js';
export {
  insertStaff,
  findStaffByKeyPrefix,
  insertApiClient,
  findApiClientByKeyPrefix,
  countCredentials,
  type StaffRow,
  type ApiClientRow,
} from './credentials.js';
export { getOrCreateSetting } from './settings.js';
export {
  insertStaffSession,
  findAndTouchStaffSession,
  deleteStaffSession,
  deleteExpiredStaffSessions,
  deleteStaffSessionsOf,
  type NewStaffSession,
  type StaffSessionRow,
} from './staff-sessions.js';
export { findStaffForSignIn, setStaffPassword, type StaffSignInRow } from './staff-passwords.js';
export { listAssignableStaff, type StaffDirectoryEntry } from './staff-directory.js';
export {
  lockComplaintForAction,
  listComplaintDeadlines,
  markDeadlinesMet,
  extendDeadline,
  pauseDeadlines,
  resumeDeadlines,
  updateComplaint,
  earliestOpenDue,
  latestResolution,
  insertResolution,
  decideResolution,
  findStaffSummary,
  findComplaintAwaitingInformation,
  type LockedComplaint,
  type DeadlineRow,
  type ComplaintChange,
  type ResolutionRow,
  type StaffSummary,
} from './complaint-workflow.js';
export { findInboundRaw, findOpenComplaintOfCustomer, findTranscriptContents, insertTranscriptContents, type StoredTranscriptContent } from './call-records.js';
export { findIdempotentResponse, saveIdempotentResponse, type StoredResponse } from './idempotency.js';
export { upsertSurvey, findOpenSurvey, lockSurvey, recordSurveyOutcome, mergeInboundInto, type OpenSurvey } from './surveys.js';
export {
  insertWebhookSubscription,
  listWebhookSubscriptions,
  disableWebhookSubscription,
  insertDeliveriesForEvent,
  lockDelivery,
  markDelivered,
  markDeliveryRetrying,
  markDeliveryFailed,
  listDueDeliveries,
  type WebhookSubscriptionRow,
  type WebhookDeliveryStatus,
  type LockedDelivery,
  type DueDelivery,
} from './webhooks.js';
export { insertNotification, listNotifications, type NotificationInput, type NotificationRow } from './notifications.js';
export {
  listOpenDeadlines,
  lockDeadline,
  markDeadlineWarned,
  markDeadlineBreached,
  escalateForBreach,
  type OpenDeadline,
  type LockedDeadline,
  type BreachEscalation,
  type DeadlineStatus,
} from './deadlines.js';
export { queryReportFigures, type ReportFigures, type ReportFiguresQuery, type ReportTotals, type ReportGroup, type SatisfactionFigures, type StageTime, type CountByKey } from './reports.js';
export { verifyAllChains, type BrokenChain, type ChainsVerification, type VerifyAllChainsOptions } from './audit-verification.js';
export {
  insertOutboundMessage,
  findComplaintConversation,
  hasEarlierQueuedOutbound,
  lockOutboundForDelivery,
  findOutboundMessage,
  leaseOutbound,
  markOutboundSent,
  markOutboundRetrying,
  markOutboundFailed,
  listDueOutbound,
  applyDeliveryReceipt,
  toLanguage,
  type NewOutboundMessage,
  type ComplaintConversation,
  type OutboundMessageRow,
  type OutboundStatus,
  type DeliveryReceipt,
} from './outbound-messages.js';
export { setApiClientCallback, findApiClientCallback, type ApiClientCallback } from './api-client-callbacks.js';
export { findCustomerComplaintStatus, findComplaintStage, type ComplaintStatusRow } from './dialog-complaints.js';
export { lockConversation, saveConversationState, listConversationsInDialog, type LockedConversation } from './conversations.js';
export {
  listWebChatMailbox,
  acknowledgeWebChatMessages,
  formatMailboxCursor,
  parseMailboxCursor,
  type MailboxCursor,
  type MailboxEntry,
} from './webchat-mailbox.js';
export { insertAttachments, listAttachments, findAttachment, type NewAttachment, type AttachmentSummary, type StoredAttachment } from './attachments.js';
export { queryDashboardFigures, type DashboardFigures, type DashboardFiguresQuery, type DashboardInterval, type TeamLoad, type VolumeBucket, type SatisfactionBucket } from './dashboard.js';

/**
 * The embedded database. PGlite (a WebAssembly PostgreSQL, ≈40 MB once loaded) is imported only by a process that
 * opens one, not by every process that uses the store (`ombuds import` on PostgreSQL stays lean).
 */
export async function createPgliteDatabase(config: import('./pglite-database.js').PgliteConfig): Promise<import('./database.js').Database> {
  const { createPgliteDatabase: create } = await import('./pglite-database.js');
  return create(config);
}
