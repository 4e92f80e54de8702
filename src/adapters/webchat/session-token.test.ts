import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/clock.js';
import { isOmbudsError } from '../../shared/errors.js';
import { createWebChatSessions, issueSessionToken, readSessionToken, verifySessionToken } from './session-token.js';

const SECRET = 'webchat-session-secret-for-tests-0123456789';
const OTHER_SECRET = 'another-deployment-secret-abcdefghijklmnopqrstuvwxyz';
const AT = new Date('2026-12-01T08:00:00.000Z');
const HOUR = 3_600_000;

function refusal(run: () => unknown): { code: string; httpStatus: number } {
  try {
    run();
  } catch (error) {
    if (isOmbudsError(error)) return { code: error.code, httpStatus: error.httpStatus };
    throw error;
  }
  throw new Error('accepted');
}

/** `token` with the character at `index` replaced by another of the same alphabet. */
function flip(token: string, index: number): string {
  const character = token.charAt(index);
  const replacement = character === '0' ? '1' : character === 'a' ? 'b' : '0';
  return `${token.slice(0, index)}${replacement}${token.slice(index + 1)}`;
}

describe('web chat session tokens', () => {
  it('start a session whose token names it and verifies until it expires, to the second', () => {
    const clock = fixedClock(AT);
    const sessions = createWebChatSessions({ secret: SECRET, ttlMs: 2 * HOUR, clock });
    const session = sessions.start();
    expect(session.sessionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(session.token).toMatch(new RegExp(`^wc1\\.${session.sessionId}\\.\\d+\\.[0-9a-f]{64}$`));
    expect(session.expiresAt).toEqual(new Date(AT.getTime() + 2 * HOUR));
    expect(sessions.verify(session.token)).toEqual({ sessionId: session.sessionId, expiresAt: session.expiresAt });

    clock.set(new Date(session.expiresAt.getTime() - 1));
    expect(sessions.verify(session.token).sessionId).toBe(session.sessionId);
    clock.set(session.expiresAt);
    expect(refusal(() => sessions.verify(session.token))).toEqual({ code: 'SESSION_EXPIRED', httpStatus: 401 });
    // Reading (for a request already verified) does not look at the time.
    expect(sessions.read(session.token).sessionId).toBe(session.sessionId);
  });

  it('gives every session its own id and token', () => {
    const sessions = createWebChatSessions({ secret: SECRET, ttlMs: HOUR, clock: fixedClock(AT) });
    const tokens = new Set(Array.from({ length: 50 }, () => sessions.start().token));
    expect(tokens.size).toBe(50);
  });

  it('refuses every single-character change of a token (session id, expiry or signature)', () => {
    const token = issueSessionToken(SECRET, '6f1c2d3e-4a5b-4c6d-8e7f-8091a2b3c4d5', new Date(AT.getTime() + HOUR));
    for (let index = 0; index < token.length; index += 1) {
      if (token.charAt(index) === '.') continue;
      expect(refusal(() => verifySessionToken(SECRET, flip(token, index), AT)), `character ${String(index)}`).toEqual({ code: 'SIGNATURE_INVALID', httpStatus: 401 });
    }
  });

  it('never lets a token of session A stand for session B, nor extend its own expiry', () => {
    const expiresAt = new Date(AT.getTime() + HOUR);
    const a = '11111111-1111-4111-8111-111111111111';
    const b = '22222222-2222-4222-8222-222222222222';
    const tokenA = issueSessionToken(SECRET, a, expiresAt);
    const signatureA = tokenA.split('.')[3] ?? '';
    const forgedB = `wc1.${b}.${String(expiresAt.getTime() / 1000)}.${signatureA}`;
    expect(refusal(() => verifySessionToken(SECRET, forgedB, AT)).code).toBe('SIGNATURE_INVALID');
    const later = `wc1.${a}.${String(expiresAt.getTime() / 1000 + 86_400)}.${signatureA}`;
    expect(refusal(() => verifySessionToken(SECRET, later, AT)).code).toBe('SIGNATURE_INVALID');
    expect(verifySessionToken(SECRET, tokenA, AT).sessionId).toBe(a);
  });

  it('refuses a token signed with another secret, and anything not shaped like a token', () => {
    const foreign = issueSessionToken(OTHER_SECRET, '6f1c2d3e-4a5b-4c6d-8e7f-8091a2b3c4d5', new Date(AT.getTime() + HOUR));
    expect(refusal(() => readSessionToken(SECRET, foreign)).code).toBe('SIGNATURE_INVALID');
    for (const garbage of ['', 'wc1', 'Bearer x', 'wc2.6f1c2d3e-4a5b-4c6d-8e7f-8091a2b3c4d5.1.0', `${foreign} `, foreign.toUpperCase(), 'x'.repeat(10_000)]) {
      expect(refusal(() => readSessionToken(SECRET, garbage)).code, garbage.slice(0, 20)).toBe('SIGNATURE_INVALID');
    }
  });

  it('refuses to sign with a short secret', () => {
    expect(refusal(() => createWebChatSessions({ secret: 'too-short', ttlMs: HOUR, clock: fixedClock(AT) })).code).toBe('CONFIG_INVALID');
  });
});
