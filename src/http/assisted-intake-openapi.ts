/**
 * Assisted intake and attachments in the OpenAPI document (assisted-intake-routes.ts, attachment-routes.ts): their
 * schemas (from src/contracts/console.ts) and path items, merged by openapi.ts.
 */
import type { z } from 'zod';
import { AssistedComplaintBody, AssistedComplaintCreated, ComplaintAttachmentList } from '../contracts/index.js';

type JsonObject = Record<string, unknown>;

export const ASSISTED_INPUT_SCHEMAS: Record<string, z.ZodType> = { AssistedComplaintBody };
export const ASSISTED_OUTPUT_SCHEMAS: Record<string, z.ZodType> = { AssistedComplaintCreated, ComplaintAttachmentList };

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: ref('Error') } } });
const complaintId = { name: 'id', in: 'path', required: true, description: 'The complaint’s id or reference.', schema: { type: 'string' } };

export function assistedIntakePathItems(): Record<string, JsonObject> {
  return {
    '/v1/complaints': {
      post: {
        summary: 'Record a complaint made at a branch, by letter, by e-mail or on an untranscribed call',
        description:
          'Staff (any role) record a complaint on the customer’s behalf. It is classified, routed and registered at once, like any complaint, with its clocks starting at `receivedAt` (when the customer complained: not more than 5 minutes ahead, not older than ASSISTED_INTAKE_MAX_BACKDATE_DAYS). Product, amount and incident date given here win over the classifier’s. Attachments are base64 (PDF, JPEG, PNG, TIFF; the bytes must be of the declared type), each at most ASSISTED_ATTACHMENT_MAX_BYTES decoded. Without `consent.contact` the record keeps no contacts and nothing is sent to the customer. With `Idempotency-Key`, a repeat answers the first answer (`Idempotent-Replayed: true`). Everything is written in one transaction.',
        operationId: 'createAssistedComplaint',
        security: [{ staffKey: [] }],
        parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, description: '1–200 visible ASCII characters.', schema: { type: 'string', maxLength: 200 } }],
        requestBody: { required: true, content: { 'application/json': { schema: ref('AssistedComplaintBody') } } },
        responses: {
          '201': {
            description: 'Registered: the reference and due date to give the customer.',
            headers: {
              Location: { description: 'The complaint (`/v1/complaints/{id}`).', schema: { type: 'string' } },
              'Idempotent-Replayed': { description: '`true` when this is the stored answer to an earlier request with the same Idempotency-Key.', schema: { type: 'string', enum: ['true'] } },
            },
            content: { 'application/json': { schema: ref('AssistedComplaintCreated') } },
          },
          '400': errorResponse('Malformed JSON, a body that does not match the schema or a bad Idempotency-Key (`PAYLOAD_INVALID`); `receivedAt` in the future (`RECEIVED_AT_IN_FUTURE`) or too old (`RECEIVED_AT_TOO_OLD`); an `incidentDate` after the day of receipt (`INCIDENT_DATE_AFTER_RECEIPT`); an attachment that is not base64 or not of its declared type (`ATTACHMENT_INVALID`). Nothing is stored.'),
          '401': errorResponse('Missing or wrong staff key or session (`UNAUTHENTICATED`).'),
          '413': errorResponse('Body larger than ASSISTED_INTAKE_BODY_LIMIT_BYTES (`PAYLOAD_TOO_LARGE`), or an attachment larger than ASSISTED_ATTACHMENT_MAX_BYTES (`ATTACHMENT_TOO_LARGE`).'),
          '415': errorResponse('Not `application/json` (`UNSUPPORTED_MEDIA_TYPE`).'),
          '422': errorResponse('The Idempotency-Key was used before with a different request (`IDEMPOTENCY_KEY_REUSED`).'),
        },
      },
    },
    '/v1/complaints/{id}/attachments': {
      get: {
        summary: 'The files attached to a complaint',
        operationId: 'listComplaintAttachments',
        security: [{ staffKey: [] }],
        parameters: [complaintId],
        responses: {
          '200': { description: 'The attachments, oldest first (without their bytes).', content: { 'application/json': { schema: ref('ComplaintAttachmentList') } } },
          '401': errorResponse('Missing or wrong staff key or session (`UNAUTHENTICATED`).'),
          '404': errorResponse('No such complaint, or not one of your teams’ (`NOT_FOUND`).'),
        },
      },
    },
    '/v1/complaints/{id}/attachments/{attachmentId}': {
      get: {
        summary: 'One attached file, as a download',
        description: 'Served with its content type, `Content-Disposition: attachment`, `X-Content-Type-Options: nosniff` and `Content-Security-Policy: sandbox`, to those who may see the complaint.',
        operationId: 'getComplaintAttachment',
        security: [{ staffKey: [] }],
        parameters: [complaintId, { name: 'attachmentId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
        responses: {
          '200': {
            description: 'The file.',
            content: Object.fromEntries(['application/pdf', 'image/jpeg', 'image/png', 'image/tiff'].map((type) => [type, { schema: { type: 'string', format: 'binary' } }])),
          },
          '401': errorResponse('Missing or wrong staff key or session (`UNAUTHENTICATED`).'),
          '404': errorResponse('No such complaint or attachment, or not one of your teams’ (`NOT_FOUND`).'),
        },
      },
    },
  };
}
