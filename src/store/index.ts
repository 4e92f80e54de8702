/** PostgreSQL access (pg in production, PGlite embedded): migrations and repositories. Exported by name. */
export type { Database, Queryable, QueryResult } from './database.js';
export { createPostgresDatabase, type PostgresConfig } from './postgres-database.js';
export { createPgliteDatabase, type PgliteConfig } from './pglite-database.js';
export { migrate, loadMigrations, type Migration } from './migrate.js';
export { appendEvents, listEvents, verifyChain, hashEvent, type AuditEvent, type AuditEventInput, type ChainVerdict, type ChainHead } from './audit-trail.js';
export { insertInboundBatch, listPendingInbound, type NewInboundMessage, type AcceptedRow } from './inbound-messages.js';
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
  markInboundProcessed,
  markInboundFailed,
  findComplaint,
  listComplaintMessages,
  type InboundMessageRow,
  type ComplaintRow,
  type MessageSummaryRow,
} from './complaints.js';
export { listWorkQueue, claimNextWorkItem, type WorkItem } from './work-queue.js';
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
