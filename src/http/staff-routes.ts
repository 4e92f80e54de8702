/**
 * The staff API, first part: the work queue (with the console's scopes, filters and search), claiming the next
 * ticket, one complaint's full view (record with the customer's contacts masked, messages, audit trail), revealing
 * the contacts (audited), and the reply templates. Every route needs a staff principal; agents see only their teams
 * and their own tickets.
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import {
  ClaimBody,
  ConsoleQueueQuery,
  ContactRevealBody,
  ReplyTemplate,
  type ClaimResponse,
  type ComplaintView,
  type ConsoleQueueResponse,
  type ContactRevealed,
  type QueueItem,
  type ReplyTemplateList,
  type StaffMember,
} from '../contracts/index.js';
import type { Clock } from '../shared/clock.js';
import { NotFound, PayloadInvalid } from '../shared/errors.js';
import { listReplyTemplates, type Assignment, type Workflow } from '../handling/index.js';
import {
  appendEvents,
  consoleQueueSearchOf,
  findComplaint,
  listComplaintMessages,
  listConsoleQueue,
  listEvents,
  lockComplaintForAction,
  type ComplaintRow,
  type Database,
  type Queryable,
  type WorkItem,
} from '../store/index.js';
import type { Authenticator } from './authentication.js';
import { teamsVisibleTo } from './authentication.js';
import { maskContact, withMaskedContacts } from './contact-masking.js';
import { jsonBody } from './json-body.js';

/** What the console's queue needs beyond the database. */
export interface StaffConsoleOptions {
  /** The warning point the console turns amber at: the largest TIMER_WARNING_POINTS fraction; null: none. */
  warningFraction: number | null;
  /** Intake's identifier hash, to find phone numbers and e-mails the customer wrote; null: identities only. */
  hashIdentifier: ((type: string, value: string) => string) | null;
}

/** `GET /v1/templates` query. */
export const TemplatesQuery = z.strictObject({ language: ReplyTemplate.shape.language, purpose: ReplyTemplate.shape.purpose.optional() });

function toQueueItem(item: WorkItem): QueueItem {
  return {
    ...item,
    dueAt: item.dueAt?.toISOString() ?? null,
    receivedAt: item.receivedAt.toISOString(),
  };
}

export function zodDetails(issues: { path: PropertyKey[]; message: string }[]) {
  return issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(body)', message: issue.message }));
}

/**
 * An agent sees the complaints of their teams and those assigned to them; others answer 404, not 403, so
 * references cannot be probed.
 */
export function isVisibleTo(staff: StaffMember, complaint: { team: string | null; assignee: string | null }): boolean {
  return staff.role !== 'agent' || complaint.assignee === staff.id || (complaint.team !== null && staff.teams.includes(complaint.team));
}

/** The complaint (by id or reference) if `staff` may see it; NotFound otherwise. */
export async function findVisibleComplaint(database: Queryable, idOrReference: string, staff: StaffMember): Promise<ComplaintRow> {
  const complaint = await findComplaint(database, idOrReference);
  if (!complaint || !isVisibleTo(staff, complaint)) throw new NotFound(`Complaint ${idOrReference}`);
  return complaint;
}

