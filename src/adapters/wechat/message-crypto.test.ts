import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '../../../test/support/fixtures.js';
import { isOmbudsError } from '../../shared/errors.js';
import { decryptWeChatMessage, encryptWeChatMessage, wechatAesKey } from './message-crypto.js';
import { parseWeChatXml } from './xml.js';

const KEY = wechatAesKey('abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG');
const JAVA_VECTOR = 'jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==';

function encryptOfFixture(): string {
  const encrypt = parseWeChatXml(readFileSync(fixturePath('wechat/wechat-4-encrypted-compat.xml'))).Encrypt;
  if (typeof encrypt !== 'string') throw new Error('fixture without Encrypt');
  return encrypt;
}

describe('WeChat safe-mode crypto (CHANNELS.md §5 official vectors)', () => {
  it('derives the 32-byte AES key from the 43-character EncodingAESKey and refuses any other', () => {
    expect(KEY).toHaveLength(32);
    for (const bad of ['', 'short', 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEF', 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEF+']) {
      let thrown: unknown;
      try {
        wechatAesKey(bad);
      } catch (error) {
        thrown = error;
      }
      expect(isOmbudsError(thrown) && thrown.code).toBe('CONFIG_INVALID');
    }
  });

  it('encrypts the Java sample vector byte for byte (fixed random) and decrypts it back', () => {
    const encrypted = encryptWeChatMessage('我是中文abcd123', KEY, 'wxb11529c136998cb6', Buffer.from('aaaabbbbccccdddd'));
    expect(encrypted).toBe(JAVA_VECTOR);
    const decrypted = decryptWeChatMessage(JAVA_VECTOR, KEY);
    expect(decrypted).toEqual({ ok: true, message: Buffer.from('我是中文abcd123'), appId: 'wxb11529c136998cb6' });
  });

  it('decrypts the Python sample vector (fixture wechat-4) to fixture wechat-5, byte for byte, for its appid', () => {
    const decrypted = decryptWeChatMessage(encryptOfFixture(), KEY);
    if (!decrypted.ok) throw new Error(decrypted.reason);
    expect(decrypted.appId).toBe('wx2c2769f8efd9abc2');
    expect(decrypted.message.equals(readFileSync(fixturePath('wechat/wechat-5-decrypted.xml')))).toBe(true);
  });

  it('round-trips any message with a random prefix (padding to 32-byte blocks, a full block when already aligned)', () => {
    for (const length of [0, 1, 10, 11, 12, 31, 32, 33, 100, 4000]) {
      const message = Buffer.alloc(length, 0x61);
      const encrypted = encryptWeChatMessage(message, KEY, 'wx0123456789abcdef');
      expect(Buffer.from(encrypted, 'base64').length % 32).toBe(0);
      expect(decryptWeChatMessage(encrypted, KEY)).toEqual({ ok: true, message, appId: 'wx0123456789abcdef' });
    }
  });

  it('never throws on a tampered or foreign ciphertext: it reports why', () => {
    const encrypt = encryptOfFixture();
    const tampered = `${encrypt.slice(0, -6)}${encrypt.slice(-6, -5) === 'A' ? 'B' : 'A'}${encrypt.slice(-5)}`;
    const results = [
      decryptWeChatMessage('', KEY),
      decryptWeChatMessage('not base64 at all!', KEY),
      decryptWeChatMessage(Buffer.alloc(33).toString('base64'), KEY),
      decryptWeChatMessage(tampered, KEY),
      decryptWeChatMessage(encrypt, wechatAesKey('Abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG')),
    ];
    for (const result of results) {
      // A changed last block breaks the padding or the length; a wrong key garbles everything. Either way no message for the appid.
      if (result.ok) expect(result.appId).not.toBe('wx2c2769f8efd9abc2');
      else expect(result.reason.length).toBeGreaterThan(0);
    }
    expect(results.slice(0, 3).every((result) => !result.ok)).toBe(true);
  });
});
