/**
 * Property test of `POST /webhooks/wechat` over real HTTP (a whole Ombuds on the embedded configuration, listening on
 * a free port; fetch sends the exact bytes whatever the content type claims), in plain
 * and in safe mode: random bodies (text, binary, XML-ish, mutated fixtures, re-encoded), random content types and
 * random queries (no signature, a wrong one, a stale one, a correct one, random `encrypt_type` and `msg_signature`)
 * never get a 5xx, never cause an unhandled rejection, and never store a message unless the request was signed
 * correctly; a correctly signed request is answered 200 or 400, an unsigned one 401.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wechatSignature } from '../../src/adapters/wechat/index.js';
import { signedWeChatPost, startFakeWeChat, WECHAT_OFFICIAL_VECTOR, wechatPlainFixtures, wechatTextXml, type FakeWeChat } from '../support/fake-wechat.js';
import { startHarness, type Harness } from '../support/ombuds-harness.js';

const TOKEN = 'propertyToken99';
const APP = { appId: WECHAT_OFFICIAL_VECTOR.appId, appSecret: '00112233445566778899aabbccddeeff' };
const RUNS = 120;

type Signing = 'none' | 'wrong' | 'stale' | 'valid' | 'valid-extra-params';

interface Case {
  body: Buffer;
  contentType: string;
  signing: Signing;
  /** Extra query parameters (random encrypt_type, msg_signature, junk). */
  extra: Record<string, string>;
}

const FIXTURES = wechatPlainFixtures().map((fixture) => fixture.body.toString('utf8'));

/** XML shaped like WeChat's with random fields, values and nesting. */
const xmlish = fc
  .array(
    fc.record({
      tag: fc.constantFrom('ToUserName', 'FromUserName', 'CreateTime', 'MsgType', 'Content', 'MsgId', 'Event', 'PicUrl', 'MediaId', 'Recognition', 'Encrypt', 'x', '__proto__', 'constructor'),
      value: fc.oneof(fc.string(), fc.constantFrom('text', 'event', 'voice', 'image', '1234567890123456789012', '-1', '<![CDATA[x]]>', ']]>', '&amp;', '&lt;', '&#0;')),
      cdata: fc.boolean(),
    }),
    { maxLength: 10 },
  )
  .map((fields) => `<xml>${fields.map(({ tag, value, cdata }) => `<${tag}>${cdata ? `<![CDATA[${value}]]>` : value}</${tag}>`).join('')}</xml>`);

/** A fixture with a random slice replaced by random text. */
const mutatedFixture = fc
  .tuple(fc.constantFrom(...FIXTURES), fc.nat(), fc.nat(), fc.string())
  .map(([fixture, start, length, insert]) => {
    const from = start % (fixture.length + 1);
    return `${fixture.slice(0, from)}${insert}${fixture.slice(from + (length % 16))}`;
  });

const text = fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 100 }), xmlish, mutatedFixture, fc.constantFrom('', 'null', '{}', '<xml/>', '<!DOCTYPE x [<!ENTITY a "b">]><xml>&a;</xml>'));

const body = fc.oneof(
  fc.tuple(text, fc.constantFrom<BufferEncoding>('utf8', 'latin1', 'utf16le')).map(([value, encoding]) => Buffer.from(value, encoding)),
  fc.uint8Array({ maxLength: 600 }).map((bytes) => Buffer.from(bytes)),
);

const caseArbitrary: fc.Arbitrary<Case> = fc.record({
  body,
  contentType: fc.constantFrom('text/xml', 'application/xml', 'application/json', 'text/plain; charset=gbk', 'application/octet-stream', ''),
  signing: fc.constantFrom<Signing>('none', 'wrong', 'stale', 'valid', 'valid-extra-params'),
  extra: fc.dictionary(fc.constantFrom('encrypt_type', 'msg_signature', 'openid', 'echostr', 'junk'), fc.oneof(fc.constantFrom('aes', 'raw', ''), fc.string({ maxLength: 50 })), { maxKeys: 3 }),
});

