/**
 * The OpenAPI 3.1 document of the HTTP API, generated from the same zod schemas that validate requests
 * (contracts), so the description cannot drift from the behaviour. Served at /v1/openapi.json. Its `webhooks`
 * section describes the signed POSTs Ombuds sends out (API-channel callbacks, downstream webhook events).
 * src/http/openapi.test.ts checks that every route app.ts mounts is described here, and nothing else.
 */
import { z } from 'zod';
import {
  ActionResult,
  ApiCallbackMessage,
  ApiMessageAccepted,
  ApiMessageBody,
  AuditEventView,
  CallbackRegistered,
  CallbackRegistration,
  CallbackView,
  ClaimBody,
  ClaimResponse,
  Classification,
  ComplaintAction,
  ComplaintEventType,
  ComplaintRecord,
  ComplaintView,
  DeadlineView,
  ErrorBody,
  MessageView,
  NotificationFeed,
  NotificationView,
  QueueItem,
  QueueResponse,
  ReportQuery,
  ResolutionView,
  SummaryReportView,
  TranscriptImportResponse,
  WebhookEvent,
  WebhookSubscriptionBody,
  WebhookSubscriptionCreated,
  WebhookSubscriptionList,
  WebhookSubscriptionView,
} from '../contracts/index.js';
import { NotificationQuery } from './notification-routes.js';
import { CONSOLE_SECURITY_SCHEMES, CONSOLE_SESSION_INPUT_SCHEMAS, CONSOLE_SESSION_OUTPUT_SCHEMAS, consoleSessionPathItems, withConsoleSession } from './console-openapi.js';
import { STAFF_CONSOLE_INPUT_SCHEMAS, STAFF_CONSOLE_OUTPUT_SCHEMAS, staffConsolePathItems } from './staff-console-openapi.js';
import { WEBCHAT_INPUT_SCHEMAS, WEBCHAT_OUTPUT_SCHEMAS, WEBCHAT_SECURITY_SCHEMES, webChatPathItems } from './webchat-openapi.js';
import { consolePagePathItems } from './console-routes-openapi.js';
import { ASSISTED_INPUT_SCHEMAS, ASSISTED_OUTPUT_SCHEMAS, assistedIntakePathItems } from './assisted-intake-openapi.js';
import { DASHBOARD_OUTPUT_SCHEMAS, dashboardPathItems } from './dashboard-openapi.js';
import { STAFF_MEMBER_OUTPUT_SCHEMAS, staffMemberPathItems } from './staff-member-openapi.js';

type JsonObject = Record<string, unknown>;

/** `propose_resolution` → `ProposeResolutionAction`: the component name of one variant of ComplaintAction. */
function actionComponentName(type: string): string {
  return `${type.split('_').map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('')}Action`;
}

const ACTION_VARIANTS: Record<string, z.ZodType> = Object.fromEntries(
  ComplaintAction.options.map((option) => [actionComponentName(option.shape.type.value), option]),
);

/** Request bodies, described as the server reads them (`io: 'input'`). */
const INPUT_SCHEMAS: Record<string, z.ZodType> = {
  ApiMessageBody,
  ClaimBody,
  ComplaintAction,
  ...ACTION_VARIANTS,
  CallbackRegistration,
  WebhookSubscriptionBody,
  ...WEBCHAT_INPUT_SCHEMAS,
  ...CONSOLE_SESSION_INPUT_SCHEMAS,
  ...ASSISTED_INPUT_SCHEMAS,
  ...STAFF_CONSOLE_INPUT_SCHEMAS,
};

/** Response bodies and the bodies Ombuds POSTs out, described as written (`io: 'output'`). */
const OUTPUT_SCHEMAS: Record<string, z.ZodType> = {
  ApiMessageAccepted,
  QueueItem,
  QueueResponse,
  ClaimResponse,
  MessageView,
  AuditEvent: AuditEventView,
  Classification,
  ComplaintRecord,
  ComplaintView,
  ActionResult,
  Deadline: DeadlineView,
  Resolution: ResolutionView,
  CallbackRegistered,
  CallbackView,
  WebhookSubscriptionCreated,
  WebhookSubscription: WebhookSubscriptionView,
  WebhookSubscriptionList,
  Notification: NotificationView,
  NotificationFeed,
  SummaryReport: SummaryReportView,
  TranscriptImportResponse,
  ApiCallbackMessage,
  WebhookEvent,
  Error: ErrorBody,
  ...WEBCHAT_OUTPUT_SCHEMAS,
  ...CONSOLE_SESSION_OUTPUT_SCHEMAS,
  ...ASSISTED_OUTPUT_SCHEMAS,
  ...DASHBOARD_OUTPUT_SCHEMAS,
  ...STAFF_MEMBER_OUTPUT_SCHEMAS,
  ...STAFF_CONSOLE_OUTPUT_SCHEMAS,
};

