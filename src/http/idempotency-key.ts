/**
 * The optional `Idempotency-Key` request header of the staff API's writes (actions, assisted intake): 1–200 visible
 * ASCII characters, else 400 PAYLOAD_INVALID before anything is done.
 */
import type { Request } from 'express';
import { PayloadInvalid } from '../shared/errors.js';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/** The request's Idempotency-Key, undefined when it sent none; throws PayloadInvalid when it is malformed. */
export function idempotencyKeyOf(request: Request): string | undefined {
  const key = request.get('idempotency-key');
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    throw new PayloadInvalid('Idempotency-Key must be 1–200 visible ASCII characters.', [{ path: 'Idempotency-Key', message: 'invalid' }]);
  }
  return key;
}
