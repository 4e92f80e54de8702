/**
 * Who a request is. Staff and the bank's apps present API keys (`omb_<kind>_<prefix>_<secret>`: the prefix finds
 * the row, the sha256 of the whole key is compared in constant time; verified keys are cached for a short TTL so the
 * intake hot path stays at one database round trip, and a disabled key stops working within the TTL). Staff may
 * instead present the console's session cookie (decision 0014): a row found by the sha256 of its 256-bit token, with
 * a sliding idle timeout and an absolute lifetime, and — for anything but GET/HEAD/OPTIONS — proof that the request
 * comes from our own pages (the session's CSRF token, and our Origin when the browser sends one).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Request } from 'express';
import { CSRF_HEADER, SESSION_COOKIE, type StaffMember } from '../contracts/index.js';
import type { Clock } from '../shared/clock.js';
import { constantTimeEqual, parseApiKey, sha256Hex } from '../shared/crypto.js';
import { CsrfInvalid, Forbidden, Unauthenticated } from '../shared/errors.js';
import {
  deleteExpiredStaffSessions,
  deleteStaffSession,
  findAndTouchStaffSession,
  findApiClientByKeyPrefix,
  findStaffByKeyPrefix,
  insertStaffSession,
  type Database,
} from '../store/index.js';

export interface AppPrincipal {
  id: string;
  name: string;
}

export interface SessionSettings {
  /** A session unused this long ends (sliding). */
  idleTimeoutMs: number;
  /** A session ends this long after sign-in, whatever is done. */
  maxLifetimeMs: number;
  /** Our public URL (PUBLIC_BASE_URL): its origin counts as ours besides the request's own host. */
  publicBaseUrl?: string;
}

export const DEFAULT_SESSION_SETTINGS: SessionSettings = { idleTimeoutMs: 30 * 60_000, maxLifetimeMs: 12 * 3_600_000 };

/** A console session as the console sees it (never its token). */
export interface StaffSession {
  id: string;
  csrfToken: string;
  createdAt: Date;
  /** When it ends if nothing is done before (the idle timeout from its last recorded use, capped by `expiresAt`). */
  idleExpiresAt: Date;
  expiresAt: Date;
}

/**
 * How a cookie-authenticated request that changes state shows it comes from our pages. `token`: the session's
 * `X-CSRF-Token` (and our Origin, when sent). `same-origin`: the browser's own word — `Sec-Fetch-Site: same-origin`,
 * or, from a browser that does not send it, our Origin — for pages we do not write (Bull Board), which cannot add
 * the header.
 */
export type CsrfPolicy = 'token' | 'same-origin';

export interface Authenticator {
  /** A staff member by `Authorization: Bearer <staff key>`, else by the session cookie (CSRF-checked). 401/403 otherwise. */
  staff(request: Request, options?: { csrf?: CsrfPolicy }): Promise<StaffMember>;
  app(request: Request): Promise<AppPrincipal>;
  /** The session cookie's staff member and session (CSRF-checked with the token policy); 401 without a live session. */
  session(request: Request): Promise<{ staff: StaffMember; session: StaffSession }>;
  /** The enabled staff member a staff API key names, or null (signing in with a key). */
  staffByKey(key: string): Promise<StaffMember | null>;
  /** A new session for a staff member who has just proved who they are: the cookie's token (shown once) and the session. */
  startSession(staff: StaffMember): Promise<{ token: string; session: StaffSession }>;
  /** Ends the session of this cookie token, if it is one; true when a session ended. */
  endSession(token: string): Promise<boolean>;
}

const MAX_CACHE_ENTRIES = 10_000;
const STAFF_CREDENTIALS_REQUIRED = 'A valid staff API key (Authorization: Bearer <key>) or console session is required.';
const SESSION_ENDED = 'Your console session has ended or is not valid; sign in again.';
/** 256 bits, base64url. */
const SESSION_TOKEN = /^[A-Za-z0-9_-]{43}$/;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Record a session's use at most this often (the staff API reads its session on every request, but writes rarely). */
const TOUCH_INTERVAL_MS = 60_000;

function presentedKey(request: Request): string {
  const header = request.get('authorization');
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!match?.[1]) throw new Unauthenticated();
  return match[1];
}

/** One cookie of the request's Cookie header, or undefined (the first of that name; values are not decoded). */
export function readCookie(request: Request, name: string): string | undefined {
  const header = request.get('cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim().replace(/^"(.*)"$/, '$1');
  }
  return undefined;
}

/** True when `origin` (an Origin header) is this service: the request's own host, or PUBLIC_BASE_URL's origin. */
export function isOwnOrigin(request: Request, origin: string, publicBaseUrl?: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return false;
  if (publicBaseUrl !== undefined && parsed.origin === new URL(publicBaseUrl).origin) return true;
  const host = request.get('host');
  return host !== undefined && parsed.host === host.toLowerCase();
}

