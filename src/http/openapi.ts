/**
 * The OpenAPI 3.1 document of the HTTP API, generated from the same zod schemas that validate requests
 * (contracts), so the description cannot drift from the behaviour. Served at /v1/openapi.json.
 */
import { z } from 'zod';
import {
  ApiMessageAccepted,
  ApiMessageBody,
  AuditEventView,
  ClaimBody,
  ClaimResponse,
  Classification,
  ComplaintRecord,
  ComplaintView,
  ErrorBody,
  MessageView,
  QueueItem,
  QueueResponse,
} from '../contracts/index.js';

type JsonObject = Record<string, unknown>;

/** Named components: each becomes `#/components/schemas/<name>`, and nested named ones are referenced, not inlined. */
function componentsOf(schemas: Record<string, z.ZodType>, io: 'input' | 'output'): Record<string, JsonObject> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
  const generated = z.toJSONSchema(registry, { io, unrepresentable: 'any', uri: (id) => `#/components/schemas/${id}` }).schemas;
  const out: Record<string, JsonObject> = {};
  for (const [id, schema] of Object.entries(generated)) {
    const { $schema: _schema, $id: _id, ...rest } = schema as JsonObject;
    out[id] = rest;
  }
  return out;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const jsonContent = (name: string) => ({ 'application/json': { schema: ref(name) } });
const errorResponse = (description: string) => ({ description, content: jsonContent('Error') });

const COMMON_ERRORS = {
  '401': errorResponse('Missing or wrong API key (`UNAUTHENTICATED`).'),
  '503': errorResponse('The database is unreachable (`STORE_UNAVAILABLE`); retry later.'),
};

export function buildOpenApiDocument(options: { version: string; serverUrl?: string }): JsonObject {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Ombuds API',
      version: options.version,
      description:
        'Omnichannel complaint intake for banks. The API channel (`/v1/messages`) is for the bank’s own apps; the staff API is for complaint handlers. Authenticate with `Authorization: Bearer <key>` (keys from `ombuds client add` and `ombuds staff add`).',
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    components: {
      securitySchemes: {
        appKey: { type: 'http', scheme: 'bearer', description: 'An API-channel key (`omb_app_…`).' },
        staffKey: { type: 'http', scheme: 'bearer', description: 'A staff key (`omb_staff_…`).' },
      },
      schemas: {
        ...componentsOf({ ApiMessageBody, ClaimBody }, 'input'),
        ...componentsOf(
          {
            ApiMessageAccepted,
            QueueItem,
            QueueResponse,
            ClaimResponse,
            MessageView,
            AuditEvent: AuditEventView,
            Classification,
            ComplaintRecord,
            ComplaintView,
            Error: ErrorBody,
          },
          'output',
        ),
      },
    },
    paths: {
      '/v1/messages': {
        post: {
          summary: 'Submit a customer message from one of the bank’s apps',
          operationId: 'postMessage',
          security: [{ appKey: [] }],
          requestBody: { required: true, content: jsonContent('ApiMessageBody') },
          responses: {
            '202': { description: 'Stored; the complaint reference is final.', content: jsonContent('ApiMessageAccepted') },
            '200': { description: 'A duplicate of a message already stored (same clientMessageId).', content: jsonContent('ApiMessageAccepted') },
            '400': errorResponse('Malformed JSON (`PAYLOAD_MALFORMED`) or a body that does not match the schema (`PAYLOAD_INVALID`, with details).'),
            '413': errorResponse('Body larger than BODY_LIMIT_BYTES (`PAYLOAD_TOO_LARGE`).'),
            '415': errorResponse('Not `application/json` (`UNSUPPORTED_MEDIA_TYPE`).'),
            ...COMMON_ERRORS,
          },
        },
      },
      '/v1/staff/queue': {
        get: {
          summary: 'The human work queue: unassigned tickets by urgency, then earliest deadline',
          operationId: 'listQueue',
          security: [{ staffKey: [] }],
          parameters: [
            { name: 'team', in: 'query', required: false, schema: { type: 'string' }, description: 'Only this team (agents: one of their own).' },
            { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
          ],
          responses: {
            '200': { description: 'The queue, most urgent first.', content: jsonContent('QueueResponse') },
            '400': errorResponse('Invalid query parameters.'),
            '403': errorResponse('An agent asked for a team they are not in.'),
            ...COMMON_ERRORS,
          },
        },
      },
      '/v1/staff/queue/claim': {
        post: {
          summary: 'Claim the next ticket (never the same ticket to two agents)',
          operationId: 'claimNext',
          security: [{ staffKey: [] }],
          requestBody: { required: false, content: jsonContent('ClaimBody') },
          responses: {
            '200': { description: 'The ticket now assigned to you.', content: jsonContent('ClaimResponse') },
            '204': { description: 'The queue is empty.' },
            '400': errorResponse('Invalid body.'),
            '403': errorResponse('An agent asked for a team they are not in.'),
            ...COMMON_ERRORS,
          },
        },
      },
      '/v1/complaints/{id}': {
        get: {
          summary: 'One complaint: record, messages and audit trail',
          operationId: 'getComplaint',
          security: [{ staffKey: [] }],
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'The complaint id (uuid) or reference (CMP-…).' }],
          responses: {
            '200': { description: 'The complaint.', content: jsonContent('ComplaintView') },
            '404': errorResponse('No such complaint (or not visible to you).'),
            ...COMMON_ERRORS,
          },
        },
      },
      '/healthz': { get: { summary: 'Liveness', responses: { '200': { description: 'The process answers.' } } } },
      '/readyz': {
        get: {
          summary: 'Readiness: database and queue reachable',
          responses: { '200': { description: 'Ready.' }, '503': { description: 'The database or the queue does not answer.' } },
        },
      },
      '/metrics': { get: { summary: 'Prometheus metrics', responses: { '200': { description: 'Text exposition format.' } } } },
    },
  };
}
