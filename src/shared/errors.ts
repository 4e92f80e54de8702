/**
 * One error family: a stable `code`, an `httpStatus`, and whether a retry may succeed.
 * Recognise errors with {@link isOmbudsError}, not only `instanceof` (two copies of a module defeat it).
 */
const OMBUDS_ERROR = Symbol.for('ombuds.error');

export interface ErrorDetail {
  path: string;
  message: string;
}

export class OmbudsError extends Error {
  readonly [OMBUDS_ERROR] = true;
  readonly code: string;
  readonly httpStatus: number;
  readonly retryable: boolean;
  readonly details: ErrorDetail[] | undefined;

  constructor(
    code: string,
    message: string,
    options: { httpStatus: number; retryable?: boolean; details?: ErrorDetail[]; cause?: unknown },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.httpStatus = options.httpStatus;
    this.retryable = options.retryable ?? false;
    this.details = options.details;
  }
}

export function isOmbudsError(value: unknown): value is OmbudsError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[OMBUDS_ERROR] === true;
}

export class PayloadInvalid extends OmbudsError {
  constructor(message: string, details?: ErrorDetail[]) {
    super('PAYLOAD_INVALID', message, { httpStatus: 400, ...(details ? { details } : {}) });
  }
}

export class PayloadMalformed extends OmbudsError {
  constructor(message = 'The request body is not valid JSON.') {
    super('PAYLOAD_MALFORMED', message, { httpStatus: 400 });
  }
}

export class PayloadTooLarge extends OmbudsError {
  constructor(limitBytes: number) {
    super('PAYLOAD_TOO_LARGE', `The request body exceeds the limit of ${limitBytes} bytes.`, { httpStatus: 413 });
  }
}

export class UnsupportedMediaType extends OmbudsError {
  constructor(expected: string) {
    super('UNSUPPORTED_MEDIA_TYPE', `The request body must be ${expected}.`, { httpStatus: 415 });
  }
}

export class Unauthenticated extends OmbudsError {
  constructor(message = 'A valid API key is required (Authorization: Bearer <key>).') {
    super('UNAUTHENTICATED', message, { httpStatus: 401 });
  }
}

/** A webhook's signature or token does not verify: refused before anything is parsed or stored. */
export class SignatureInvalid extends OmbudsError {
  constructor(message = 'The request signature is missing or does not verify.') {
    super('SIGNATURE_INVALID', message, { httpStatus: 401 });
  }
}

/** A console sign-in failed: the same answer whatever was wrong (unknown user, wrong password or key, disabled account). */
export class InvalidCredentials extends OmbudsError {
  constructor() {
    super('INVALID_CREDENTIALS', 'The username and password, or the API key, are not valid.', { httpStatus: 401 });
  }
}

/** Too many failed sign-ins for this username or address: wait `retryAfterSeconds` (sent as Retry-After). */
export class TooManyAttempts extends OmbudsError {
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number) {
    super('TOO_MANY_ATTEMPTS', 'Too many failed sign-ins; try again later.', { httpStatus: 429 });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** A state-changing request made with the session cookie lacks the session's CSRF token, or comes from another origin. */
export class CsrfInvalid extends OmbudsError {
  constructor(message = 'This request needs the X-CSRF-Token header of your session, from the console\'s own origin.') {
    super('CSRF_INVALID', message, { httpStatus: 403 });
  }
}

export class Forbidden extends OmbudsError {
  constructor(message = 'Your role does not allow this.') {
    super('FORBIDDEN', message, { httpStatus: 403 });
  }
}

export class NotFound extends OmbudsError {
  constructor(what: string) {
    super('NOT_FOUND', `${what} was not found.`, { httpStatus: 404 });
  }
}

export class Conflict extends OmbudsError {
  constructor(code: string, message: string, details?: ErrorDetail[]) {
    super(code, message, { httpStatus: 409, ...(details ? { details } : {}) });
  }
}

/** The database cannot be reached: the sender should retry (503). */
export class StoreUnavailable extends OmbudsError {
  constructor(cause?: unknown) {
    super('STORE_UNAVAILABLE', 'The complaint store is unavailable; retry later.', {
      httpStatus: 503,
      retryable: true,
      cause,
    });
  }
}

/** The job queue cannot be reached. */
export class QueueUnavailable extends OmbudsError {
  constructor(cause?: unknown) {
    super('QUEUE_UNAVAILABLE', 'The job queue is unavailable.', { httpStatus: 503, retryable: true, cause });
  }
}

/** A configuration value is wrong; start-up stops. */
export class ConfigInvalid extends OmbudsError {
  constructor(message: string, details: ErrorDetail[]) {
    super('CONFIG_INVALID', message, { httpStatus: 500, details });
  }
}
