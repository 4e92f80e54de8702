/**
 * Meta's subscription check (CHANNELS.md §4; Graph API "Getting started"): when the webhook is set up, Meta calls
 * `GET <callback>?hub.mode=subscribe&hub.challenge=<n>&hub.verify_token=<ours>` and expects the challenge back as
 * the whole body. A wrong or missing token (or another mode) is 403. The token is compared in constant time.
 */
import type { RawWebhookRequest } from '../../contracts/channel-adapter.js';
import { constantTimeEqual } from '../../shared/crypto.js';
import { Forbidden, PayloadInvalid } from '../../shared/errors.js';

/** Meta sends a number; anything else that is short and plain is echoed too, nothing that could be markup. */
const CHALLENGE_PATTERN = /^[A-Za-z0-9._-]{1,256}$/;

function queryOf(path: string): URLSearchParams {
  const index = path.indexOf('?');
  return new URLSearchParams(index === -1 ? '' : path.slice(index + 1));
}

/** The challenge to answer with 200; Forbidden (403) when the token or mode is wrong, PayloadInvalid (400) when the challenge is missing. */
export function answerMetaChallenge(request: RawWebhookRequest, verifyToken: string): Promise<string> {
  const query = queryOf(request.path);
  const token = query.get('hub.verify_token');
  if (query.get('hub.mode') !== 'subscribe' || token === null || !constantTimeEqual(token, verifyToken)) {
    return Promise.reject(new Forbidden('The hub.verify_token does not match (or hub.mode is not "subscribe").'));
  }
  const challenge = query.get('hub.challenge');
  if (challenge === null || !CHALLENGE_PATTERN.test(challenge)) {
    return Promise.reject(new PayloadInvalid('hub.challenge is missing or is not a plain token.'));
  }
  return Promise.resolve(challenge);
}
