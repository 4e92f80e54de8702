/**
 * `/v1/callback`: where an API-channel app receives customer-facing messages (decision 0009). Authenticated by the
 * app's key. `PUT` registers the URL and answers a new signing secret (shown once: each PUT rotates it), `GET`
 * shows the URL, `DELETE` removes the callback (messages then fail at once, visibly on the complaint: see send.ts).
 * A URL on localhost or a non-public IP literal is refused (400 CALLBACK_URL_NOT_PUBLIC) unless private networks
 * are allowed (OUTBOUND_ALLOW_PRIVATE_NETWORKS); a name is checked again, resolved, at every delivery.
 */
import { randomBytes } from 'node:crypto';
import { Router, type Response } from 'express';
import { CallbackRegistration } from '../contracts/index.js';
import { NotFound, OmbudsError, PayloadInvalid } from '../shared/errors.js';
import { nonPublicHostReason } from '../shared/outbound-address.js';
import { findApiClientCallback, setApiClientCallback, type Database } from '../store/index.js';
import type { AppPrincipal, Authenticator } from './authentication.js';
import { jsonBody } from './json-body.js';

export const CALLBACK_SECRET_PREFIX = 'whsec_';

/** A new signing secret: `whsec_` and 32 random bytes, base64url. */
export function generateCallbackSecret(): string {
  return `${CALLBACK_SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function callbackRoutes(deps: { database: Database; authenticator: Authenticator; bodyLimitBytes: number; allowPrivateNetworks?: boolean }): Router {
  const router = Router();
  const appOf = (response: Response) => response.locals.appPrincipal as AppPrincipal;

  // Authenticate before reading any body.
  router.use('/v1/callback', async (request, response, next) => {
    response.locals.appPrincipal = await deps.authenticator.app(request);
    next();
  });

  router.put('/v1/callback', ...jsonBody(deps.bodyLimitBytes), async (request, response) => {
    const parsed = CallbackRegistration.safeParse(request.body);
    if (!parsed.success) {
      throw new PayloadInvalid(
        'The callback registration does not match the schema.',
        parsed.error.issues.slice(0, 20).map((issue) => ({ path: issue.path.map(String).join('.') || '(body)', message: issue.message })),
      );
    }
    const notPublic = deps.allowPrivateNetworks ? null : nonPublicHostReason(new URL(parsed.data.url).hostname);
    if (notPublic) {
      throw new OmbudsError('CALLBACK_URL_NOT_PUBLIC', 'The callback URL must reach a public address: Ombuds does not POST to this machine or to private networks.', {
        httpStatus: 400,
        details: [{ path: 'url', message: notPublic }],
      });
    }
    const signingSecret = generateCallbackSecret();
    const updated = await setApiClientCallback(deps.database, appOf(response).id, { url: parsed.data.url, secret: signingSecret });
    if (!updated) throw new NotFound('The app');
    response.setHeader('Cache-Control', 'no-store');
    response.json({ url: parsed.data.url, signingSecret });
  });

  router.get('/v1/callback', async (_request, response) => {
    const callback = await findApiClientCallback(deps.database, appOf(response).id);
    if (!callback) throw new NotFound('A callback for this app');
    response.json({ url: callback.url });
  });

  router.delete('/v1/callback', async (_request, response) => {
    await setApiClientCallback(deps.database, appOf(response).id, null);
    response.status(204).end();
  });

  return router;
}
