/**
 * The staff console's part of the staff API in the OpenAPI document (issue 8, decision 0014): the queue's scopes,
 * filters and search, the live queue events, a complaint's timeline, revealing contacts, and reply templates. Their
 * schemas come from src/contracts/console.ts; openapi.ts merges these path items over its own (the queue's
 * replaces the older description of `GET /v1/staff/queue`).
 */
import type { z } from 'zod';
import { ConsoleQueueItem, ConsoleQueueResponse, ContactRevealBody, ContactRevealed, QueueEvent, ReplyTemplate, ReplyTemplateList, TimelineEntry, TimelineView } from '../contracts/index.js';

type JsonObject = Record<string, unknown>;

export const STAFF_CONSOLE_INPUT_SCHEMAS: Record<string, z.ZodType> = { ContactRevealBody };
export const STAFF_CONSOLE_OUTPUT_SCHEMAS: Record<string, z.ZodType> = {
  ConsoleQueueItem,
  ConsoleQueueResponse,
  QueueEvent,
  TimelineEntry,
  TimelineView,
  ContactRevealed,
  ReplyTemplate,
  ReplyTemplateList,
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const jsonContent = (name: string) => ({ 'application/json': { schema: ref(name) } });
const errorResponse = (description: string) => ({ description, content: jsonContent('Error') });
const idParameter = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'The complaint id (uuid) or reference (CMP-…).' };
const query = (name: string, schema: JsonObject, description: string) => ({ name, in: 'query', required: false, schema, description });

const COMMON_ERRORS = {
  '401': errorResponse('No staff key and no console session (`UNAUTHENTICATED`).'),
  '503': errorResponse('The database is unreachable (`STORE_UNAVAILABLE`); retry later.'),
};
const NOT_VISIBLE = { '404': errorResponse('No such complaint, or not visible to you (agents: outside your teams and assignments) (`NOT_FOUND`).') };

const QUEUE_PARAMETERS = [
  query('scope', { type: 'string', enum: ['team', 'mine', 'all'], default: 'team' }, '`team`: unassigned tickets of your teams (as before); `mine`: open tickets assigned to you; `all`: every open ticket of your teams, and yours.'),
  query('team', { type: 'string' }, 'Only this team (agents: one of their own; with `mine` and `all`, also leaves out your tickets of other teams).'),
  query('channel', { type: 'string', pattern: '^[a-z][a-z0-9_]{1,31}$' }, 'Only complaints that came in on this channel (`wechat`, `hotline`, …).'),
  query('urgency', { type: 'string', enum: ['low', 'medium', 'high', 'critical'] }, 'Only this urgency.'),
  query('flag', { type: 'string' }, 'Only complaints carrying this flag (`vulnerable_customer`, `regulator_threat`, …).'),
  query('stage', { type: 'string' }, 'Only complaints in this stage.'),
  query('language', { type: 'string', enum: ['en', 'zh'] }, 'Only complaints in this language.'),
  query(
    'q',
    { type: 'string', minLength: 1, maxLength: 200 },
    'A reference (`CMP-2026-000123`, or its number `123`), part of the customer’s name, or their phone number or e-mail address — those the channel gave and those they wrote (found by their salted hash; written with or without +86).',
  ),
  query('limit', { type: 'integer', minimum: 1, maximum: 200, default: 50 }, 'At most this many rows.'),
];

