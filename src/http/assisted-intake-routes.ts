/**
 * `POST /v1/complaints` (issue 8 item 4, decision 0014): a complaint made at a branch, by letter, by e-mail or on an
 * untranscribed call, recorded by staff on the customer's behalf (any staff role; staff key or console session).
 * Authenticated before the body is read; the body (attachments base64 inside) is limited by
 * ASSISTED_INTAKE_BODY_LIMIT_BYTES (413). Answers 201 with the reference and the due date to hand to the customer.
 * An optional `Idempotency-Key` makes a repeat answer the first answer (`Idempotent-Replayed: true`).
 */
import { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import { AssistedComplaintBody, type StaffMember } from '../contracts/index.js';
import { IdempotencyKeyReused } from '../handling/index.js';
import type { AssistedIntake } from '../intake/index.js';
import { sha256Hex } from '../shared/crypto.js';
import { PayloadInvalid, PayloadTooLarge } from '../shared/errors.js';
import { canonicalJson } from '../shared/json.js';
import type { Authenticator } from './authentication.js';
import { idempotencyKeyOf } from './idempotency-key.js';
import { jsonBody } from './json-body.js';

export const ASSISTED_COMPLAINTS_PATH = '/v1/complaints';
export interface AssistedIntakeRouteOptions {
  authenticator: Authenticator;
  assistedIntake: AssistedIntake;
  bodyLimitBytes: number;
}

/** body-parser's "too large" names this route's limit, not the server's default one. */
function tooLargeWithLimit(limitBytes: number): ErrorRequestHandler {
  return (error: unknown, _request, _response, next) => {
    const tooLarge = typeof error === 'object' && error !== null && (error as { type?: unknown }).type === 'entity.too.large';
    next(tooLarge ? new PayloadTooLarge(limitBytes) : error);
  };
}

export function assistedIntakeRoutes(deps: AssistedIntakeRouteOptions): Router {
  const router = Router();
  router.post(
    ASSISTED_COMPLAINTS_PATH,
    async (request: Request, response: Response, next) => {
      response.locals.staff = await deps.authenticator.staff(request);
      next();
    },
    ...jsonBody(deps.bodyLimitBytes),
    async (request: Request, response: Response) => {
      const staff = response.locals.staff as StaffMember;
      const parsed = AssistedComplaintBody.safeParse(request.body);
      if (!parsed.success) {
        throw new PayloadInvalid(
          'Invalid complaint.',
          parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(body)', message: issue.message })),
        );
      }
      const key = idempotencyKeyOf(request);
      const outcome = await deps.assistedIntake.record({
        body: parsed.data,
        staff: { id: staff.id, username: staff.username },
        ...(key === undefined ? {} : { idempotency: { key, requestHash: sha256Hex(canonicalJson({ route: 'POST /v1/complaints', body: request.body as unknown })) } }),
      });
      if (outcome.outcome === 'key_reused') throw new IdempotencyKeyReused();
      if (outcome.outcome === 'replayed') response.setHeader('Idempotent-Replayed', 'true');
      response.setHeader('Location', `${ASSISTED_COMPLAINTS_PATH}/${outcome.body.id}`);
      response.status(outcome.status).json(outcome.body);
    },
  );
  router.use(ASSISTED_COMPLAINTS_PATH, tooLargeWithLimit(deps.bodyLimitBytes));
  return router;
}
