/**
 * The refusals of the staff workflow, each with a stable code: an action the stage does not allow (with the ones it
 * does), a closed complaint, four eyes, idempotency-key reuse, a clock that cannot be extended or paused.
 */
import { OmbudsError } from '../shared/errors.js';

export class IllegalTransition extends OmbudsError {
  constructor(action: string, stage: string, allowed: readonly string[]) {
    super('ILLEGAL_TRANSITION', `"${action}" is not allowed in stage "${stage}". Allowed now: ${allowed.join(', ') || 'none'}.`, {
      httpStatus: 409,
      details: allowed.map((name) => ({ path: 'allowedActions', message: name })),
    });
  }
}

export class ComplaintClosed extends OmbudsError {
  constructor(reference: string) {
    super('COMPLAINT_CLOSED', `Complaint ${reference} is closed; reopen it first.`, { httpStatus: 409, details: [{ path: 'allowedActions', message: 'reopen' }] });
  }
}

export class FourEyesRequired extends OmbudsError {
  constructor() {
    super('FOUR_EYES_REQUIRED', 'A resolution must be approved or rejected by someone other than its proposer.', { httpStatus: 403 });
  }
}

export class IdempotencyKeyReused extends OmbudsError {
  constructor() {
    super('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with a different request.', { httpStatus: 422 });
  }
}

/** A clock change the regime does not allow (an unknown extension, a pause reason it does not recognise, …). */
export class ClockChangeRefused extends OmbudsError {
  constructor(code: 'EXTENSION_NOT_ALLOWED' | 'PAUSE_NOT_ALLOWED' | 'NOTHING_PAUSED' | 'CLOCK_NOT_FOUND' | 'NOTHING_TO_ACKNOWLEDGE', message: string) {
    super(code, message, { httpStatus: 409 });
  }
}

export class AssigneeInvalid extends OmbudsError {
  constructor(message: string) {
    super('ASSIGNEE_INVALID', message, { httpStatus: 422 });
  }
}
