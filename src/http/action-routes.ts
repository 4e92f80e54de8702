/**
 * The staff workflow over HTTP: `POST /v1/complaints/{id}/actions` with one `ComplaintAction` (decision 0009).
 * Staff API key; an optional `Idempotency-Key` header makes a repeat answer with the first answer
 * (`Idempotent-Replayed: true`) instead of acting twice.
 */
import { Router, type Request, type Response } from 'express';
import { ComplaintAction, type StaffMember } from '../contracts/index.js';
import { canonicalJson } from '../shared/json.js';
import { sha256Hex } from '../shared/crypto.js';
import { PayloadInvalid } from '../shared/errors.js';
import type { Workflow } from '../handling/index.js';
import type { Authenticator } from './authentication.js';
import { idempotencyKeyOf } from './idempotency-key.js';
import { jsonBody } from './json-body.js';

function zodDetails(issues: { path: PropertyKey[]; message: string }[]) {
  return issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(body)', message: issue.message }));
}

export function actionRoutes(deps: { workflow: Workflow; authenticator: Authenticator; bodyLimitBytes: number }): Router {
  const router = Router();

  router.post('/v1/complaints/:id/actions', async (request: Request, _response: Response, next) => {
    _response.locals.staff = await deps.authenticator.staff(request);
    next();
  }, ...jsonBody(deps.bodyLimitBytes), async (request: Request<{ id: string }>, response: Response) => {
    const staff = response.locals.staff as StaffMember;
    const parsed = ComplaintAction.safeParse(request.body);
    if (!parsed.success) throw new PayloadInvalid('Invalid action.', zodDetails(parsed.error.issues));
    const key = idempotencyKeyOf(request);
    const outcome = await deps.workflow.act({
      complaint: request.params.id,
      action: parsed.data,
      staff,
      ...(key === undefined ? {} : { idempotency: { key, requestHash: sha256Hex(canonicalJson({ complaint: request.params.id, action: request.body as unknown })) } }),
    });
    if (outcome.replayed) response.setHeader('Idempotent-Replayed', 'true');
    response.status(outcome.status).json(outcome.body);
  });

  return router;
}
