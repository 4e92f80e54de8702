/**
 * API-key authentication for staff and for the bank's apps. Keys look like `omb_<kind>_<prefix>_<secret>`: the
 * prefix finds the row, the sha256 of the whole key is compared in constant time. Verified keys are cached for a
 * short TTL so the intake hot path stays at one database round trip; a disabled key stops working within the TTL.
 */
import type { Request } from 'express';
import type { StaffMember } from '../contracts/index.js';
import type { Clock } from '../shared/clock.js';
import { constantTimeEqual, parseApiKey, sha256Hex } from '../shared/crypto.js';
import { Forbidden, Unauthenticated } from '../shared/errors.js';
import { findApiClientByKeyPrefix, findStaffByKeyPrefix, type Database } from '../store/index.js';

export interface AppPrincipal {
  id: string;
  name: string;
}

export interface Authenticator {
  staff(request: Request): Promise<StaffMember>;
  app(request: Request): Promise<AppPrincipal>;
}

const MAX_CACHE_ENTRIES = 10_000;

function presentedKey(request: Request): string {
  const header = request.get('authorization');
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!match?.[1]) throw new Unauthenticated();
  return match[1];
}

export function createAuthenticator(config: { database: Database; cacheTtlMs: number; clock: Clock }): Authenticator {
  const cache = new Map<string, { principal: StaffMember | AppPrincipal; kind: 'staff' | 'app'; expiresAt: number }>();

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
    request: Request,
    kind: 'staff' | 'app',
    lookup: (prefix: string) => Promise<{ keyHash: string; disabled: boolean; principal: T } | null>,
  ): Promise<T> {
    const key = presentedKey(request);
    const hash = sha256Hex(key);
    const hit = cached(hash, kind);
    if (hit) return hit as T;
    const parsed = parseApiKey(key);
    if (parsed?.kind !== kind) throw new Unauthenticated(kind === 'staff' ? 'A valid staff API key is required.' : undefined);
    const row = await lookup(parsed.prefix);
    // Compare even when no row was found, so timing does not tell whether a prefix exists.
    const matches = constantTimeEqual(hash, row?.keyHash ?? '0'.repeat(64));
    if (!row || !matches || row.disabled) throw new Unauthenticated(kind === 'staff' ? 'A valid staff API key is required.' : undefined);
    remember(hash, kind, row.principal);
    return row.principal;
  }

  return {
    staff: (request) =>
      verify(request, 'staff', async (prefix) => {
        const row = await findStaffByKeyPrefix(config.database, prefix);
        return row
          ? {
              keyHash: row.keyHash,
              disabled: row.disabled,
              principal: { id: row.id, username: row.username, displayName: row.displayName, role: row.role, teams: row.teams },
            }
          : null;
      }),
    app: (request) =>
      verify(request, 'app', async (prefix) => {
        const row = await findApiClientByKeyPrefix(config.database, prefix);
        return row ? { keyHash: row.keyHash, disabled: row.disabled, principal: { id: row.id, name: row.name } } : null;
      }),
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
