/** Tests for verify.ts (X-Hub-Signature-256) and challenge.ts (the GET subscription check). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '../../../test/support/fixtures.js';
import { metaJson, metaWebhookRequest } from '../../../test/support/fake-meta.js';
import type { RawWebhookRequest } from '../../contracts/channel-adapter.js';
import { isOmbudsError } from '../../shared/errors.js';
import { answerMetaChallenge } from './challenge.js';
import { metaSignature, verifyMetaRequest } from './verify.js';

const APP_SECRET = 'meta-app-secret-0123456789abcdef';

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

function withSignature(request: RawWebhookRequest, signature: string | undefined): RawWebhookRequest {
  const { 'x-hub-signature-256': _dropped, ...headers } = request.headers;
  return { ...request, headers: signature === undefined ? headers : { ...headers, 'x-hub-signature-256': signature } };
}

describe('verifyMetaRequest', () => {
  it('computes the published test vector of this scheme (HMAC-SHA256 hex after "sha256=", as GitHub documents for the same header)', async () => {
    // docs.github.com, "Validating webhook deliveries": secret "It's a Secret to Everybody", payload "Hello, World!".
    const signature = metaSignature('Hello, World!', "It's a Secret to Everybody");
    expect(signature).toBe('sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17');
    const request = withSignature(metaWebhookRequest('Hello, World!'), signature);
    await expect(verifyMetaRequest(request, "It's a Secret to Everybody")).resolves.toBeUndefined();
  });

  it('accepts a fixture signed over its exact bytes, and refuses it with one byte changed', async () => {
    const body = readFileSync(fixturePath('whatsapp/whatsapp-1.json'));
    const signed = metaWebhookRequest(body, APP_SECRET);
    await expect(verifyMetaRequest(signed, APP_SECRET)).resolves.toBeUndefined();
    const tampered = Buffer.from(body);
    tampered[tampered.indexOf('Hello')] = 'J'.charCodeAt(0);
    const error = await refusal(verifyMetaRequest({ ...signed, rawBody: tampered }, APP_SECRET));
    expect(isOmbudsError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'SIGNATURE_INVALID', httpStatus: 401 });
  });

  it('verifies the escaped bytes Meta sends, and refuses the same JSON serialised again (the reason never to re-serialise)', async () => {
    const escaped = metaJson({ object: 'page', entry: [{ text: '我的卡被盗刷了 — café', url: 'https://example.org/a' }] });
    expect(escaped).toContain('\\u6211');
    expect(escaped).toContain('https:\\/\\/');
    const request = metaWebhookRequest(escaped, APP_SECRET);
    await expect(verifyMetaRequest(request, APP_SECRET)).resolves.toBeUndefined();
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(escaped)), 'utf8');
    expect(reserialised.equals(request.rawBody)).toBe(false);
    await expect(verifyMetaRequest({ ...request, rawBody: reserialised }, APP_SECRET)).rejects.toMatchObject({ code: 'SIGNATURE_INVALID' });
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['without the sha256= prefix', metaSignature('{}', APP_SECRET).slice('sha256='.length)],
    ['the legacy sha1 form', 'sha1=0123456789abcdef0123456789abcdef01234567'],
    ['too short', 'sha256=abc'],
    ['signed with another secret', metaSignature('{"object":"page","entry":[]}', 'another-secret')],
    ['not hex', `sha256=${'z'.repeat(64)}`],
  ])('refuses a signature that is %s with 401 SIGNATURE_INVALID', async (_name, signature) => {
    const request = withSignature(metaWebhookRequest('{"object":"page","entry":[]}'), signature);
    await expect(verifyMetaRequest(request, APP_SECRET)).rejects.toMatchObject({ code: 'SIGNATURE_INVALID', httpStatus: 401 });
  });

  it('accepts upper-case hex and surrounding spaces (the header is compared by value, not by spelling)', async () => {
    const body = '{"object":"page","entry":[]}';
    const signature = metaSignature(body, APP_SECRET);
    const request = withSignature(metaWebhookRequest(body), ` sha256=${signature.slice(7).toUpperCase()} `);
    await expect(verifyMetaRequest(request, APP_SECRET)).resolves.toBeUndefined();
  });
});

describe('answerMetaChallenge', () => {
  const TOKEN = 'verify-token-for-tests';
  const get = (query: string): RawWebhookRequest => ({ method: 'GET', path: `/webhooks/meta?${query}`, headers: {}, rawBody: Buffer.alloc(0) });

  it('answers the challenge when the mode is subscribe and the token matches', async () => {
    await expect(answerMetaChallenge(get(`hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=${TOKEN}`), TOKEN)).resolves.toBe('1158201444');
  });

  it.each([
    ['a wrong token', `hub.mode=subscribe&hub.challenge=1&hub.verify_token=${TOKEN}x`],
    ['no token', 'hub.mode=subscribe&hub.challenge=1'],
    ['an empty token', 'hub.mode=subscribe&hub.challenge=1&hub.verify_token='],
    ['another mode', `hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=${TOKEN}`],
    ['no query at all', ''],
  ])('refuses %s with 403', async (_name, query) => {
    await expect(answerMetaChallenge(get(query), TOKEN)).rejects.toMatchObject({ code: 'FORBIDDEN', httpStatus: 403 });
  });

  it('does not echo a missing or markup challenge (400)', async () => {
    await expect(answerMetaChallenge(get(`hub.mode=subscribe&hub.verify_token=${TOKEN}`), TOKEN)).rejects.toMatchObject({ code: 'PAYLOAD_INVALID' });
    await expect(answerMetaChallenge(get(`hub.mode=subscribe&hub.challenge=%3Cscript%3E&hub.verify_token=${TOKEN}`), TOKEN)).rejects.toMatchObject({ httpStatus: 400 });
  });
});
