/**
 * Parses one verified Twilio webhook body (form-encoded parameters) into parse results: an incoming message
 * (`SmsStatus`/`MessageStatus` `received`), or the status callback of a message Ombuds sent. A body that is not
 * form-encoded UTF-8 with a message sid and an account sid throws PayloadInvalid (400). Twilio warns that new
 * parameters may appear at any time: unknown ones are kept in `raw` and otherwise ignored. Pure.
 */
import type { RawWebhookRequest } from '../../contracts/channel-adapter.js';
import type { ParseResult } from '../../contracts/inbound-message.js';
import { PayloadInvalid } from '../../shared/errors.js';
import { firstValues, readFormParams } from './form.js';
import { normalizeTwilioMessage, normalizeTwilioStatus } from './normalize.js';

/** Twilio resource sids: two letters and 32 hex digits (`SM…`, `MM…`, `AC…`); tests anonymise some, so allow more. */
const SID = /^[A-Za-z]{2}[A-Za-z0-9]{1,62}$/;
const ACCOUNT = /^[A-Za-z0-9]{1,64}$/;

export function parseTwilioRequest(request: RawWebhookRequest, receivedAt: Date): ParseResult[] {
  const form = readFormParams(request.rawBody);
  if (!form) throw new PayloadInvalid('The Twilio webhook body is not UTF-8 text.');
  const params = firstValues(form);
  const messageSid = params.MessageSid ?? params.SmsMessageSid ?? params.SmsSid;
  const issues: { path: string; message: string }[] = [];
  if (messageSid === undefined || !SID.test(messageSid)) issues.push({ path: 'MessageSid', message: 'expected a Twilio message sid' });
  if (params.AccountSid === undefined || !ACCOUNT.test(params.AccountSid)) issues.push({ path: 'AccountSid', message: 'expected a Twilio account sid' });
  if (messageSid === undefined || issues.length > 0) throw new PayloadInvalid('The body is not a Twilio messaging webhook.', issues);
  const status = (params.MessageStatus ?? params.SmsStatus ?? 'received').toLowerCase();
  if (status === 'received') return [normalizeTwilioMessage(params, messageSid, receivedAt)];
  return [normalizeTwilioStatus(status, messageSid, receivedAt)];
}