/** Every named component and the zod schema it is generated from (tests check real answers against them). */
export const openApiSchemas: Readonly<Record<string, z.ZodType>> = { ...INPUT_SCHEMAS, ...OUTPUT_SCHEMAS };

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

/** The fields of a zod object as OpenAPI parameters (`in: query`), required as the schema says (defaults make optional). */
function parametersOf(schema: z.ZodObject, descriptions: Record<string, string>): JsonObject[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, JsonObject>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    schema: property,
    ...(descriptions[name] ? { description: descriptions[name] } : {}),
  }));
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const jsonContent = (name: string) => ({ 'application/json': { schema: ref(name) } });
const errorResponse = (description: string) => ({ description, content: jsonContent('Error') });
const idParameter = (description: string) => ({ name: 'id', in: 'path', required: true, schema: { type: 'string' }, description });

const COMMON_ERRORS = {
  '401': errorResponse('Missing or wrong API key (`UNAUTHENTICATED`).'),
  '503': errorResponse('The database is unreachable (`STORE_UNAVAILABLE`); retry later.'),
};

const BODY_ERRORS = {
  '413': errorResponse('Body larger than BODY_LIMIT_BYTES (`PAYLOAD_TOO_LARGE`).'),
  '415': errorResponse('Not `application/json` (`UNSUPPORTED_MEDIA_TYPE`).'),
};

const NO_STORE = { 'Cache-Control': { description: '`no-store`: the answer holds a secret.', schema: { type: 'string' } } };

/** Headers of every POST Ombuds sends (callbacks and webhooks). */
const SIGNED_POST_HEADERS = [
  {
    name: 'Ombuds-Signature',
    in: 'header',
    required: true,
    schema: { type: 'string', pattern: '^t=\\d+,v1=[0-9a-f]{64}$' },
    description:
      '`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` with the signing secret (`whsec_…`) of the callback or subscription. Recompute it over the exact bytes received, compare in constant time, and refuse a `t` outside your tolerance (Ombuds’ own verifier allows 300 s) to stop replays.',
    example: 't=1767225600,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd',
  },
  {
    name: 'Ombuds-Delivery',
    in: 'header',
    required: true,
    schema: { type: 'string', format: 'uuid' },
    description: 'The same on every attempt of one delivery: deduplicate by it (delivery is at least once).',
  },
  {
    name: 'Ombuds-Attempt',
    in: 'header',
    required: true,
    schema: { type: 'string', pattern: '^[1-9][0-9]*$' },
    description: 'Which attempt this is, 1 on the first.',
  },
];

/** How Ombuds reads the receiver's answer to a signed POST (src/shared/http-delivery.ts). */
const DELIVERY_RESPONSES = {
  '2XX': { description: 'Delivered; not sent again. The body is ignored.' },
  '408': { description: 'Retried (as are 425, 429 and every 5xx, timeouts and network errors), with exponential backoff and jitter, never sooner than `Retry-After` (seconds or an HTTP date).' },
  '429': { description: 'Retried, never sooner than `Retry-After`.' },
  '5XX': { description: 'Retried.' },
  '4XX': { description: 'Any other 4xx: a permanent failure, not retried (recorded on the complaint or the delivery).' },
};

/** A conversational channel's webhook as app.ts mounts it (only configured channels are mounted and documented). */
export interface DocumentedWebhookChannel {
  channel: string;
  path: string;
  bodyLimitBytes: number;
  /** The channel answers its vendor's subscription check on `GET <path>`. */
  challenge?: boolean;
  /** What the success answer carries when not empty (WeChat `success`, Twilio TwiML). */
  acknowledgement?: { contentType: string; body: string };
}

/** What each known vendor sends and how it authenticates (CHANNELS.md); another channel gets the generic text. */
const WEBHOOK_CHANNEL_TEXT: Record<
  string,
  { summary: string; description: string; header?: { name: string; description: string }; /** Default `application/json`. */ bodyTypes?: readonly string[] }
