/**
 * A complaint's attachments (issue 8, decision 0014): `GET /v1/complaints/{id}/attachments` lists them and
 * `GET /v1/complaints/{id}/attachments/{attachmentId}` serves one, to whoever may see the complaint (agents: their
 * teams' and their own; others answer 404, as the complaint does). A file is served as a download that a browser
 * neither sniffs nor runs: `Content-Disposition: attachment`, `nosniff`, `Content-Security-Policy: sandbox`.
 */
import { Router, type Request, type Response } from 'express';
import type { ComplaintAttachmentList, StaffMember } from '../contracts/index.js';
import { NotFound } from '../shared/errors.js';
import { findAttachment, listAttachments, type ComplaintRow, type Database } from '../store/index.js';
import type { Authenticator } from './authentication.js';
import { findVisibleComplaint } from './staff-routes.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `filename="…"` in plain ASCII (quotes and controls replaced) and `filename*` with the real name (RFC 6266). */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export function attachmentRoutes(deps: { database: Database; authenticator: Authenticator }): Router {
  const router = Router();

  /** The complaint, when this staff member may see it (the rule of `GET /v1/complaints/{id}`); else 404. */
  async function visibleComplaint(request: Request<{ id: string }>): Promise<{ complaint: ComplaintRow; staff: StaffMember }> {
    const staff = await deps.authenticator.staff(request);
    return { complaint: await findVisibleComplaint(deps.database, request.params.id, staff), staff };
  }

  router.get('/v1/complaints/:id/attachments', async (request: Request<{ id: string }>, response: Response) => {
    const { complaint } = await visibleComplaint(request);
    const attachments = await listAttachments(deps.database, complaint.id);
    const body: ComplaintAttachmentList = {
      items: attachments.map((attachment) => ({ id: attachment.id, name: attachment.name, contentType: attachment.contentType, size: attachment.size })),
    };
    response.json(body);
  });

  router.get('/v1/complaints/:id/attachments/:attachmentId', async (request: Request<{ id: string; attachmentId: string }>, response: Response) => {
    const { complaint } = await visibleComplaint(request);
    const attachment = UUID.test(request.params.attachmentId) ? await findAttachment(deps.database, complaint.id, request.params.attachmentId) : null;
    if (!attachment) throw new NotFound(`Attachment ${request.params.attachmentId}`);
    response.setHeader('Content-Type', attachment.contentType);
    response.setHeader('Content-Length', String(attachment.content.length));
    response.setHeader('Content-Disposition', contentDisposition(attachment.name));
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Content-Security-Policy', 'sandbox');
    response.setHeader('Cache-Control', 'private, no-store');
    response.end(attachment.content);
  });

  return router;
}