export function staffRoutes(deps: {
  database: Database;
  assignment: Assignment;
  workflow: Workflow;
  authenticator: Authenticator;
  bodyLimitBytes: number;
  clock: Clock;
  console?: StaffConsoleOptions;
}): Router {
  const router = Router();
  const staffOf = (response: Response) => response.locals.staff as StaffMember;
  const consoleOptions: StaffConsoleOptions = deps.console ?? { warningFraction: null, hashIdentifier: null };

  router.use(['/v1/staff', '/v1/complaints', '/v1/templates'], async (request: Request, response: Response, next) => {
    response.locals.staff = await deps.authenticator.staff(request);
    next();
  });

  router.get('/v1/staff/queue', async (request, response) => {
    const parsed = ConsoleQueueQuery.safeParse(request.query);
    if (!parsed.success) throw new PayloadInvalid('Invalid query parameters.', zodDetails(parsed.error.issues));
    const query = parsed.data;
    const staff = staffOf(response);
    const items = await listConsoleQueue(
      deps.database,
      {
        scope: query.scope,
        teams: teamsVisibleTo(staff, query.team),
        teamRequested: query.team !== undefined,
        staffId: staff.id,
        limit: query.limit,
        ...(query.channel ? { channel: query.channel } : {}),
        ...(query.urgency ? { urgency: query.urgency } : {}),
        ...(query.flag ? { flag: query.flag } : {}),
        ...(query.stage ? { stage: query.stage } : {}),
        ...(query.language ? { language: query.language } : {}),
        ...(query.q ? { search: consoleQueueSearchOf(query.q, consoleOptions.hashIdentifier) } : {}),
      },
      { warningFraction: consoleOptions.warningFraction },
    );
    const body: ConsoleQueueResponse = { items };
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
    const staff = staffOf(response);
    const complaint = await findVisibleComplaint(deps.database, request.params.id, staff);
    const [messages, events, state] = await Promise.all([
      listComplaintMessages(deps.database, complaint.id),
      listEvents(deps.database, complaint.id),
      deps.workflow.describe(complaint.id, staff),
    ]);
    const body: ComplaintView = {
      id: complaint.id,
      reference: complaint.reference,
      stage: complaint.stage as ComplaintView['stage'],
      // Contacts are shown masked; POST …/contact/reveal shows them, on the record.
      record: complaint.record ? withMaskedContacts(complaint.record) : null,
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

  router.post('/v1/complaints/:id/contact/reveal', ...jsonBody(deps.bodyLimitBytes), async (request, response) => {
    const parsed = ContactRevealBody.safeParse(request.body ?? {});
    if (!parsed.success) throw new PayloadInvalid('Invalid reveal request.', zodDetails(parsed.error.issues));
    const staff = staffOf(response);
    const { index } = parsed.data;
    const id = String(request.params.id);
    const body = await deps.database.transaction(async (tx): Promise<ContactRevealed> => {
      // The lock orders this audit event with concurrent actions on the complaint (one hash chain).
      const locked = await lockComplaintForAction(tx, id);
      const complaint = locked ? await findComplaint(tx, locked.id) : null;
      if (!complaint || !isVisibleTo(staff, complaint)) throw new NotFound(`Complaint ${id}`);
      const all = (complaint.record?.customer.contacts ?? []).map((contact, position) => ({ ...contact, index: position }));
      const contacts = index === undefined ? all : all.filter((contact) => contact.index === index);
      if (index !== undefined && contacts.length === 0) throw new NotFound(`Contact ${String(index)} of complaint ${complaint.reference}`);
      if (contacts.length > 0) {
        // Which contacts (by position, type and masked value): the audit trail never holds the contact itself.
        const revealed = contacts.map((contact) => ({ index: contact.index, type: contact.type, masked: maskContact(contact).value, ...(contact.channel ? { channel: contact.channel } : {}) }));
        await appendEvents(tx, [{ complaintId: complaint.id, type: 'contact.revealed', actor: `staff:${staff.id}`, data: { contacts: revealed }, at: deps.clock.now() }]);
      }
      return { contacts };
    });
    response.setHeader('Cache-Control', 'no-store');
    response.json(body);
  });

  router.get('/v1/templates', (request, response) => {
    const parsed = TemplatesQuery.safeParse(request.query);
    if (!parsed.success) throw new PayloadInvalid('Invalid query parameters.', zodDetails(parsed.error.issues));
    const body: ReplyTemplateList = {
      items: listReplyTemplates({ language: parsed.data.language, ...(parsed.data.purpose ? { purpose: parsed.data.purpose } : {}) }),
    };
    response.json(body);
  });

  return router;
}
