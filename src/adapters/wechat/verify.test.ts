import { describe, expect, it } from 'vitest';
import { officialVectorRequest, rawWeChatRequest, signedWeChatPost, signedWeChatQuery, WECHAT_OFFICIAL_VECTOR, wechatTextXml, wechatWebhookRequest } from '../../../test/support/fake-wechat.js';
import type { RawWebhookRequest } from '../../contracts/channel-adapter.js';
import { fixedClock } from '../../shared/clock.js';
import { isOmbudsError } from '../../shared/errors.js';
import { wechatAesKey } from './message-crypto.js';
import { wechatSignature } from './signature.js';
import { answerWeChatChallenge, verifyWeChatRequest, type WeChatVerification } from './verify.js';

const NOW = new Date('2026-12-01T08:00:00.000Z');
const TIMESTAMP = String(NOW.getTime() / 1000);
const TOKEN = 'verifyToken7';
const VECTOR = WECHAT_OFFICIAL_VECTOR;
const MESSAGE = wechatTextXml({ openId: 'oCustomer001', msgId: '6054768590064713728', text: '你好', createTime: Number(TIMESTAMP) });

const plain: WeChatVerification = { token: TOKEN, cipher: null, clock: fixedClock(NOW), timestampToleranceSeconds: 300 };
const safe = (at: Date, appId: string = VECTOR.appId): WeChatVerification => ({
  token: VECTOR.token,
  cipher: { key: wechatAesKey(VECTOR.encodingAesKey), appId },
  clock: fixedClock(at),
  timestampToleranceSeconds: 300,
});
const VECTOR_AT = new Date(Number(VECTOR.timestamp) * 1000);

async function refusal(run: Promise<unknown>): Promise<string> {
  const error: unknown = await run.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!isOmbudsError(error)) throw new Error(`expected a refusal, got ${String(error)}`);
  expect(error).toMatchObject({ httpStatus: 401, code: 'SIGNATURE_INVALID' });
  return error.message;
}

function withQuery(request: RawWebhookRequest, change: (params: URLSearchParams) => void): RawWebhookRequest {
  const [path = '', query = ''] = request.path.split('?');
  const params = new URLSearchParams(query);
  change(params);
  return { ...request, path: `${path}?${params.toString()}` };
}

describe('verifyWeChatRequest, plain mode', () => {
  it('accepts a POST signed with the token and a fresh timestamp', async () => {
    await expect(verifyWeChatRequest(wechatWebhookRequest(MESSAGE, { token: TOKEN, timestamp: TIMESTAMP }), plain)).resolves.toBeUndefined();
    // encrypt_type=raw is WeChat's other spelling of plain mode.
    const raw = withQuery(wechatWebhookRequest(MESSAGE, { token: TOKEN, timestamp: TIMESTAMP }), (params) => { params.set('encrypt_type', 'raw'); });
    await expect(verifyWeChatRequest(raw, plain)).resolves.toBeUndefined();
  });

  it('refuses a missing, wrong or one-character-changed signature, another token, or a changed nonce', async () => {
    const request = wechatWebhookRequest(MESSAGE, { token: TOKEN, timestamp: TIMESTAMP, nonce: '12345' });
    const signature = new URLSearchParams(request.path.split('?')[1]).get('signature') ?? '';
    const flipped = `${signature.slice(0, -1)}${signature.endsWith('a') ? 'b' : 'a'}`;
    expect(await refusal(verifyWeChatRequest(withQuery(request, (params) => { params.delete('signature'); }), plain))).toMatch(/missing/);
    expect(await refusal(verifyWeChatRequest(withQuery(request, (params) => { params.set('signature', flipped); }), plain))).toMatch(/does not verify/);
    expect(await refusal(verifyWeChatRequest(withQuery(request, (params) => { params.set('nonce', '12346'); }), plain))).toMatch(/does not verify/);
    expect(await refusal(verifyWeChatRequest(wechatWebhookRequest(MESSAGE, { token: 'otherToken', timestamp: TIMESTAMP }), plain))).toMatch(/does not verify/);
    expect(await refusal(verifyWeChatRequest({ ...request, path: '/webhooks/wechat' }, plain))).toMatch(/missing/);
  });

  it('refuses a correctly signed timestamp outside the tolerance (a replayed URL), unless the check is off', async () => {
    const old = String(Number(TIMESTAMP) - 301);
    const request = wechatWebhookRequest(MESSAGE, { token: TOKEN, timestamp: old });
    expect(await refusal(verifyWeChatRequest(request, plain))).toMatch(/too far/);
    const future = wechatWebhookRequest(MESSAGE, { token: TOKEN, timestamp: String(Number(TIMESTAMP) + 301) });
    expect(await refusal(verifyWeChatRequest(future, plain))).toMatch(/too far/);
    await expect(verifyWeChatRequest(wechatWebhookRequest(MESSAGE, { token: TOKEN, timestamp: String(Number(TIMESTAMP) - 299) }), plain)).resolves.toBeUndefined();
    await expect(verifyWeChatRequest(request, { ...plain, timestampToleranceSeconds: 0 })).resolves.toBeUndefined();
  });

  it('refuses an encrypted POST when no EncodingAESKey is configured, and an unknown encrypt_type', async () => {
    const encrypted = wechatWebhookRequest(MESSAGE, { token: TOKEN, timestamp: TIMESTAMP, aes: { encodingAesKey: VECTOR.encodingAesKey, appId: VECTOR.appId } });
    expect(await refusal(verifyWeChatRequest(encrypted, plain))).toMatch(/no EncodingAESKey/);
    const unknown = withQuery(wechatWebhookRequest(MESSAGE, { token: TOKEN, timestamp: TIMESTAMP }), (params) => { params.set('encrypt_type', 'des'); });
    expect(await refusal(verifyWeChatRequest(unknown, plain))).toMatch(/encrypt_type/);
  });
});