> = {
  telegram: {
    summary: 'Telegram Bot API webhook: one Update per request',
    description:
      'Called by Telegram (set with `setWebhook(url, secret_token)`), not by clients. Authenticated by the `X-Telegram-Bot-Api-Secret-Token` header (TELEGRAM_WEBHOOK_SECRET). Each text or photo message becomes an inbound message (deduplicated on chat and message id); other updates are acknowledged and ignored. Replies go out through the Bot API (`sendMessage`).',
    header: { name: 'X-Telegram-Bot-Api-Secret-Token', description: 'The `secret_token` given to setWebhook.' },
  },
  botframework: {
    summary: 'Bot Framework messaging endpoint: one Activity per request',
    description:
      'Called by the Azure Bot Service channels (Web Chat, Direct Line, Teams) or the Emulator, not by clients. Authenticated by `Authorization: Bearer <JWT>` signed by the Bot Framework (checked against its OpenID metadata, audience BOTFRAMEWORK_APP_ID; not checked in Emulator mode without an app id). A `message` Activity becomes an inbound message (deduplicated on channel, conversation and activity id); other Activities are acknowledged and ignored. Replies go to the Activity’s `serviceUrl` (Bot Connector).',
    header: { name: 'Authorization', description: '`Bearer <JWT>` issued by the Bot Framework.' },
  },
  wechat: {
    summary: 'WeChat Official Account message push: one XML message or event per request',
    description:
      'Called by WeChat for the Official Account whose server URL is set to this path, not by clients. The body is WeChat’s XML (`text/xml`). Authenticated by the query: `signature` = SHA-1 of the sorted [WECHAT_TOKEN, `timestamp`, `nonce`], with `timestamp` within WECHAT_TIMESTAMP_TOLERANCE_SECONDS of our clock; in safe or compat mode (`encrypt_type=aes`, WECHAT_ENCODING_AES_KEY set) also `msg_signature` = SHA-1 of the sorted [token, timestamp, nonce, `Encrypt`], and `<Encrypt>` must decrypt (AES-256-CBC) to a message for WECHAT_APP_ID; with the key set, plaintext pushes are refused. Text, voice (the speech recognition as text, the voice as a reference), image, video, location and link messages become inbound messages (deduplicated on `MsgId`, or sender and `CreateTime` without one); events (subscribe, unsubscribe, menu clicks, …) are acknowledged and ignored. The answer is `success` (no passive reply); replies go out through the customer-service message API (`/cgi-bin/message/custom/send`), within the 48 hours WeChat allows after the customer’s last message. The GET is WeChat’s server check: `signature`, `timestamp`, `nonce` → `echostr` as plain text (401 otherwise).',
  },
  /** The Meta webhook (`/webhooks/meta`): mounted under its WhatsApp channel, it serves Messenger too (src/adapters/meta). */
  whatsapp: {
    summary: 'Meta webhook (WhatsApp Cloud API and Messenger): batched updates',
    description:
      'Called by Meta for the app’s WhatsApp Business Account (`object: whatsapp_business_account`) and Facebook Page (`object: page`) subscriptions, not by clients. Authenticated by `X-Hub-Signature-256: sha256=<HMAC-SHA256 of the raw body with META_APP_SECRET>`. Every message of a batch (`entry[].changes[]`, `entry[].messaging[]`) becomes an inbound message on channel `whatsapp` or `messenger` (deduplicated on the WhatsApp `wamid` / Messenger `mid`, also within one batch): text, media as references (media id), tapped buttons, list rows, quick replies and postbacks as their value. WhatsApp `statuses` (sent, delivered, read, failed) update the messages Ombuds sent; echoes, Messenger delivery/read events and other updates are acknowledged and ignored. The GET is Meta’s subscription check (`hub.mode=subscribe`, `hub.verify_token` = META_VERIFY_TOKEN → `hub.challenge`; 403 otherwise). Replies go out through the Graph API (`/{phone-number-id}/messages`, `/me/messages`).',
    header: { name: 'X-Hub-Signature-256', description: '`sha256=` and the hex HMAC-SHA256 of the exact body, keyed with the app secret.' },
  },
  sms_twilio: {
    summary: 'Twilio SMS/MMS webhook: one incoming message or status callback per request',
    description:
      'Called by Twilio Programmable Messaging for the numbers (or Messaging Service) whose incoming-message webhook is set to this URL, not by clients. The body is form-encoded (`application/x-www-form-urlencoded`). Authenticated by `X-Twilio-Signature` = base64 HMAC-SHA1, keyed with TWILIO_AUTH_TOKEN, of the public URL Twilio called (TWILIO_PUBLIC_BASE_URL or PUBLIC_BASE_URL, then this path and query) followed by every parameter sorted by name (name then value). Each SMS or MMS becomes an inbound message (deduplicated on `MessageSid`; media as URL references); status callbacks (`MessageStatus` sent, delivered, read, undelivered, failed) update the messages Ombuds sent. Twilio does not redeliver, so the answer comes once the message is stored: an empty TwiML `<Response></Response>` (`text/xml`). Replies go out through the Messages REST API.',
    header: { name: 'X-Twilio-Signature', description: 'Base64 HMAC-SHA1 of the public URL and the sorted parameters, keyed with the auth token.' },
    bodyTypes: ['application/x-www-form-urlencoded'],
  },
  sms_vonage: {
    summary: 'Vonage SMS API inbound webhook: one SMS, SMS part or delivery receipt per request',
    description:
      'Called by the Vonage SMS API for the numbers whose inbound webhook is set to this URL (POST, JSON or form), not by clients. Only signed webhooks are accepted: the `sig` parameter = md5hash or HMAC (VONAGE_SIGNATURE_METHOD) of the other parameters sorted by name with VONAGE_SIGNATURE_SECRET, and its signed `timestamp` within 25 hours. Each SMS becomes an inbound message (deduplicated on `messageId`: Vonage redelivers for 24 hours until it gets a 2xx); the parts of a concatenated SMS (`concat-ref`, `concat-part`, `concat-total`) are kept until all are in and then stored as one message in order, or after VONAGE_CONCAT_TIMEOUT_MS as they are. Delivery receipts (`status` delivered, failed, rejected, expired) update the messages Ombuds sent. Replies go out through the SMS API (`/sms/json`).',
    bodyTypes: ['application/json', 'application/x-www-form-urlencoded'],
  },
};

