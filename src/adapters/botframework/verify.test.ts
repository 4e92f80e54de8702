import { ToBotFromBotOrEmulatorTokenValidationParameters } from 'botframework-connector';
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { startFakeBotFramework, type FakeBotFramework } from '../../../test/support/fake-bot-framework.js';
import { reply } from '../../../test/support/fake-receiver.js';
import { readJsonFixture } from '../../../test/support/fixtures.js';
import type { RawWebhookRequest } from '../../contracts/channel-adapter.js';
import { isOmbudsError } from '../../shared/errors.js';
import { createBotFrameworkAdapter } from './index.js';

const APP_ID = '5f0e7a3c-1b2d-4e6f-8a9b-0c1d2e3f4a5b';

describe('Bot Framework token verification (botframework-connector BotFrameworkAuthentication)', () => {
  let fake: FakeBotFramework;
  /** The SDK writes refused tokens' errors (and the public key) to console.error; kept off the test output. */
  let consoleError: MockInstance<typeof console.error>;
  beforeAll(async () => {
    fake = await startFakeBotFramework({ client: { appId: APP_ID, appPassword: 'secret' } });
    consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterAll(async () => {
    consoleError.mockRestore();
    await fake.close();
  });

  const activity = (server: FakeBotFramework = fake, overrides: Record<string, unknown> = {}): Buffer =>
    Buffer.from(JSON.stringify({ ...readJsonFixture('botframework/botframework-1.json'), serviceUrl: server.url, ...overrides }));

  const request = (authorization: string | undefined, body: Buffer = activity()): RawWebhookRequest => ({
    method: 'POST',
    path: '/api/messages',
    headers: { 'content-type': 'application/json', authorization },
    rawBody: body,
  });

  const verifier = (appId: string | undefined, server: FakeBotFramework = fake, timeoutMs = 2_000) => {
    const adapter = createBotFrameworkAdapter({ appId, appPassword: 'secret', openIdMetadataUrl: server.openIdMetadataUrl, tokenEndpoint: server.tokenEndpoint, timeoutMs });
    return (raw: RawWebhookRequest) => adapter.verify(raw);
  };

  async function refusal(promise: Promise<void>): Promise<{ status: number; code: string; message: string; retryable: boolean }> {
    const error: unknown = await promise.then(
      () => null,
      (thrown: unknown) => thrown,
    );
    if (!isOmbudsError(error)) throw new Error(`expected an OmbudsError, got ${String(error)}`);
    return { status: error.httpStatus, code: error.code, message: error.message, retryable: error.retryable };
  }

  it('accepts a token the channel signed for this bot and this serviceUrl', async () => {
    await expect(verifier(APP_ID)(request(`Bearer ${await fake.mintToken()}`))).resolves.toBeUndefined();
    // the scheme is case-insensitive (RFC 7235); the SDK is handed the canonical "Bearer"
    await expect(verifier(APP_ID)(request(`bearer ${await fake.mintToken()}`))).resolves.toBeUndefined();
  });

  it.each([
    ['wrong audience', { claims: { aud: 'another-bot' } }, /wrong audience/],
    // the SDK compares `aud` with the app id as a string: a list is refused even when it names the bot
    ['an audience list', { claims: { aud: ['other', APP_ID] } }, /wrong audience/],
    ['expired', { claims: { exp: Math.floor(Date.now() / 1000) - 3600 } }, /expired/],
    ['not yet valid', { claims: { nbf: Math.floor(Date.now() / 1000) + 3600 } }, /not yet valid/],
    ['wrong issuer', { claims: { iss: 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/' } }, /wrong issuer/],
    ['serviceUrl mismatch', { claims: { serviceurl: 'https://attacker.example/' } }, /serviceurl claim does not match/],
    ['no serviceurl claim', { claims: { serviceurl: undefined } }, /serviceurl claim does not match/],
    ['a key the JWKS does not publish, under the published kid', { untrustedKey: true }, /bad signature/],
    ['an unknown key id', { untrustedKey: true, kid: 'rogue' }, /unknown signing key/],
  ])('refuses a token with %s (401)', async (_name, mint, reason) => {
    const token = await fake.mintToken(mint);
    const refused = await refusal(verifier(APP_ID)(request(`Bearer ${token}`)));
    expect(refused).toMatchObject({ status: 401, code: 'SIGNATURE_INVALID' });
    expect(refused.message).toMatch(reason);
    // What the SDK writes to the console never carries the token.
    expect(JSON.stringify(consoleError.mock.calls.map((call) => call.map(String)))).not.toContain(token);
  });

  it('accepts the token within five minutes of clock skew, not beyond', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expect(verifier(APP_ID)(request(`Bearer ${await fake.mintToken({ claims: { exp: now - 200 } })}`))).resolves.toBeUndefined();
    await expect(refusal(verifier(APP_ID)(request(`Bearer ${await fake.mintToken({ claims: { exp: now - 400 } })}`)))).resolves.toMatchObject({ status: 401 });
  });

  it('refuses a key that does not endorse the Activity channel', async () => {
    const token = await fake.mintToken();
    const refused = await refusal(verifier(APP_ID)(request(`Bearer ${token}`, activity(fake, { channelId: 'skype' }))));
    expect(refused).toMatchObject({ status: 401 });
    expect(refused.message).toMatch(/does not endorse channel "skype"/);
  });

  it('refuses a token it cannot bind to the body', async () => {
    const token = await fake.mintToken();
    await expect(refusal(verifier(APP_ID)(request(`Bearer ${token}`, Buffer.from('not json'))))).resolves.toMatchObject({ status: 401 });
    await expect(refusal(verifier(APP_ID)(request(`Bearer ${token}`, Buffer.from('{"type":"message"}'))))).resolves.toMatchObject({ status: 401 });
    const noChannel = Buffer.from(JSON.stringify({ type: 'message', serviceUrl: fake.url }));
    await expect(refusal(verifier(APP_ID)(request(`Bearer ${token}`, noChannel)))).resolves.toMatchObject({ status: 401 });
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
    const own = await startFakeBotFramework({ client: { appId: APP_ID, appPassword: 'secret' } });
    try {
      const check = verifier(APP_ID, own);
      for (let index = 0; index < 3; index += 1) await check(request(`Bearer ${await own.mintToken()}`, activity(own)));
      // another adapter in the same process shares the SDK's key cache
      await verifier(APP_ID, own)(request(`Bearer ${await own.mintToken()}`, activity(own)));
      expect(own.metadataRequests.map((entry) => entry.path)).toEqual(['/v1/.well-known/openidconfiguration', '/v1/.well-known/keys']);
    } finally {
      await own.close();
    }
  });

  it('refuses tokens with unknown key ids without refetching the keys for each', async () => {
    const before = fake.metadataRequests.length;
    await verifier(APP_ID)(request(`Bearer ${await fake.mintToken()}`));
    for (const kid of ['rotated-1', 'rotated-2', 'rotated-3']) {
      const refused = await refusal(verifier(APP_ID)(request(`Bearer ${await fake.mintToken({ untrustedKey: true, kid })}`)));
      expect(refused.message).toMatch(/unknown signing key/);
    }
    // the SDK refetches for an unknown kid at most once an hour; the cache here is minutes old
    expect(fake.metadataRequests.length).toBe(before);
  });

  it('answers 503 (retryable) while the keys cannot be fetched or do not come, then recovers', async () => {
    const own = await startFakeBotFramework({ client: { appId: APP_ID, appPassword: 'secret' } });
    try {
      const check = verifier(APP_ID, own, 500);
      own.scriptMetadata(reply.serverError(500), reply.hang());
      const unavailable = { status: 503, code: 'AUTH_METADATA_UNAVAILABLE', retryable: true };
      await expect(refusal(check(request(`Bearer ${await own.mintToken()}`, activity(own))))).resolves.toMatchObject(unavailable);
      await expect(refusal(check(request(`Bearer ${await own.mintToken()}`, activity(own))))).resolves.toMatchObject(unavailable);
      await expect(check(request(`Bearer ${await own.mintToken()}`, activity(own)))).resolves.toBeUndefined();
    } finally {
      await own.close();
    }
  });

  it('refuses tokens from other issuers before the SDK fetches any key for them', async () => {
    const own = await startFakeBotFramework({ client: { appId: APP_ID, appPassword: 'secret' } });
    try {
      const check = verifier(APP_ID, own);
      for (const iss of ['https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/', 'https://login.microsoftonline.com/d6d49420-f39b-4df7-a1dc-d59a935871db/v2.0']) {
        const token = await own.mintToken({ claims: { iss }, extraClaims: { ver: '1.0', appid: APP_ID } });
        await expect(refusal(check(request(`Bearer ${token}`, activity(own))))).resolves.toMatchObject({ status: 401, message: expect.stringMatching(/wrong issuer/) as unknown });
      }
      expect(own.metadataRequests).toEqual([]);
    } finally {
      await own.close();
    }
  });

  it('does not let unauthenticated tokens grow the SDK issuer list (tid claims)', async () => {
    const issuers = ToBotFromBotOrEmulatorTokenValidationParameters.issuer;
    const before = Array.isArray(issuers) ? issuers.length : -1;
    for (let index = 0; index < 5; index += 1) {
      const token = await fake.mintToken({ untrustedKey: true, extraClaims: { tid: `attacker-tenant-${String(index)}` } });
      await expect(refusal(verifier(APP_ID)(request(`Bearer ${token}`)))).resolves.toMatchObject({ status: 401 });
    }
    expect(Array.isArray(issuers) ? issuers.length : -1).toBe(before);
    expect(before).toBeGreaterThan(0);
  });
});
