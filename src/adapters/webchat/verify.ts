/**
 * Web chat authenticity: every frame the browser POSTs carries its session token as `Authorization: Bearer
 * <token>`. No token is UNAUTHENTICATED, a token that is not ours (or was changed) SIGNATURE_INVALID, an expired one
 * SESSION_EXPIRED — all 401, refused before the body is read. The event stream may carry the token as a query
 * parameter instead (EventSource cannot set headers): {@link tokenOf} reads both.
 */
import type { RawWebhookRequest } from '../../contracts/channel-adapter.js';
import { Unauthenticated } from '../../shared/errors.js';
import type { WebChatSessions } from './session-token.js';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/** The token of `Authorization: Bearer <token>`, else of `?token=` when allowed; undefined when there is none. */
export function tokenOf(headers: Readonly<Record<string, string | undefined>>, queryToken?: string): string | undefined {
  const header = headers.authorization;
  if (header !== undefined && header !== '') return BEARER.exec(header)?.[1] ?? header;
  return queryToken === undefined || queryToken === '' ? undefined : queryToken;
}

/** The session a request belongs to; throws a 401 OmbudsError when it has no valid token. */
export function sessionOfRequest(
  headers: Readonly<Record<string, string | undefined>>,
  sessions: WebChatSessions,
  queryToken?: string,
): { sessionId: string; expiresAt: Date } {
  const token = tokenOf(headers, queryToken);
  if (token === undefined) {
    throw new Unauthenticated('A web chat session token is required (Authorization: Bearer <token> from POST /chat/session).');
  }
  return sessions.verify(token);
}

export function verifyWebChatRequest(request: RawWebhookRequest, sessions: WebChatSessions): Promise<void> {
  try {
    sessionOfRequest(request.headers, sessions);
    return Promise.resolve();
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
