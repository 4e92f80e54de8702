/**
 * The API channel: the bank's own apps and online banking post JSON to `POST /v1/messages`. Authenticity is the
 * app's API key, checked by the HTTP layer against the store; this adapter parses and normalizes.
 */
export { parseApiMessage, type ApiParseResult } from './parse.js';
export { normalizeApiMessage, API_CHANNEL, type ApiClientIdentity } from './normalize.js';
export { createApiCallbackSender, parseApiReplyAddress, DELIVERY_HEADER, ATTEMPT_HEADER, type ApiCallbackMessage, type ApiCallbackSenderConfig } from './send.js';