/** Path items of the console's staff API; `events` when the live queue is mounted. */
export function staffConsolePathItems(options: { events: boolean }): Record<string, JsonObject> {
  return {
    '/v1/staff/queue': {
      get: {
        summary: 'The work queue: by urgency, then earliest deadline, with scopes, filters and search',
        description:
          'Filters combine with AND. Each row carries `warnAt` (when its earliest open clock reaches the last TIMER_WARNING_POINTS point: amber) besides `dueAt` (when it breaches: red), the customer’s `language` and `customerName`. Agents see only their teams and their own tickets. A client that sends only `team` and `limit` gets what it always got (the rows have more fields).',
        operationId: 'listQueue',
        security: [{ staffKey: [] }],
        parameters: QUEUE_PARAMETERS,
        responses: {
          '200': { description: 'The queue, most urgent first.', content: jsonContent('ConsoleQueueResponse') },
          '400': errorResponse('Invalid query parameters (`PAYLOAD_INVALID`, with details: which parameter and why).'),
          '403': errorResponse('An agent asked for a team they are not in (`FORBIDDEN`).'),
          ...COMMON_ERRORS,
        },
      },
    },
    ...(options.events
      ? {
          '/v1/staff/events': {
            get: {
              summary: 'The live queue: Server-Sent Events when a queue you see changes',
              description:
                'Event `queue` (data: `QueueEvent`) when a complaint of a team you see (agents: your teams and your own tickets; others: every team, or `team`) is registered or joined by a message, claimed, assigned, changed by an action, warned or breached. Re-read the queue on each event: hints are at most once, so also re-read on reconnection and every 60 s. A `: ping` comment comes every 25 s; the server ends a stream after 30 minutes (EventSource reconnects, with your credentials checked again). Each process holds at most STAFF_EVENTS_MAX_STREAMS streams.',
              operationId: 'streamStaffEvents',
              security: [{ staffKey: [] }],
              parameters: [query('team', { type: 'string' }, 'Only this team’s complaints (agents: one of their own).')],
              responses: {
                '200': { description: 'An event stream.', content: { 'text/event-stream': { schema: { type: 'string' } } } },
                '400': errorResponse('Invalid query parameters (`PAYLOAD_INVALID`).'),
                '403': errorResponse('An agent asked for a team they are not in (`FORBIDDEN`).'),
                '401': COMMON_ERRORS['401'],
                '503': errorResponse('This server holds STAFF_EVENTS_MAX_STREAMS streams already (`TOO_MANY_STREAMS`, with `Retry-After`), or the database is unreachable.'),
              },
            },
          },
        }
      : {}),
    '/v1/complaints/{id}/timeline': {
      get: {
        summary: 'A complaint’s whole conversation across channels, oldest first',
        description:
          'Entries of kind `customer` (what they sent; a hotline call with its `transcript`, turn by turn with speakers), `bot` (automatic replies: dialog, acknowledgement, survey…), `agent` (staff replies, information requests, final responses, with the staff member’s name as `author`), `note` (internal notes) and `system` (registration and stage changes). Texts are as stored: redacted at intake.',
        operationId: 'getComplaintTimeline',
        security: [{ staffKey: [] }],
        parameters: [idParameter],
        responses: { '200': { description: 'The timeline.', content: jsonContent('TimelineView') }, ...NOT_VISIBLE, ...COMMON_ERRORS },
      },
    },
    '/v1/complaints/{id}/contact/reveal': {
      post: {
        summary: 'Show the customer’s contacts unmasked (recorded in the audit trail)',
        description:
          '`GET /v1/complaints/{id}` shows contacts masked (`+86 138****5678`, `j***@example.com`). This answers them in full — all of them, or the one at `index` of `record.customer.contacts` — and appends `contact.revealed` to the audit trail: who, and which contacts (position, type, masked value).',
        operationId: 'revealComplaintContacts',
        security: [{ staffKey: [] }],
        parameters: [idParameter],
        requestBody: { required: false, content: jsonContent('ContactRevealBody') },
        responses: {
          '200': { description: 'The contacts.', headers: { 'Cache-Control': { description: '`no-store`.', schema: { type: 'string' } } }, content: jsonContent('ContactRevealed') },
          '400': errorResponse('Invalid body (`PAYLOAD_INVALID`, with details).'),
          ...NOT_VISIBLE,
          '413': errorResponse('Body larger than BODY_LIMIT_BYTES (`PAYLOAD_TOO_LARGE`).'),
          '415': errorResponse('Not `application/json` (`UNSUPPORTED_MEDIA_TYPE`).'),
          ...COMMON_ERRORS,
        },
      },
    },
    '/v1/templates': {
      get: {
        summary: 'Reply templates in the customer’s language',
        description: 'Starting points for a reply, a request for information, a proposed resolution or a final response, in English or Chinese. Fill in `{{reference}}`, `{{customerName}}` and `{{dueDate}}`.',
        operationId: 'listReplyTemplates',
        security: [{ staffKey: [] }],
        parameters: [
          { name: 'language', in: 'query', required: true, schema: { type: 'string', enum: ['en', 'zh'] }, description: 'The customer’s language.' },
          query('purpose', { type: 'string', enum: ReplyTemplate.shape.purpose.options }, 'Only templates for this purpose.'),
        ],
        responses: {
          '200': { description: 'The templates.', content: jsonContent('ReplyTemplateList') },
          '400': errorResponse('Missing or unknown `language`, unknown `purpose` (`PAYLOAD_INVALID`, with details).'),
          ...COMMON_ERRORS,
        },
      },
    },
  };
}
