import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBotFramework, type FakeBotFramework } from '../../../test/support/fake-bot-framework.js';
import { reply } from '../../../test/support/fake-receiver.js';
import { readJsonFixture } from '../../../test/support/fixtures.js';
import type { RawWebhookRequest } from '../../contracts/channel-adapter.js';
import { isOmbudsError } from '../../shared/errors.js';
import { fixedClock, systemClock } from '../../shared/clock.js';
import { createOpenIdKeySource } from './openid-keys.js';
import { createBotFrameworkVerifier } from './verify.js';

const APP_ID = '5f0e7a3c-1b2d-4e6f-8a9b-0c1d2e3f4a5b';

describe('Bot Framework token verification', () => {
  let fake: FakeBotFramework;
  beforeAll(async () => {
    fake = await startFakeBotFramework({ client: { appId: APP_ID, appPassword: 'secret' } });
  });
  afterAll(async () => {
    await fake.close();
  });

  const activity = (overrides: Record<string, unknown> = {}): Buffer =>
    Buffer.from(JSON.stringify({ ...readJsonFixture('botframework/botframework-1.json'), serviceUrl: fake.url, ...overrides }));

  const request = (authorization: string | undefined, body: Buffer = activity()): RawWebhookRequest => ({
    method: 'POST',
    path: '/api/messages',
    headers: { 'content-type': 'application/json', authorization },
    rawBody: body,
  });

  const verifier = (appId: string | undefined) =>
    createBotFrameworkVerifier({
      appId,
      keys: createOpenIdKeySource({ metadataUrl: fake.openIdMetadataUrl, timeoutMs: 2_000, clock: systemClock }),
      clock: systemClock,
    });

  async function refusal(promise: Promise<void>): Promise<{ status: number; code: string; message: string }> {
    const error: unknown = await promise.then(
      () => null,
      (thrown: unknown) => thrown,
    );
    if (!isOmbudsError(error)) throw new Error(`expected an OmbudsError, got ${String(error)}`);
    return { status: error.httpStatus, code: error.code, message: error.message };
  }

  it('accepts a token the channel signed for this bot and this serviceUrl', async () => {
    await expect(verifier(APP_ID)(request(`Bearer ${await fake.mintToken()}`))).resolves.toBeUndefined();
    // the scheme is case-insensitive, as in the SDK
    await expect(verifier(APP_ID)(request(`bearer ${await fake.mintToken()}`))).resolves.toBeUndefined();
  });

  it.each([
    ['wrong audience', { claims: { aud: 'another-bot' } }, /wrong audience/],
    ['expired', { claims: { exp: Math.floor(Date.now() / 1000) - 3600 } }, /expired/],
    ['not yet valid', { claims: { nbf: Math.floor(Date.now() / 1000) + 3600 } }, /not yet valid/],
    ['wrong issuer', { claims: { iss: 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/' } }, /wrong issuer/],
    ['serviceUrl mismatch', { claims: { serviceurl: 'https://attacker.example/' } }, /serviceurl claim does not match/],
    ['no serviceurl claim', { claims: { serviceurl: undefined } }, /serviceurl claim does not match/],
    ['a key the JWKS does not publish, under the published kid', { untrustedKey: true }, /bad signature/],
    ['an unknown key id', { untrustedKey: true, kid: 'rogue' }, /unknown signing key/],
  ])('refuses a token with %s (401)', async (_name, mint, reason) => {
    const refused = await refusal(verifier(APP_ID)(request(`Bearer ${await fake.mintToken(mint)}`)));
    expect(refused).toMatchObject({ status: 401, code: 'SIGNATURE_INVALID' });
    expect(refused.message).toMatch(reason);
  });

  it('accepts the token within five minutes of clock skew, not beyond', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expect(verifier(APP_ID)(request(`Bearer ${await fake.mintToken({ claims: { exp: now - 200 } })}`))).resolves.toBeUndefined();
    await expect(refusal(verifier(APP_ID)(request(`Bearer ${await fake.mintToken({ claims: { exp: now - 400 } })}`)))).resolves.toMatchObject({ status: 401 });
  });

  it('accepts an audience list that contains the app id', async () => {
    await expect(verifier(APP_ID)(request(`Bearer ${await fake.mintToken({ claims: { aud: ['other', APP_ID] } })}`))).resolves.toBeUndefined();
  });

  it('refuses a key that does not endorse the Activity channel', async () => {
    const token = await fake.mintToken();
    const refused = await refusal(verifier(APP_ID)(request(`Bearer ${token}`, activity({ channelId: 'skype' }))));
    expect(refused).toMatchObject({ status: 401 });
    expect(refused.message).toMatch(/does not endorse channel "skype"/);
  });

  it('refuses a token it cannot bind to the body', async () => {
    const token = await fake.mintToken();
    await expect(refusal(verifier(APP_ID)(request(`Bearer ${token}`, Buffer.from('not json'))))).resolves.toMatchObject({ status: 401 });
    await expect(refusal(verifier(APP_ID)(request(`Bearer ${token}`, Buffer.from('{"type":"message"}'))))).resolves.toMatchObject({ status: 401 });
  });

  it.each([
    ['no header', undefined],
    ['an empty bearer', 'Bearer '],
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['garbage', 'Bearer not-a-jwt'],
    ['three garbage segments', 'Bearer a.b.c'],
    ['an unsigned token (alg none)', `Bearer ${Buffer.from('{"alg":"none","kid":"fake-bf-key-1"}').toString('base64url')}.${Buffer.from('{"iss":"https://api.botframework.com"}').toString('base64url')}.`],
    [
      'an HMAC token',
      `Bearer ${Buffer.from('{"alg":"HS256","kid":"fake-bf-key-1"}').toString('base64url')}.${Buffer.from(`{"iss":"https://api.botframework.com","aud":"${APP_ID}","exp":9999999999}`).toString('base64url')}.c2ln`,
    ],
  ])('refuses %s (401)', async (_name, authorization) => {
    await expect(refusal(verifier(APP_ID)(request(authorization)))).resolves.toMatchObject({ status: 401, code: 'SIGNATURE_INVALID' });
  });

  it('checks nothing without an app id (Emulator mode)', async () => {
    await expect(verifier(undefined)(request(undefined))).resolves.toBeUndefined();
    await expect(verifier('')(request('Bearer garbage'))).resolves.toBeUndefined();
  });

  it('fetches the keys once and reuses them', async () => {
    const check = verifier(APP_ID);
    const before = fake.metadataRequests.length;
    for (let index = 0; index < 3; index += 1) await check(request(`Bearer ${await fake.mintToken()}`));
    expect(fake.metadataRequests.slice(before).map((entry) => entry.path)).toEqual(['/v1/.well-known/openidconfiguration', '/v1/.well-known/keys']);
  });

  it('answers 503 (retryable) while the keys cannot be fetched, then recovers', async () => {
    const check = verifier(APP_ID);
    fake.scriptMetadata(reply.serverError(500));
    const refused: unknown = await check(request(`Bearer ${await fake.mintToken()}`)).catch((error: unknown) => error);
    expect(isOmbudsError(refused) && { status: refused.httpStatus, code: refused.code, retryable: refused.retryable }).toEqual({
      status: 503,
      code: 'AUTH_METADATA_UNAVAILABLE',
      retryable: true,
    });
    await expect(check(request(`Bearer ${await fake.mintToken()}`))).resolves.toBeUndefined();
  });

  it('keeps using cached keys when a refetch fails, and refetches an unknown kid only after the pause', async () => {
    const clock = fixedClock(new Date());
    const keys = createOpenIdKeySource({ metadataUrl: fake.openIdMetadataUrl, timeoutMs: 2_000, clock, minRefreshMs: 60_000 });
    expect((await keys.keyFor(fake.kid))?.kid).toBe(fake.kid);
    const before = fake.metadataRequests.length;
    expect(await keys.keyFor('rotated-in-later')).toBeNull();
    expect(fake.metadataRequests.length).toBe(before);
    clock.advance(61_000);
    fake.scriptMetadata(reply.serverError(503));
    expect(await keys.keyFor('rotated-in-later')).toBeNull();
    expect(fake.metadataRequests.length).toBe(before + 1);
    expect((await keys.keyFor(fake.kid))?.kid).toBe(fake.kid);
  });
});