function queryFor(testCase: Case, token: string, aes: boolean): { query: string; body: Buffer; signed: boolean } {
  const now = Math.floor(Date.now() / 1000);
  const nonce = String(now % 100_000);
  const sign = (timestamp: number, withToken: string) =>
    new URLSearchParams({ signature: wechatSignature([withToken, String(timestamp), nonce]), timestamp: String(timestamp), nonce });
  switch (testCase.signing) {
    case 'none':
      return { query: new URLSearchParams(testCase.extra).toString(), body: testCase.body, signed: false };
    case 'wrong':
      return { query: new URLSearchParams({ ...Object.fromEntries(sign(now, `${token}x`)), ...testCase.extra }).toString(), body: testCase.body, signed: false };
    case 'stale':
      return { query: new URLSearchParams({ ...Object.fromEntries(sign(now - 7200, token)), ...testCase.extra }).toString(), body: testCase.body, signed: false };
    case 'valid': {
      if (!aes) return { query: sign(now, token).toString(), body: testCase.body, signed: true };
      const post = signedWeChatPost(testCase.body, { token, timestamp: String(now), nonce, aes: { encodingAesKey: WECHAT_OFFICIAL_VECTOR.encodingAesKey, appId: APP.appId } });
      return { ...post, signed: true };
    }
    case 'valid-extra-params': {
      // Correctly signed, but the extra parameters may claim or deny encryption: only a consistent request can verify.
      const query = new URLSearchParams({ ...Object.fromEntries(sign(now, token)), ...testCase.extra });
      const encryptType = testCase.extra.encrypt_type;
      const plain = encryptType === undefined || encryptType === '' || encryptType === 'raw';
      return { query: query.toString(), body: testCase.body, signed: plain && !aes };
    }
  }
}

function runProperty(name: string, aes: boolean): void {
  describe(`POST /webhooks/wechat under random input (${name})`, () => {
    let fake: FakeWeChat;
    let harness: Harness;
    let baseUrl: string;
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };

    beforeAll(async () => {
      process.on('unhandledRejection', onUnhandled);
      fake = await startFakeWeChat(APP);
      harness = await startHarness('embedded', {
        // Workers off: only what the webhook stores is under test, and nothing else writes messages.
        workers: false,
        env: {
          WECHAT_TOKEN: TOKEN,
          WECHAT_APP_ID: APP.appId,
          WECHAT_APP_SECRET: APP.appSecret,
          WECHAT_API_ROOT: fake.apiRoot,
          ...(aes ? { WECHAT_ENCODING_AES_KEY: WECHAT_OFFICIAL_VECTOR.encodingAesKey } : {}),
        },
      });
      baseUrl = await harness.ombuds.listen(0, '127.0.0.1');
    });
    afterAll(async () => {
      await harness.close();
      await fake.close();
      process.off('unhandledRejection', onUnhandled);
    });

    const stored = async (): Promise<number> => {
      const result = await harness.ombuds.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE channel = 'wechat'`);
      return result.rows[0]?.n ?? -1;
    };

    const post = async (query: string, body: Buffer, contentType: string): Promise<{ status: number; text: string }> => {
      const response = await fetch(`${baseUrl}/webhooks/wechat${query === '' ? '' : `?${query}`}`, {
        method: 'POST',
        headers: contentType === '' ? {} : { 'content-type': contentType },
        body: new Uint8Array(body),
      });
      return { status: response.status, text: await response.text() };
    };

    it('never answers 5xx, never stores an unverified request, answers 401 unsigned and 200/400 signed', async () => {
      let verifiedAccepted = 0;
      await fc.assert(
        fc.asyncProperty(caseArbitrary, async (testCase) => {
          const { query, body, signed } = queryFor(testCase, TOKEN, aes);
          const before = await stored();
          const response = await post(query, body, testCase.contentType);
          expect(response.status).toBeLessThan(500);
          const after = await stored();
          if (!signed) {
            expect(response.status).toBe(401);
            expect(after).toBe(before);
          } else {
            expect([200, 400]).toContain(response.status);
            if (response.status === 200) {
              expect(response.text).toBe('success');
              verifiedAccepted += 1;
            } else expect(after).toBe(before);
          }
        }),
        { numRuns: RUNS },
      );
      // A correctly signed WeChat message in among the noise is still stored (the property is not vacuous).
      const before = await stored();
      const message = wechatTextXml({ openId: 'oPropertyCheck000000000000001', msgId: String(8_000_000_000_000_000_000n + BigInt(verifiedAccepted)), text: '测试' });
      const signedMessage = aes
        ? signedWeChatPost(message, { token: TOKEN, aes: { encodingAesKey: WECHAT_OFFICIAL_VECTOR.encodingAesKey, appId: APP.appId } })
        : signedWeChatPost(message, { token: TOKEN });
      const accepted = await post(signedMessage.query, signedMessage.body, 'text/xml');
      expect([accepted.status, accepted.text]).toEqual([200, 'success']);
      expect(await stored()).toBe(before + 1);
      expect(unhandled).toEqual([]);
    });
  });
}

runProperty('plain mode', false);
runProperty('safe mode', true);