function webhookChannelPathItem(documented: DocumentedWebhookChannel): JsonObject {
  const text = WEBHOOK_CHANNEL_TEXT[documented.channel] ?? {
    summary: `${documented.channel} webhook`,
    description: `Called by the ${documented.channel} platform, not by clients; authenticated as that platform signs its requests.`,
  };
  const operationName = `${documented.channel.charAt(0).toUpperCase()}${documented.channel.slice(1).replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase())}`;
  const ack = documented.acknowledgement;
  return {
    ...(documented.challenge
      ? {
          get: {
            summary: `${text.summary}: the platform's subscription check`,
            description: 'Called by the platform when the webhook is set up (and from time to time): answers its challenge when the request proves it knows the shared secret.',
            operationId: `verify${operationName}Webhook`,
            responses: {
              '200': { description: 'The challenge, as plain text.', content: { 'text/plain': { schema: { type: 'string' } } } },
              '400': errorResponse('The challenge is missing or not a plain token (`PAYLOAD_INVALID`).'),
              '401': errorResponse('The check failed (`SIGNATURE_INVALID` or `UNAUTHENTICATED`).'),
              '403': errorResponse('The verify token does not match (`FORBIDDEN`).'),
            },
          },
        }
      : {}),
    post: {
      summary: text.summary,
      description: `${text.description} The body is read as raw bytes, at most ${String(documented.bodyLimitBytes)} bytes.`,
      operationId: `receive${operationName}Webhook`,
      ...(text.header ? { parameters: [{ name: text.header.name, in: 'header', required: false, schema: { type: 'string' }, description: text.header.description }] } : {}),
      requestBody: {
        required: true,
        content: Object.fromEntries((text.bodyTypes ?? ['application/json']).map((type) => [type, { schema: { type: 'object', description: 'The vendor’s own payload.' } }])),
      },
      responses: {
        '200': ack
          ? { description: `Received (stored, or a duplicate, or ignored); the body is \`${ack.body}\`.`, content: { [ack.contentType]: { schema: { type: 'string' } } } }
          : { description: 'Received (stored, or a duplicate, or ignored); the body is empty.' },
        '400': errorResponse('Not a payload of this channel (`PAYLOAD_INVALID`); nothing stored.'),
        '401': errorResponse('Not authentic (`SIGNATURE_INVALID` or `UNAUTHENTICATED`); nothing stored.'),
        '413': errorResponse(`Body larger than ${String(documented.bodyLimitBytes)} bytes (\`PAYLOAD_TOO_LARGE\`).`),
        '503': errorResponse('The database (or the vendor’s signing keys) is unreachable; the vendor redelivers.'),
      },
    },
  };
}

