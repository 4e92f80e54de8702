/**
 * Console sign-in (decision 0014): `POST /console/api/session` takes a staff API key or a username and password and
 * sets the `ombuds_session` cookie (HttpOnly, SameSite=Strict, Path=/, Secure behind TLS); `GET` answers who is
 * signed in; `DELETE` signs out. Every failed sign-in answers the same 401 `INVALID_CREDENTIALS` and counts against
 * the username and the client address (429 `TOO_MANY_ATTEMPTS` beyond the limits). Sign-ins and sign-outs are
 * logged (who, how, from where; never a password, key or token).
 */
import { Router, type Request, type Response } from 'express';
import { SESSION_COOKIE, SignInBody, type SessionView, type StaffMember } from '../contracts/index.js';
import type { Clock } from '../shared/clock.js';
import { CsrfInvalid, InvalidCredentials, PayloadInvalid, TooManyAttempts } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { verifyDummyPassword, verifyPassword } from '../shared/password.js';
import { findStaffForSignIn, type Database } from '../store/index.js';
import { isOwnOrigin, readCookie, type Authenticator, type StaffSession } from './authentication.js';
import { jsonBody } from './json-body.js';
import { createLoginRateLimiter } from './login-rate-limit.js';

export const SESSION_PATH = '/console/api/session';
/** A sign-in body is a username and password (≤ 1 KB) or a key: 8 KB is plenty. */
export const SESSION_BODY_LIMIT_BYTES = 8 * 1024;

export interface SignInLimits {
  /** Failed sign-ins per username per window before 429. */
  perUsername: number;
  /** Failed sign-ins per client address per window (several staff may share an office's address). */
  perAddress: number;
  windowMs: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = { perUsername: 5, perAddress: 20, windowMs: 15 * 60_000 };

export interface SessionRouteOptions {
  database: Database;
  authenticator: Authenticator;
  clock: Clock;
  logger: Logger;
  /** Mark the cookie Secure even when the request reached us over plain HTTP (TLS ends at a proxy). */
  cookieSecure: boolean;
  signInLimits: SignInLimits;
  publicBaseUrl?: string;
}

type Failure = 'unknown_user' | 'no_password' | 'wrong_password' | 'disabled' | 'invalid_key';

function sessionView(staff: StaffMember, session: StaffSession): SessionView {
  return { staff, csrfToken: session.csrfToken, idleExpiresAt: session.idleExpiresAt.toISOString(), expiresAt: session.expiresAt.toISOString() };
}

function clientAddress(request: Request): string {
  return request.socket.remoteAddress ?? 'unknown';
}

export function sessionRoutes(options: SessionRouteOptions): Router {
  const router = Router();
  const limiter = createLoginRateLimiter({ windowMs: options.signInLimits.windowMs, clock: options.clock });
  const cookieOptions = (request: Request) => ({ httpOnly: true, sameSite: 'strict' as const, path: '/', secure: request.secure || options.cookieSecure });

  /** Who the credentials name, or why not. The password path costs one scrypt whatever the outcome. */
  async function check(body: SignInBody): Promise<StaffMember | Failure> {
    if ('apiKey' in body) return (await options.authenticator.staffByKey(body.apiKey)) ?? 'invalid_key';
    const row = await findStaffForSignIn(options.database, body.username);
    if (!row?.passwordHash) {
      await verifyDummyPassword(body.password);
      return row ? 'no_password' : 'unknown_user';
    }
    if (!(await verifyPassword(body.password, row.passwordHash))) return 'wrong_password';
    if (row.disabled) return 'disabled';
    return { id: row.id, username: row.username, displayName: row.displayName, role: row.role, teams: row.teams };
  }

  router.post(
    SESSION_PATH,
    (request, _response, next) => {
      // Login CSRF: another site must not sign a browser in (to an account of its choosing).
      const origin = request.get('origin');
      if (origin !== undefined && !isOwnOrigin(request, origin, options.publicBaseUrl)) throw new CsrfInvalid('Sign in from the console’s own origin.');
      next();
    },
    ...jsonBody(SESSION_BODY_LIMIT_BYTES),
    async (request: Request, response: Response) => {
      const parsed = SignInBody.safeParse(request.body);
      if (!parsed.success) throw new PayloadInvalid('Send {"apiKey"} or {"username", "password"}.');
      const body = parsed.data;
      const username = 'username' in body ? body.username : null;
      const address = clientAddress(request);
      const userKey = username === null ? null : `user:${username.toLowerCase()}`;
      const addressKey = `address:${address}`;
      const audit = { event: 'console.sign_in', method: username === null ? 'api_key' : 'password', ...(username === null ? {} : { username }), clientAddress: address };

      const allowed = limiter.attempt([
        ...(userKey ? [{ key: userKey, limit: options.signInLimits.perUsername }] : []),
        { key: addressKey, limit: options.signInLimits.perAddress },
      ]);
      if (!allowed.allowed) {
        options.logger.warn({ ...audit, outcome: 'rate_limited' }, 'console sign-in refused: too many failures');
        const seconds = Math.max(1, Math.ceil(allowed.retryAfterMs / 1000));
        response.setHeader('Retry-After', String(seconds));
        throw new TooManyAttempts(seconds);
      }
      const outcome = await check(body);
      if (typeof outcome === 'string') {
        options.logger.warn({ ...audit, outcome: 'failed', reason: outcome }, 'console sign-in failed');
        throw new InvalidCredentials();
      }
      limiter.succeeded({ reset: userKey ? [userKey] : [], refund: [addressKey] });
      // A fresh session every time: a cookie the browser already had (planted or old) is never reused.
      const presented = readCookie(request, SESSION_COOKIE);
      if (presented !== undefined) await options.authenticator.endSession(presented);
      const { token, session } = await options.authenticator.startSession(outcome);
      options.logger.info({ ...audit, outcome: 'signed_in', staffId: outcome.id, sessionId: session.id }, 'console sign-in');
      response.cookie(SESSION_COOKIE, token, cookieOptions(request));
      response.setHeader('Cache-Control', 'no-store');
      response.json(sessionView(outcome, session));
    },
  );

  router.get(SESSION_PATH, async (request, response) => {
    const { staff, session } = await options.authenticator.session(request);
    response.setHeader('Cache-Control', 'no-store');
    response.json(sessionView(staff, session));
  });

  router.delete(SESSION_PATH, async (request, response) => {
    const { staff, session } = await options.authenticator.session(request);
    await options.authenticator.endSession(readCookie(request, SESSION_COOKIE) ?? '');
    options.logger.info({ event: 'console.sign_out', staffId: staff.id, sessionId: session.id, clientAddress: clientAddress(request) }, 'console sign-out');
    response.clearCookie(SESSION_COOKIE, cookieOptions(request));
    response.status(204).end();
  });

  return router;
}
