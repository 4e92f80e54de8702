/**
 * The staff API, first part: the work queue, claiming the next ticket, and one complaint's full view
 * (record, messages, audit trail). Every route needs a staff API key; agents see only their teams.
 */
import { Router, type Request, type Response } from 'express';
import { ClaimBody, QueueQuery, type ClaimResponse, type ComplaintView, type QueueItem, type QueueResponse, type StaffMember } from '../contracts/index.js';
import { NotFound, PayloadInvalid } from '../shared/errors.js';
import type { Assignment, Workflow } from '../handling/index.js';
import { findComplaint, listComplaintMessages, listEvents, type Database, type WorkItem } from '../store/index.js';
import type { Authenticator } from './authentication.js';
import { teamsVisibleTo } from './authentication.js';
import { jsonBody } from './json-body.js';

function toQueueItem(item: WorkItem): QueueItem {
  return {
    ...item,
    dueAt: item.dueAt?.toISOString() ?? null,
    receivedAt: item.receivedAt.toISOString(),
  };
}

function zodDetails(issues: { path: PropertyKey[]; message: string }[]) {
  return issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(body)', message: issue.message }));
}

export function staffRoutes(deps: { database: Database; assignment: Assignment; workflow: Workflow; authenticator: Authenticator; bodyLimitBytes: number }): Router {
  const router = Router();
  const staffOf = (response: Response) => response.locals.staff as StaffMember;

  router.use(['/v1/staff', '/v1/complaints'], async (request: Request, response: Response, next) => {
    response.locals.staff = await deps.authenticator.staff(request);
    next();
  });

  router.get('/v1/staff/queue', async (request, response) => {
    const parsed = QueueQuery.safeParse(request.query);
    if (!parsed.success) throw new PayloadInvalid('Invalid query parameters.', zodDetails(parsed.error.issues));
    const teams = teamsVisibleTo(staffOf(response), parsed.data.team);
    const items = await deps.assignment.list({ teams, limit: parsed.data.limit });
    const body: QueueResponse = { items: items.map(toQueueItem) };
    response.json(body);
  });

  router.post('/v1/staff/queue/claim', ...jsonBody(deps.bodyLimitBytes), async (request, response) => {
    const parsed = ClaimBody.safeParse(request.body ?? {});
    if (!parsed.success) throw new PayloadInvalid('Invalid claim request.', zodDetails(parsed.error.issues));
    const staff = staffOf(response);
    const teams = teamsVisibleTo(staff, parsed.data.team);
    const item = await deps.assignment.claimNext({ staffId: staff.id, teams });
    if (!item) {
      response.status(204).end();
      return;
    }
    const body: ClaimResponse = { complaint: toQueueItem(item) };
    response.json(body);
  });

  router.get('/v1/complaints/:id', async (request, response) => {
    const complaint = await findComplaint(deps.database, request.params.id);
    const staff = staffOf(response);
    // An agent sees the complaints of their teams and those assigned to them; others answer 404, not 403, so
    // references cannot be probed.
    const visible =
      complaint !== null &&
      (staff.role !== 'agent' || complaint.assignee === staff.id || (complaint.team !== null && staff.teams.includes(complaint.team)));
    if (!complaint || !visible) throw new NotFound(`Complaint ${request.params.id}`);
    const [messages, events, state] = await Promise.all([
      listComplaintMessages(deps.database, complaint.id),
      listEvents(deps.database, complaint.id),
      deps.workflow.describe(complaint.id, staff),
    ]);
    const body: ComplaintView = {
      id: complaint.id,
      reference: complaint.reference,
      stage: complaint.stage as ComplaintView['stage'],
      record: complaint.record,
      state,
      messages: messages.map((message) => ({
        ...message,
        sentAt: message.sentAt.toISOString(),
        receivedAt: message.receivedAt.toISOString(),
      })),
      events: events.map((event) => ({
        seq: event.seq,
        type: event.type,
        actor: event.actor,
        data: event.data,
        createdAt: event.at.toISOString(),
        hash: event.hash,
        prevHash: event.prevHash,
      })),
    };
    response.json(body);
  });

  return router;
}