export function buildOpenApiDocument(options: { version: string; serverUrl?: string; webhookChannels?: readonly DocumentedWebhookChannel[]; webChat?: boolean; staffEvents?: boolean }): JsonObject {
  const inputComponents = componentsOf(INPUT_SCHEMAS, 'input');
  const actionMapping = Object.fromEntries(ComplaintAction.options.map((option) => [option.shape.type.value, ref(actionComponentName(option.shape.type.value)).$ref]));
  inputComponents.ComplaintAction = {
    ...inputComponents.ComplaintAction,
    description: 'One staff action, chosen by `type`. The answer lists the actions allowed next (`allowedActions`).',
    discriminator: { propertyName: 'type', mapping: actionMapping },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Ombuds API',
      version: options.version,
      description:
        'Omnichannel complaint intake for banks. The API channel (`/v1/messages`, `/v1/callback`) is for the bank’s own apps; the staff API is for complaint handlers. Authenticate with `Authorization: Bearer <key>` (keys from `ombuds client add` and `ombuds staff add`). Every error answer is `{ "error": { "code", "message", "details"? } }`. What Ombuds POSTs to the bank’s systems (customer-facing messages on an app’s callback, complaint events on webhook subscriptions) is under `webhooks`: JSON, signed with `Ombuds-Signature`.',
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    components: {
      securitySchemes: {
        appKey: { type: 'http', scheme: 'bearer', description: 'An API-channel key (`omb_app_…`).' },
        staffKey: { type: 'http', scheme: 'bearer', description: 'A staff key (`omb_staff_…`). Some operations need the supervisor or admin role.' },
        ...(options.webChat ? WEBCHAT_SECURITY_SCHEMES : {}),
        ...CONSOLE_SECURITY_SCHEMES,
      },
      schemas: { ...inputComponents, ...componentsOf(OUTPUT_SCHEMAS, 'output') },
    },
    paths: withConsoleSession({
      ...consoleSessionPathItems(),
      ...Object.fromEntries((options.webhookChannels ?? []).map((documented) => [documented.path, webhookChannelPathItem(documented)])),
      ...(options.webChat ? webChatPathItems() : {}),
      ...consolePagePathItems(),
      ...assistedIntakePathItems(),
      ...dashboardPathItems(),
      ...staffMemberPathItems(),
      '/': {
        get: {
          summary: 'Service index: name, version and where the API reference is',
          operationId: 'getIndex',
          responses: { '200': { description: '`{ name, version, docs, openapi }`.' } },
        },
      },
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
            ...BODY_ERRORS,
            ...COMMON_ERRORS,
          },
        },
      },
      '/v1/callback': {
        put: {
          summary: 'Register (or replace) where this app receives customer-facing messages',
          description:
            'Ombuds POSTs each message for this app’s customers to the URL, signed (see `webhooks.callbackMessage`). Every PUT answers a new signing secret, shown once: the previous one stops working.',
          operationId: 'putCallback',
          security: [{ appKey: [] }],
          requestBody: { required: true, content: jsonContent('CallbackRegistration') },
          responses: {
            '200': { description: 'Registered; keep the signing secret.', headers: NO_STORE, content: jsonContent('CallbackRegistered') },
            '400': errorResponse(
              'Malformed JSON (`PAYLOAD_MALFORMED`), not an http(s) URL (`PAYLOAD_INVALID`, with details), or a URL on localhost or a loopback, private, link-local or reserved address (`CALLBACK_URL_NOT_PUBLIC`, unless OUTBOUND_ALLOW_PRIVATE_NETWORKS).',
            ),
            '404': errorResponse('The app no longer exists (`NOT_FOUND`).'),
            ...BODY_ERRORS,
            ...COMMON_ERRORS,
          },
        },
        get: {
          summary: 'The callback URL registered for this app',
          operationId: 'getCallback',
          security: [{ appKey: [] }],
          responses: {
            '200': { description: 'The URL (the secret is never shown again).', content: jsonContent('CallbackView') },
            '404': errorResponse('No callback registered (`NOT_FOUND`).'),
            ...COMMON_ERRORS,
          },
        },
        delete: {
          summary: 'Remove this app’s callback',
          description: 'Messages for its customers are then not delivered (they stay on the complaint as failed) until a callback is registered again.',
          operationId: 'deleteCallback',
          security: [{ appKey: [] }],
          responses: { '204': { description: 'Removed (also when none was registered).' }, ...COMMON_ERRORS },
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
          summary: 'One complaint: record, where it stands, messages and audit trail',
          description:
            '`state` is where the case stands now (stage, owner, clocks, resolution, and the actions allowed next: the same as an action’s answer); null for a complaint not yet registered.',
          operationId: 'getComplaint',
          security: [{ staffKey: [] }],
          parameters: [idParameter('The complaint id (uuid) or reference (CMP-…).')],
          responses: {
            '200': { description: 'The complaint.', content: jsonContent('ComplaintView') },
            '404': errorResponse('No such complaint (or not visible to you).'),
            ...COMMON_ERRORS,
          },
        },
      },
      '/v1/complaints/{id}/actions': {
        post: {
          summary: 'Act on a complaint: triage, assign, investigate, resolve, respond, close, reopen, escalate, clocks',
          description:
            'One action a request (`type` chooses it), in one transaction. Approving or rejecting a resolution is for supervisors and admins, and by someone other than its proposer (four eyes); agents assign complaints to themselves only; some clock extensions need a supervisor or an admin (the regime says which). With `Idempotency-Key`, a repeat of the same request answers the first answer again (with `Idempotent-Replayed: true`) instead of acting twice.',
          operationId: 'actOnComplaint',
          security: [{ staffKey: [] }],
          parameters: [
            idParameter('The complaint id (uuid) or reference (CMP-…).'),
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,200}$' },
              description: '1–200 visible ASCII characters, unique per request you mean (per staff member).',
            },
          ],
          requestBody: { required: true, content: jsonContent('ComplaintAction') },
          responses: {
            '200': {
              description: 'Done: where the complaint now stands and the actions allowed next.',
              headers: { 'Idempotent-Replayed': { description: '`true` when this is the stored answer to an earlier request with the same Idempotency-Key.', schema: { type: 'string', enum: ['true'] } } },
              content: jsonContent('ActionResult'),
            },
            '400': errorResponse('Malformed JSON (`PAYLOAD_MALFORMED`), an action that does not match the schema, or an invalid Idempotency-Key (`PAYLOAD_INVALID`, with details).'),
            '403': errorResponse('Your role may not take this action (`FORBIDDEN`), or you proposed the resolution you are approving or rejecting (`FOUR_EYES_REQUIRED`).'),
            '404': errorResponse('No such complaint, or not visible to you (`NOT_FOUND`).'),
            '409': errorResponse(
              'The complaint’s state refuses the action: `ILLEGAL_TRANSITION` (the stage does not allow it; `details` lists the allowed actions), `COMPLAINT_CLOSED` (reopen it first), `EXTENSION_NOT_ALLOWED`, `PAUSE_NOT_ALLOWED`, `NOTHING_PAUSED` or `CLOCK_NOT_FOUND` (the regime’s clocks do not allow the change).',
            ),
            '422': errorResponse('The Idempotency-Key was used before with a different request (`IDEMPOTENCY_KEY_REUSED`), or the assignee is unknown, disabled or not in the complaint’s team (`ASSIGNEE_INVALID`).'),
            ...BODY_ERRORS,
            ...COMMON_ERRORS,
          },
        },
      },
      '/v1/notifications': {
        get: {
          summary: 'The staff notification feed: breaches, warnings, escalations, new work',
          description:
            'Oldest first, after `after`; poll again with the `next` of the answer. Supervisors and admins see every notification, agents their teams’ and their own.',
          operationId: 'listNotifications',
          security: [{ staffKey: [] }],
          parameters: parametersOf(NotificationQuery, { after: 'Only notifications after this id (the `next` of the previous answer).', limit: 'At most this many.' }),
          responses: {
            '200': { description: 'The notifications since `after`.', content: jsonContent('NotificationFeed') },
            '400': errorResponse('Invalid query parameters (`PAYLOAD_INVALID`, with details).'),
            ...COMMON_ERRORS,
          },
        },
      },
      '/v1/transcripts': {
        post: {
          summary: 'Import hotline call transcripts (supervisors and admins)',
          description:
            'One call transcript in any supported format — AWS Transcribe, Amazon Connect Contact Lens, Google Speech-to-Text, Azure batch transcription, Genesys Cloud, Twilio Voice Intelligence, WebVTT, SRT, plain text (`Agent:`/`Customer:`, `坐席：`/`客户：`) — detected by content; or, with `Content-Type: application/x-ndjson` (or `application/jsonl`), JSONL with one transcript a line. Each becomes one call record of channel `hotline`, deduplicated on the call id (or the content hash). 200 with one result per transcript, in order: `imported` (stored and queued; the intake worker may still attach it to an existing complaint), `duplicate` (imported before; nothing stored), or `failed` with the reason (`TRANSCRIPT_INVALID`). A bad transcript never fails the others. Body ≤ TRANSCRIPT_BODY_LIMIT_BYTES.',
          operationId: 'importTranscripts',
          security: [{ staffKey: [] }],
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: { type: 'object', description: 'A JSON transcript (AWS, Contact Lens, Google, Azure, Genesys, Twilio).' } },
              'application/x-ndjson': { schema: { type: 'string', description: 'JSONL: one JSON transcript a line.' } },
              'text/plain': { schema: { type: 'string', description: 'A WebVTT, SRT or plain-text transcript.' } },
            },
          },
          responses: {
            '200': { description: 'One result per transcript.', content: jsonContent('TranscriptImportResponse') },
            '400': errorResponse('An empty or blank body (`PAYLOAD_EMPTY`).'),
            '403': errorResponse('Agents may not import transcripts (`FORBIDDEN`).'),
            '413': errorResponse('Body larger than TRANSCRIPT_BODY_LIMIT_BYTES (`PAYLOAD_TOO_LARGE`).'),
            ...COMMON_ERRORS,
          },
        },
      },
      '/v1/reports/summary': {
        get: {
          summary: 'Summary report of the complaints received in a window (supervisors and admins)',
          description:
            'Volumes by channel, product, issue and urgency, breaches, the share handled within the deadline, the upheld rate, satisfaction and time per stage, optionally per group. A date-only `from` starts at the beginning of that day and a date-only `to` includes that whole day, in the bank’s time zone (`TIMEZONE`); at most 366 days. JSON by default; CSV (`section,key,metric,value`, one figure a row) with `format=csv` or `Accept: text/csv`.',
          operationId: 'getSummaryReport',
          security: [{ staffKey: [] }],
          parameters: parametersOf(ReportQuery, {
            from: 'First day (YYYY-MM-DD, bank time zone) or instant (ISO date-time).',
            to: 'Last day included (YYYY-MM-DD, bank time zone) or end instant (ISO date-time, excluded).',
            groupBy: 'Also break the counts down by this dimension or time bucket (ISO weeks).',
            format: 'Overrides the Accept header.',
          }),
          responses: {
            '200': {
              description: 'The report.',
              headers: { 'Content-Disposition': { description: 'CSV only: `attachment; filename="ombuds-report-<from>-<to>.csv"`.', schema: { type: 'string' } } },
              content: {
                'application/json': { schema: ref('SummaryReport') },
                'text/csv': { schema: { type: 'string' }, example: 'section,key,metric,value\r\nwindow,all,from,2026-02-28T16:00:00.000Z\r\n' },
              },
            },
            '400': errorResponse('Invalid query (`PAYLOAD_INVALID`, with details), a window ending before it starts (`REPORT_WINDOW_INVERTED`) or longer than 366 days (`REPORT_WINDOW_TOO_LONG`).'),
            '403': errorResponse('Agents may not read reports (`FORBIDDEN`).'),
            ...COMMON_ERRORS,
          },
        },
      },
      '/v1/webhooks': {
        post: {
          summary: 'Subscribe a URL to complaint events (admins)',
          description: 'Ombuds POSTs each event to the URL, signed (see `webhooks.complaintEvent`). Without `events`, every event type. The signing secret is shown once, in this answer.',
          operationId: 'createWebhookSubscription',
          security: [{ staffKey: [] }],
          requestBody: { required: true, content: jsonContent('WebhookSubscriptionBody') },
          responses: {
            '201': { description: 'Subscribed; keep the signing secret.', content: jsonContent('WebhookSubscriptionCreated') },
            '400': errorResponse(
              'Malformed JSON (`PAYLOAD_MALFORMED`), not an http(s) URL or an unknown event type (`PAYLOAD_INVALID`, with details), or a URL on localhost or a loopback, private, link-local or reserved address (`WEBHOOK_URL_NOT_PUBLIC`, unless OUTBOUND_ALLOW_PRIVATE_NETWORKS).',
            ),
            '403': errorResponse('Only admins manage webhook subscriptions (`FORBIDDEN`).'),
            ...BODY_ERRORS,
            ...COMMON_ERRORS,
          },
        },
        get: {
          summary: 'The webhook subscriptions, disabled ones included (admins)',
          operationId: 'listWebhookSubscriptions',
          security: [{ staffKey: [] }],
          responses: {
            '200': { description: 'The subscriptions (never their secrets).', content: jsonContent('WebhookSubscriptionList') },
            '403': errorResponse('Only admins manage webhook subscriptions (`FORBIDDEN`).'),
            ...COMMON_ERRORS,
          },
        },
      },
      '/v1/webhooks/{id}': {
        delete: {
          summary: 'Disable a webhook subscription (admins)',
          description: 'Nothing more is sent to it; it stays listed with `disabledAt`.',
          operationId: 'disableWebhookSubscription',
          security: [{ staffKey: [] }],
          parameters: [{ ...idParameter('The subscription id.'), schema: { type: 'string', format: 'uuid' } }],
          responses: {
            '204': { description: 'Disabled.' },
            '403': errorResponse('Only admins manage webhook subscriptions (`FORBIDDEN`).'),
            '404': errorResponse('No such subscription (`NOT_FOUND`).'),
            ...COMMON_ERRORS,
          },
        },
      },
      '/v1/openapi.json': {
        get: { summary: 'This document', operationId: 'getOpenApiDocument', responses: { '200': { description: 'The OpenAPI 3.1 document.' } } },
      },
      '/v1/docs': {
        get: { summary: 'A browsable API reference (Swagger UI, served locally)', operationId: 'getApiReference', responses: { '200': { description: 'An HTML page.' } } },
      },
      '/healthz': { get: { summary: 'Liveness', operationId: 'getLiveness', responses: { '200': { description: 'The process answers.' } } } },
      '/readyz': {
        get: {
          summary: 'Readiness: database and queue reachable',
          operationId: 'getReadiness',
          responses: { '200': { description: 'Ready.' }, '503': { description: 'The database or the queue does not answer.' } },
        },
      },
      '/metrics': { get: { summary: 'Prometheus metrics', operationId: 'getMetrics', responses: { '200': { description: 'Text exposition format.' } } } },
      '/admin/queues': {
        get: {
          summary: 'Bull Board: the job queues (supervisors and admins; BullMQ driver only)',
          operationId: 'getQueueBoard',
          security: [{ staffKey: [] }],
          responses: {
            '200': { description: 'An HTML page (and the board’s own API below this path).' },
            '401': errorResponse('Missing or wrong API key, and no console session (`UNAUTHENTICATED`).'),
            '403': errorResponse('Agents may not administer the queues (`FORBIDDEN`); with the session cookie, a PUT or POST not from a page of this origin (`CSRF_INVALID`: `Sec-Fetch-Site` must be `same-origin`, or `Origin` ours).'),
          },
        },
      },
      // The console's queue, events, timeline, contacts and templates (the queue's item replaces the one above).
      ...staffConsolePathItems({ events: options.staffEvents === true }),
    }),
    webhooks: {
      callbackMessage: {
        post: {
          summary: 'A customer-facing message, POSTed to the callback URL an app registered (`PUT /v1/callback`)',
          description:
            'Show `text` (and `quickReplies`) to the customer in conversation `conversationId`. Signed with the callback’s secret. Until a 2xx, the message is retried up to OUTBOUND_MAX_ATTEMPTS times, then marked failed on the complaint.',
          operationId: 'receiveCallbackMessage',
          parameters: SIGNED_POST_HEADERS,
          requestBody: { required: true, content: jsonContent('ApiCallbackMessage') },
          responses: DELIVERY_RESPONSES,
        },
      },
      complaintEvent: {
        post: {
          summary: 'A complaint event, POSTed to each webhook subscription that wants its type (`POST /v1/webhooks`)',
          description: `Event types: ${ComplaintEventType.options.map((type) => `\`${type}\``).join(', ')}. Signed with the subscription’s secret. Until a 2xx, retried up to WEBHOOK_MAX_ATTEMPTS times. Events may arrive out of order; \`createdAt\` orders them.`,
          operationId: 'receiveComplaintEvent',
          parameters: [
            ...SIGNED_POST_HEADERS,
            { name: 'Ombuds-Event', in: 'header', required: true, schema: { type: 'string', enum: ComplaintEventType.options }, description: 'The event type (also `type` in the body).' },
          ],
          requestBody: { required: true, content: jsonContent('WebhookEvent') },
          responses: DELIVERY_RESPONSES,
        },
      },
    },
  };
}
