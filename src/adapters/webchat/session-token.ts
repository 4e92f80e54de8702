/**
 * Web chat session tokens (DESIGN.md §6: "signed session token"). A session is a random id — the conversation key
 * and reply address of everything the browser sends — and its token is that id and an expiry, signed:
 *
 *   `wc1.<session id>.<expiry, unix seconds>.<hex HMAC-SHA256 of "wc1.<session id>.<expiry>">`
 *
 * with WEBCHAT_SESSION_SECRET. Nothing is stored: any Ombuds process with the secret checks a token on its own, in
 * constant time. A token names exactly one session, so one browser can never read or write another's conversation;
 * changing any character of it breaks the signature.
 */
import { randomUUID } from 'node:crypto';
import { constantTimeEqual, hmacSha256Hex } from '../../shared/crypto.js';
import type { Clock } from '../../shared/clock.js';
import { ConfigInvalid, OmbudsError, SignatureInvalid } from '../../shared/errors.js';

const VERSION = 'wc1';
const TOKEN = /^wc1\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(\d{1,12})\.([0-9a-f]{64})$/;
/** The signed text is labelled so a signature made for something else with the same secret can never pass. */
const LABEL = 'ombuds-webchat-session:';
export const MIN_SESSION_SECRET_LENGTH = 32;

/** The token was genuine but its time is up: the page starts a new session. */
export class SessionExpired extends OmbudsError {
  constructor() {
    super('SESSION_EXPIRED', 'The web chat session has expired; start a new one (POST /chat/session).', { httpStatus: 401 });
  }
}

export interface WebChatSession {
  sessionId: string;
  token: string;
  expiresAt: Date;
}

function signature(secret: string, sessionId: string, expiresAtSeconds: number): string {
  return hmacSha256Hex(secret, `${LABEL}${VERSION}.${sessionId}.${String(expiresAtSeconds)}`);
}

/** Throws ConfigInvalid unless the secret is long enough to sign with. */
export function assertSessionSecret(secret: string): void {
  if (secret.length < MIN_SESSION_SECRET_LENGTH) {
    throw new ConfigInvalid(`The web chat session secret must be at least ${String(MIN_SESSION_SECRET_LENGTH)} characters.`, [
      { path: 'sessionSecret', message: `expected at least ${String(MIN_SESSION_SECRET_LENGTH)} characters` },
    ]);
  }
}

export function issueSessionToken(secret: string, sessionId: string, expiresAt: Date): string {
  const seconds = Math.floor(expiresAt.getTime() / 1000);
  return `${VERSION}.${sessionId}.${String(seconds)}.${signature(secret, sessionId, seconds)}`;
}

/**
 * The session a token names, when its signature is ours (expiry not checked: see {@link verifySessionToken}).
 * Throws SignatureInvalid for anything else. Pure.
 */
export function readSessionToken(secret: string, token: string): { sessionId: string; expiresAt: Date } {
  const match = TOKEN.exec(token);
  const sessionId = match?.[1];
  const seconds = Number(match?.[2]);
  const presented = match?.[3];
  if (sessionId === undefined || presented === undefined || !Number.isSafeInteger(seconds)) {
    throw new SignatureInvalid('The web chat session token is not valid.');
  }
  if (!constantTimeEqual(presented, signature(secret, sessionId, seconds))) {
    throw new SignatureInvalid('The web chat session token is not valid.');
  }
  return { sessionId, expiresAt: new Date(seconds * 1000) };
}

/** {@link readSessionToken}, and still valid at `now` (else SessionExpired). */
export function verifySessionToken(secret: string, token: string, now: Date): { sessionId: string; expiresAt: Date } {
  const session = readSessionToken(secret, token);
  if (session.expiresAt.getTime() <= now.getTime()) throw new SessionExpired();
  return session;
}

export interface WebChatSessions {
  /** A new session, valid for the configured time from now. */
  start(): WebChatSession;
  /** The session of a token that is ours and still valid; throws SignatureInvalid or SessionExpired (401). */
  verify(token: string): { sessionId: string; expiresAt: Date };
  /** The session of a token that is ours, expired or not (pure; for a request already verified). */
  read(token: string): { sessionId: string; expiresAt: Date };
}

export interface WebChatSessionsConfig {
  /** WEBCHAT_SESSION_SECRET (or the one kept in the settings table): at least 32 characters. */
  secret: string;
  /** How long a session's token is valid. */
  ttlMs: number;
  clock: Clock;
  /** For tests; default randomUUID. */
  newId?: () => string;
}

export function createWebChatSessions(config: WebChatSessionsConfig): WebChatSessions {
  assertSessionSecret(config.secret);
  const newId = config.newId ?? randomUUID;
  return {
    start() {
      const sessionId = newId();
      // Whole seconds, as the token carries them: the expiry the page is told is the one that is checked.
      const expiresAt = new Date(Math.floor((config.clock.now().getTime() + config.ttlMs) / 1000) * 1000);
      return { sessionId, token: issueSessionToken(config.secret, sessionId, expiresAt), expiresAt };
    },
    verify(token) {
      return verifySessionToken(config.secret, token, config.clock.now());
    },
    read(token) {
      return readSessionToken(config.secret, token);
    },
  };
}
