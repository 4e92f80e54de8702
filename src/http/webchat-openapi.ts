/**
 * The web chat routes in the OpenAPI document (webchat-routes.ts): their schemas (from src/contracts/webchat.ts),
 * the session-token security scheme, and the path items, added by openapi.ts when the channel is mounted.
 */
import type { z } from 'zod';
import {
  WebChatMessageAccepted,
  WebChatMessageEvent,
  WebChatMessageFrame,
  WebChatReceiptFrame,
  WebChatReceiptsApplied,
  WebChatSessionStarted,
  WebChatTypingEvent,
  WEBCHAT_MAX_TEXT_LENGTH,
} from '../contracts/index.js';
import { WEBCHAT_BODY_LIMIT_BYTES } from './webchat-routes.js';

type JsonObject = Record<string, unknown>;

export const WEBCHAT_INPUT_SCHEMAS: Record<string, z.ZodType> = { WebChatMessageFrame, WebChatReceiptFrame };
export const WEBCHAT_OUTPUT_SCHEMAS: Record<string, z.ZodType> = {
  WebChatSessionStarted,
  WebChatMessageAccepted,
  WebChatReceiptsApplied,
  WebChatMessageEvent,
  WebChatTypingEvent,
};

export const WEBCHAT_SECURITY_SCHEMES: Record<string, JsonObject> = {
  webChatSession: {
    type: 'http',
    scheme: 'bearer',
    description: 'A web chat session token (`wc1.…`) from `POST /chat/session`. It names one session and expires (`expiresAt`).',
  },
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const jsonContent = (name: string) => ({ 'application/json': { schema: ref(name) } });
const errorResponse = (description: string) => ({ description, content: jsonContent('Error') });

const SESSION_ERRORS = {
  '401': errorResponse('No session token (`UNAUTHENTICATED`), one that is not ours or was changed (`SIGNATURE_INVALID`), or an expired one (`SESSION_EXPIRED`: start a new session).'),
};
const FRAME_ERRORS = {
  '413': errorResponse(`Body larger than ${String(WEBCHAT_BODY_LIMIT_BYTES)} bytes (\`PAYLOAD_TOO_LARGE\`).`),
  '415': errorResponse('Not `application/json` (`UNSUPPORTED_MEDIA_TYPE`).'),
  '503': errorResponse('The database is unreachable (`STORE_UNAVAILABLE`); send again (the same clientMessageId is safe).'),
};
const HTML = { 'text/html': { schema: { type: 'string' } } };

export function webChatPathItems(): Record<string, JsonObject> {
  return {
    '/chat': {
      get: {
        summary: 'The web chat page (for customers; also framed by the embeddable script)',
        description:
          '`?lang=zh|en` chooses the language (default: the browser’s), `?embed=1` the framed layout, `?title=` the heading. Served with a strict Content-Security-Policy; only Ombuds itself and WEBCHAT_ALLOWED_ORIGINS may frame it.',
        operationId: 'getWebChatPage',
        responses: { '200': { description: 'An HTML page.', content: HTML } },
      },
    },
    '/chat/widget.js': {
      get: {
        summary: 'The script a bank page includes to offer the chat',
        description:
          '`<script src="https://<ombuds>/chat/widget.js" data-lang="zh" data-title="在线投诉" defer></script>` adds a launcher button that opens `/chat?embed=1` in a frame. The bank’s origin must be in WEBCHAT_ALLOWED_ORIGINS.',
        operationId: 'getWebChatWidget',
        responses: { '200': { description: 'JavaScript.', content: { 'text/javascript': { schema: { type: 'string' } } } } },
      },
    },
    '/chat/session': {
      post: {
        summary: 'Start a web chat session',
        description: 'No body. The token is the only key to the conversation: keep it in the tab (sessionStorage).',
        operationId: 'startWebChatSession',
        responses: { '201': { description: 'A new session.', headers: { 'Cache-Control': { description: '`no-store`.', schema: { type: 'string' } } }, content: jsonContent('WebChatSessionStarted') } },
      },
    },
    '/chat/messages': {
      post: {
        summary: 'Send a customer message in the session',
        description: `Text of at most ${String(WEBCHAT_MAX_TEXT_LENGTH)} characters. Stored like any channel’s message (deduplicated on the session and \`clientMessageId\`: resend the same frame after a failure), then answered on the event stream (a \`typing\` hint first).`,
        operationId: 'sendWebChatMessage',
        security: [{ webChatSession: [] }],
        requestBody: { required: true, content: jsonContent('WebChatMessageFrame') },
        responses: {
          '202': { description: 'Stored.', content: jsonContent('WebChatMessageAccepted') },
          '200': { description: 'Already stored (same clientMessageId in this session); nothing new stored.', content: jsonContent('WebChatMessageAccepted') },
          '400': errorResponse('Not a message frame: bad JSON, empty or over-long text, unknown fields (`PAYLOAD_INVALID`, with details); nothing stored.'),
          '429': errorResponse('Too many messages from this session (`RATE_LIMITED`); wait `Retry-After` seconds.'),
          ...SESSION_ERRORS,
          ...FRAME_ERRORS,
        },
      },
    },
    '/chat/receipts': {
      post: {
        summary: 'Acknowledge the messages the page has displayed',
        description: 'Each id of a message to this session becomes delivered; a message not acknowledged is sent again on the next stream.',
        operationId: 'acknowledgeWebChatMessages',
        security: [{ webChatSession: [] }],
        requestBody: { required: true, content: jsonContent('WebChatReceiptFrame') },
        responses: {
          '200': { description: 'Applied.', content: jsonContent('WebChatReceiptsApplied') },
          '400': errorResponse('Not a receipt frame (`PAYLOAD_INVALID`, with details).'),
          ...SESSION_ERRORS,
          ...FRAME_ERRORS,
        },
      },
    },
    '/chat/events': {
      get: {
        summary: 'The conversation as Server-Sent Events',
        description:
          'First the conversation (after `Last-Event-ID`, or all of it), then each new message as it is written. Events: `message` (data: `WebChatMessageEvent`; its SSE `id` is the cursor to resume after), `typing` (data: `WebChatTypingEvent`), `expired` (the token ran out; the stream ends). Comment lines keep the connection alive. Delivery is at least once: on reconnection everything after the cursor comes again, and every message not yet acknowledged (`POST /chat/receipts`); ignore ids already shown.',
        operationId: 'streamWebChatEvents',
        security: [{ webChatSession: [] }],
        parameters: [
          { name: 'Last-Event-ID', in: 'header', required: false, schema: { type: 'string' }, description: 'The `id` of the last event received (EventSource sends it when it reconnects).' },
          { name: 'lastEventId', in: 'query', required: false, schema: { type: 'string' }, description: 'The same, for a client that opens a new stream.' },
          { name: 'token', in: 'query', required: false, schema: { type: 'string' }, description: 'The session token, for EventSource (which cannot send headers); prefer the header.' },
        ],
        responses: {
          '200': { description: 'An event stream (`text/event-stream`), open until the client leaves or the token expires.', content: { 'text/event-stream': { schema: { type: 'string' } } } },
          '429': errorResponse('Too many streams open for this session (`RATE_LIMITED`).'),
          ...SESSION_ERRORS,
        },
      },
    },
  };
}
