/**
 * WeChat safe-mode message encryption (消息加解密, CHANNELS.md §5), with node:crypto only:
 * AESKey = base64(EncodingAESKey + "="), 32 bytes; AES-256-CBC with IV = the key's first 16 bytes; PKCS#7 padding to
 * a 32-byte block; plaintext = random(16) ‖ uint32_be(length of message) ‖ message ‖ appid.
 *
 * Decryption returns the message bytes and the appid they carry; the caller checks the appid (WeChat's own
 * samples fail with −40005 when it differs). Encryption exists for tests and for passive replies.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ConfigInvalid } from '../../shared/errors.js';

const BLOCK = 32;
const RANDOM_BYTES = 16;
const ENCODING_AES_KEY = /^[A-Za-z0-9]{43}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})+$|^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)$/;

/** Safe mode: the AES key and the appid the messages must be for. */
export interface WeChatCipher {
  key: Buffer;
  appId: string;
}

export type DecryptResult = { ok: true; message: Buffer; appId: string } | { ok: false; reason: string };

/** The 32-byte AES key of an EncodingAESKey (43 characters of A-Z a-z 0-9); throws ConfigInvalid otherwise. */
export function wechatAesKey(encodingAesKey: string): Buffer {
  const key = ENCODING_AES_KEY.test(encodingAesKey) ? Buffer.from(`${encodingAesKey}=`, 'base64') : Buffer.alloc(0);
  if (key.length !== 32) {
    throw new ConfigInvalid('The WeChat EncodingAESKey must be the 43 characters of A-Z, a-z and 0-9 shown in the Official Account settings.', [
      { path: 'encodingAesKey', message: 'expected 43 characters of [A-Za-z0-9]' },
    ]);
  }
  return key;
}

/** Decrypts an `Encrypt` value; never throws. */
export function decryptWeChatMessage(encrypted: string, key: Buffer): DecryptResult {
  if (encrypted.length === 0 || !BASE64.test(encrypted)) return { ok: false, reason: 'Encrypt is not base64' };
  const ciphertext = Buffer.from(encrypted, 'base64');
  if (ciphertext.length === 0 || ciphertext.length % BLOCK !== 0) return { ok: false, reason: 'Encrypt is not a whole number of 32-byte blocks' };
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    decipher.setAutoPadding(false);
    plain = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    return { ok: false, reason: 'Encrypt does not decrypt' };
  }
  const pad = plain[plain.length - 1] ?? 0;
  if (pad < 1 || pad > BLOCK) return { ok: false, reason: 'bad padding' };
  const content = plain.subarray(RANDOM_BYTES, plain.length - pad);
  if (content.length < 4) return { ok: false, reason: 'too short' };
  const length = content.readUInt32BE(0);
  if (length > content.length - 4) return { ok: false, reason: 'length field out of range' };
  return { ok: true, message: Buffer.from(content.subarray(4, 4 + length)), appId: content.subarray(4 + length).toString('utf8') };
}

/** Encrypts `message` for `appId` (16 random bytes unless given, for the official test vector). */
export function encryptWeChatMessage(message: string | Buffer, key: Buffer, appId: string, random: Buffer = randomBytes(RANDOM_BYTES)): string {
  const body = Buffer.isBuffer(message) ? message : Buffer.from(message, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  const unpadded = Buffer.concat([random.subarray(0, RANDOM_BYTES), length, body, Buffer.from(appId, 'utf8')]);
  const pad = BLOCK - (unpadded.length % BLOCK);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([unpadded, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
}
