/** Intake: accept (dedupe, redact, persist, enqueue), the intake worker, record building and the reconciler. */
export { createIntake, type Intake, type IntakeWithParts, type IntakeConfig, type AcceptResult } from './accept.js';
export { createMessageParts, joinParts, type MessageParts, type MessagePartsConfig, type PartAcceptResult } from './message-parts.js';
export { createIntakeProcessor, type IntakeProcessorConfig } from './intake-processor.js';
export type { ComplaintRegistrar, FollowUpClaimer, StaffNotifier } from './ports.js';
export { createCallAttachment, referencesIn, type CallAttachment, type AttachedCall } from './call-attachment.js';
export { createCallContents, type CallContents, type KnownCall } from './call-contents.js';
export { createDialogRunner, reconcileIdleDialogs, type DialogRunner, type DialogRunnerConfig, type DialogServices, type DialogChannel } from './dialog-runner.js';
export { createReconciler, type Reconciler, type ReconcilerConfig } from './reconciler.js';
export { buildRecord, summarize } from './record-builder.js';
export { silentIntakeObserver, type IntakeObserver } from './intake-observer.js';
export { createGroupCommit, type GroupCommit, type GroupCommitOptions } from './group-commit.js';
export { createAssistedIntake, type AssistedIntake, type AssistedIntakeConfig, type AssistedIntakeRequest, type AssistedIntakeOutcome } from './assisted-intake.js';
