/**
 * Parses one verified Vonage SMS API webhook (JSON or form) into parse results: an inbound SMS or part of one, or a
 * delivery receipt (`status` without `text`, if the receipt URL points here too). A body that is not Vonage's
 * parameters with a `messageId` throws PayloadInvalid (400). Pure.
 */
import type { RawWebhookRequest } from '../../contracts/channel-adapter.js';
import type { ParseResult } from '../../contracts/inbound-message.js';
import { PayloadInvalid } from '../../shared/errors.js';
import { normalizeVonageMessage, normalizeVonageReceipt } from './normalize.js';
import { readVonageParams, storableParams } from './params.js';

const MESSAGE_ID = /^[A-Za-z0-9-]{1,64}$/;

export function parseVonageRequest(request: RawWebhookRequest, receivedAt: Date): ParseResult[] {
  const read = readVonageParams(request.rawBody);
  if (!read) throw new PayloadInvalid('The Vonage webhook body is not a flat JSON object or a form of UTF-8 text.');
  const params = storableParams(read);
  const { messageId } = params;
  if (messageId === undefined || !MESSAGE_ID.test(messageId)) {
    throw new PayloadInvalid('The body is not a Vonage SMS webhook.', [{ path: 'messageId', message: 'expected a Vonage message id' }]);
  }
  const receipt = params.status !== undefined && params.text === undefined && params.type === undefined;
  return [receipt ? normalizeVonageReceipt(params, receivedAt) : normalizeVonageMessage(params, receivedAt)];
}