export function createAuthenticator(config: { database: Database; cacheTtlMs: number; clock: Clock; sessions?: SessionSettings }): Authenticator {
  const cache = new Map<string, { principal: StaffMember | AppPrincipal; kind: 'staff' | 'app'; expiresAt: number }>();
  const sessions = config.sessions ?? DEFAULT_SESSION_SETTINGS;
  const touchAfterMs = Math.min(TOUCH_INTERVAL_MS, Math.floor(sessions.idleTimeoutMs / 10));

  function cached(hash: string, kind: 'staff' | 'app'): StaffMember | AppPrincipal | null {
    const entry = cache.get(hash);
    if (!entry || entry.kind !== kind) return null;
    if (entry.expiresAt <= config.clock.now().getTime()) {
      cache.delete(hash);
      return null;
    }
    return entry.principal;
  }

  function remember(hash: string, kind: 'staff' | 'app', principal: StaffMember | AppPrincipal): void {
    if (config.cacheTtlMs <= 0) return;
    if (cache.size >= MAX_CACHE_ENTRIES) cache.clear();
    cache.set(hash, { principal, kind, expiresAt: config.clock.now().getTime() + config.cacheTtlMs });
  }

  async function verify<T extends StaffMember | AppPrincipal>(
    key: string,
    kind: 'staff' | 'app',
    lookup: (prefix: string) => Promise<{ keyHash: string; disabled: boolean; principal: T } | null>,
  ): Promise<T | null> {
    const hash = sha256Hex(key);
    const hit = cached(hash, kind);
    if (hit) return hit as T;
    const parsed = parseApiKey(key);
    if (parsed?.kind !== kind) return null;
    const row = await lookup(parsed.prefix);
    // Compare even when no row was found, so timing does not tell whether a prefix exists.
    const matches = constantTimeEqual(hash, row?.keyHash ?? '0'.repeat(64));
    if (!row || !matches || row.disabled) return null;
    remember(hash, kind, row.principal);
    return row.principal;
  }

  const staffByKey = (key: string) =>
    verify(key, 'staff', async (prefix) => {
      const row = await findStaffByKeyPrefix(config.database, prefix);
      return row
        ? {
            keyHash: row.keyHash,
            disabled: row.disabled,
            principal: { id: row.id, username: row.username, displayName: row.displayName, role: row.role, teams: row.teams },
          }
        : null;
    });

  function checkCsrf(request: Request, csrfToken: string, policy: CsrfPolicy): void {
    const origin = request.get('origin');
    if (origin !== undefined && !isOwnOrigin(request, origin, sessions.publicBaseUrl)) throw new CsrfInvalid('This request comes from another origin.');
    if (policy === 'token') {
      if (!constantTimeEqual(request.get(CSRF_HEADER) ?? '', csrfToken)) throw new CsrfInvalid();
      return;
    }
    const site = request.get('sec-fetch-site');
    if (site !== undefined ? site !== 'same-origin' : origin === undefined) throw new CsrfInvalid('This request must come from a page of this origin.');
  }

  async function fromSession(request: Request, policy: CsrfPolicy): Promise<{ staff: StaffMember; session: StaffSession }> {
    const token = readCookie(request, SESSION_COOKIE);
    if (token === undefined) throw new Unauthenticated(STAFF_CREDENTIALS_REQUIRED);
    if (!SESSION_TOKEN.test(token)) throw new Unauthenticated(SESSION_ENDED);
    const now = config.clock.now();
    const row = await findAndTouchStaffSession(config.database, sha256Hex(token), { now, idleTimeoutMs: sessions.idleTimeoutMs, touchAfterMs });
    if (!row || row.staff.disabled) throw new Unauthenticated(SESSION_ENDED);
    if (!SAFE_METHODS.has(request.method)) checkCsrf(request, row.csrfToken, policy);
    const { disabled: _disabled, ...staff } = row.staff;
    const idleExpiresAt = new Date(Math.min(row.lastSeenAt.getTime() + sessions.idleTimeoutMs, row.expiresAt.getTime()));
    return { staff, session: { id: row.id, csrfToken: row.csrfToken, createdAt: row.createdAt, idleExpiresAt, expiresAt: row.expiresAt } };
  }

  return {
    async staff(request, options) {
      // A Bearer key wins: a browser never adds that header by itself, so such a request needs no CSRF check.
      if (request.get('authorization') !== undefined) {
        const staff = await staffByKey(presentedKey(request));
        if (!staff) throw new Unauthenticated('A valid staff API key is required.');
        return staff;
      }
      return (await fromSession(request, options?.csrf ?? 'token')).staff;
    },
    async app(request) {
      const app = await verify(presentedKey(request), 'app', async (prefix) => {
        const row = await findApiClientByKeyPrefix(config.database, prefix);
        return row ? { keyHash: row.keyHash, disabled: row.disabled, principal: { id: row.id, name: row.name } } : null;
      });
      if (!app) throw new Unauthenticated();
      return app;
    },
    session: (request) => fromSession(request, 'token'),
    staffByKey,
    async startSession(staff) {
      const now = config.clock.now();
      // Ended sessions are swept here: sign-ins are rare, and the sweep is one indexed DELETE.
      await deleteExpiredStaffSessions(config.database, now, sessions.idleTimeoutMs);
      const token = randomBytes(32).toString('base64url');
      const session = { id: randomUUID(), csrfToken: randomBytes(32).toString('base64url'), createdAt: now, expiresAt: new Date(now.getTime() + sessions.maxLifetimeMs) };
      await insertStaffSession(config.database, { ...session, tokenHash: sha256Hex(token), staffId: staff.id });
      const idleExpiresAt = new Date(Math.min(now.getTime() + sessions.idleTimeoutMs, session.expiresAt.getTime()));
      return { token, session: { ...session, idleExpiresAt } };
    },
    async endSession(token) {
      return SESSION_TOKEN.test(token) ? deleteStaffSession(config.database, sha256Hex(token)) : false;
    },
  };
}

/** Supervisors and admins see every team; an agent sees their own teams and may not ask for another's. */
export function teamsVisibleTo(staff: StaffMember, requested: string | undefined): string[] | null {
  if (staff.role !== 'agent') return requested ? [requested] : null;
  if (requested) {
    if (!staff.teams.includes(requested)) throw new Forbidden(`You are not a member of team "${requested}".`);
    return [requested];
  }
  return staff.teams;
}
