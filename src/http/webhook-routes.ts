/**
 * Downstream webhook subscriptions (the bank's helpdesk), admins only: register a URL for some or all complaint
 * events (the signing secret is shown once, in the 201), list them, and disable one. Deliveries are signed with
 * `Ombuds-Signature` (src/shared/signing.ts) and retried by the dispatch worker (src/handling/dispatch.ts). A URL on
 * localhost or a non-public IP literal is refused (400 WEBHOOK_URL_NOT_PUBLIC) unless private networks are allowed
 * (OUTBOUND_ALLOW_PRIVATE_NETWORKS); a name is checked again, resolved, at every delivery.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { ComplaintEventType, WebhookSubscriptionBody, type StaffMember } from '../contracts/index.js';
import type { Clock } from '../shared/clock.js';
import { Forbidden, NotFound, OmbudsError, PayloadInvalid } from '../shared/errors.js';
import { nonPublicHostReason } from '../shared/outbound-address.js';
import { disableWebhookSubscription, insertWebhookSubscription, listWebhookSubscriptions, type Database } from '../store/index.js';
import type { Authenticator } from './authentication.js';
import { jsonBody } from './json-body.js';

export interface WebhookSubscriptionCreated {
  id: string;
  url: string;
  events: string[];
  /** `whsec_…`: shown once; verifies the `Ombuds-Signature` header of every delivery. */
  signingSecret: string;
}

export interface WebhookSubscriptionView {
  id: string;
  url: string;
  events: string[];
  createdAt: string;
  disabledAt: string | null;
}

const SubscriptionId = z.uuid();

function zodDetails(issues: { path: PropertyKey[]; message: string }[]) {
  return issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(body)', message: issue.message }));
}

export function generateSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export function webhookRoutes(deps: { database: Database; authenticator: Authenticator; bodyLimitBytes: number; clock: Clock; allowPrivateNetworks?: boolean }): Router {
  const router = Router();

  router.use('/v1/webhooks', async (request: Request, response: Response, next) => {
    const staff: StaffMember = await deps.authenticator.staff(request);
    if (staff.role !== 'admin') throw new Forbidden('Only admins manage webhook subscriptions.');
    response.locals.staff = staff;
    next();
  });

  router.post('/v1/webhooks', ...jsonBody(deps.bodyLimitBytes), async (request, response) => {
    const parsed = WebhookSubscriptionBody.safeParse(request.body);
    if (!parsed.success) throw new PayloadInvalid('Invalid webhook subscription.', zodDetails(parsed.error.issues));
    const notPublic = deps.allowPrivateNetworks ? null : nonPublicHostReason(new URL(parsed.data.url).hostname);
    if (notPublic) {
      throw new OmbudsError('WEBHOOK_URL_NOT_PUBLIC', 'The webhook URL must reach a public address: Ombuds does not POST to this machine or to private networks.', {
        httpStatus: 400,
        details: [{ path: 'url', message: notPublic }],
      });
    }
    const events = [...new Set(parsed.data.events ?? ComplaintEventType.options)];
    const signingSecret = generateSigningSecret();
    const row = await insertWebhookSubscription(deps.database, {
      id: randomUUID(),
      url: parsed.data.url,
      secret: signingSecret,
      events,
      at: deps.clock.now(),
    });
    const body: WebhookSubscriptionCreated = { id: row.id, url: row.url, events: row.events, signingSecret };
    response.status(201).json(body);
  });

  router.get('/v1/webhooks', async (_request, response) => {
    const rows = await listWebhookSubscriptions(deps.database);
    const items: WebhookSubscriptionView[] = rows.map((row) => ({
      id: row.id,
      url: row.url,
      events: row.events,
      createdAt: row.createdAt.toISOString(),
      disabledAt: row.disabledAt?.toISOString() ?? null,
    }));
    response.json({ items });
  });

  router.delete('/v1/webhooks/:id', async (request, response) => {
    const id = request.params.id;
    const known = SubscriptionId.safeParse(id).success && (await disableWebhookSubscription(deps.database, id, deps.clock.now()));
    if (!known) throw new NotFound(`Webhook subscription ${id}`);
    response.status(204).end();
  });

  return router;
}
