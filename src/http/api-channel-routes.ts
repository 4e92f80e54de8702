/**
 * `POST /v1/messages`: the API channel. Authenticated by the app's key; answers 202 with the message id and the
 * complaint reference once the message is committed, or 200 with the same for a duplicate.
 */
import { Router } from 'express';
import { apiChannel } from '../adapters/index.js';
import type { ApiMessageAccepted } from '../contracts/index.js';
import type { Clock } from '../shared/clock.js';
import { PayloadInvalid } from '../shared/errors.js';
import type { Intake } from '../intake/index.js';
import type { AppPrincipal, Authenticator } from './authentication.js';
import { jsonBody } from './json-body.js';

export function apiChannelRoutes(deps: { intake: Intake; authenticator: Authenticator; clock: Clock; bodyLimitBytes: number }): Router {
  const router = Router();
  router.post(
    '/v1/messages',
    async (request, response, next) => {
      // Authenticate before reading the body: an unauthenticated sender cannot make us parse 256 KB.
      const principal: AppPrincipal = await deps.authenticator.app(request);
      response.locals.appPrincipal = principal;
      next();
    },
    ...jsonBody(deps.bodyLimitBytes),
    async (request, response) => {
      const principal = response.locals.appPrincipal as AppPrincipal;
      const parsed = apiChannel.parseApiMessage(request.body);
      if (parsed.kind === 'invalid') throw new PayloadInvalid('The message does not match the schema.', parsed.details);
      const message = apiChannel.normalizeApiMessage(parsed.body, principal, deps.clock.now());
      const result = await deps.intake.accept(message);
      const answer: ApiMessageAccepted = {
        messageId: result.messageId,
        complaintReference: result.reference ?? '',
        duplicate: result.duplicate,
      };
      response.status(result.duplicate ? 200 : 202).json(answer);
    },
  );
  return router;
}