describe('verifyWeChatRequest, safe mode', () => {
  it('accepts the official compat-mode vector (fixture wechat-4, msg_signature 5d197aaf…)', async () => {
    await expect(verifyWeChatRequest(officialVectorRequest(), safe(VECTOR_AT))).resolves.toBeUndefined();
  });

  it('refuses the vector with one byte of its body changed, inside or outside <Encrypt>', async () => {
    const vector = officialVectorRequest();
    const start = vector.rawBody.indexOf('<Encrypt><![CDATA[') + '<Encrypt><![CDATA['.length;
    for (const offset of [start, start + 100, vector.rawBody.indexOf(']]></Encrypt>') - 2]) {
      const tampered = Buffer.from(vector.rawBody);
      tampered[offset] = tampered[offset] === 0x41 ? 0x42 : 0x41;
      expect(await refusal(verifyWeChatRequest({ ...vector, rawBody: tampered }, safe(VECTOR_AT)))).toMatch(/msg_signature/);
    }
    // Outside <Encrypt> the plaintext copy is not signed and not used: changing it changes nothing that is read.
    const plainCopyChanged = Buffer.from(vector.rawBody.toString('utf8').replace('abcdteT', 'abcdteX'), 'utf8');
    await expect(verifyWeChatRequest({ ...vector, rawBody: plainCopyChanged }, safe(VECTOR_AT))).resolves.toBeUndefined();
  });

  it('refuses a missing or changed msg_signature, a plaintext POST, and a message for another appid', async () => {
    const vector = officialVectorRequest();
    expect(await refusal(verifyWeChatRequest(withQuery(vector, (params) => { params.delete('msg_signature'); }), safe(VECTOR_AT)))).toMatch(/missing/);
    expect(await refusal(verifyWeChatRequest(withQuery(vector, (params) => { params.set('msg_signature', '5d197aaffba7e9b25a30732f161a50dee96bd5fb'); }), safe(VECTOR_AT)))).toMatch(/does not verify/);
    const withoutAes = withQuery(vector, (params) => {
      params.delete('encrypt_type');
      params.delete('msg_signature');
    });
    expect(await refusal(verifyWeChatRequest(withoutAes, safe(VECTOR_AT)))).toMatch(/plaintext/);
    expect(await refusal(verifyWeChatRequest(vector, safe(VECTOR_AT, 'wx0000000000000000')))).toMatch(/another appid/);
  });

  it('refuses an envelope it cannot read or that has no <Encrypt>, as unverifiable', async () => {
    const at = safe(NOW);
    const signing = { token: VECTOR.token, timestamp: TIMESTAMP, nonce: '99' };
    const aesQuery = signedWeChatQuery(signing, { encrypt_type: 'aes', msg_signature: wechatSignature([VECTOR.token, TIMESTAMP, '99', '']) });
    expect(await refusal(verifyWeChatRequest(rawWeChatRequest(Buffer.from('junk'), aesQuery), at))).toMatch(/cannot be read/);
    expect(await refusal(verifyWeChatRequest(rawWeChatRequest(Buffer.from('<xml><ToUserName>x</ToUserName></xml>'), aesQuery), at))).toMatch(/no <Encrypt>/);
    const good = signedWeChatPost(MESSAGE, { ...signing, aes: { encodingAesKey: VECTOR.encodingAesKey, appId: VECTOR.appId } });
    await expect(verifyWeChatRequest(rawWeChatRequest(good.body, good.query), at)).resolves.toBeUndefined();
  });
});

describe('answerWeChatChallenge (GET)', () => {
  const get = (query: string): RawWebhookRequest => rawWeChatRequest(Buffer.alloc(0), query, 'GET');

  it('answers echostr when the signature verifies, in plain and in safe mode', async () => {
    const query = signedWeChatQuery({ token: TOKEN, timestamp: TIMESTAMP }, { echostr: '5837397520665436492' });
    await expect(answerWeChatChallenge(get(query), plain)).resolves.toBe('5837397520665436492');
    const safeQuery = signedWeChatQuery({ token: VECTOR.token, timestamp: TIMESTAMP }, { echostr: '123' });
    await expect(answerWeChatChallenge(get(safeQuery), safe(NOW))).resolves.toBe('123');
  });

  it('refuses a wrong signature, a stale timestamp, or a missing or strange echostr', async () => {
    expect(await refusal(answerWeChatChallenge(get(signedWeChatQuery({ token: 'wrongToken', timestamp: TIMESTAMP }, { echostr: '1' })), plain))).toMatch(/does not verify/);
    expect(await refusal(answerWeChatChallenge(get(signedWeChatQuery({ token: TOKEN, timestamp: '1409304348' }, { echostr: '1' })), plain))).toMatch(/too far/);
    expect(await refusal(answerWeChatChallenge(get(signedWeChatQuery({ token: TOKEN, timestamp: TIMESTAMP })), plain))).toMatch(/echostr/);
    expect(await refusal(answerWeChatChallenge(get(signedWeChatQuery({ token: TOKEN, timestamp: TIMESTAMP }, { echostr: '<script>' })), plain))).toMatch(/echostr/);
    // The official vector of the plain signature, at its own time.
    const vector = get(new URLSearchParams({ signature: '76480565cbe296026c53aaacd1ad523a1ddba24f', timestamp: '1409304348', nonce: 'xxxxxx', echostr: 'ok' }).toString());
    await expect(answerWeChatChallenge(vector, { ...plain, token: 'pamtest', clock: fixedClock(new Date(1_409_304_348_000)) })).resolves.toBe('ok');
  });
});
