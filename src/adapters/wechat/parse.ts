/**
 * Parses one verified WeChat push (one XML message or event per request) into parse results. In safe and compat
 * mode (`encrypt_type=aes`) the message is the decryption of `<Encrypt>`: the plaintext copy compat mode also sends
 * is ignored, and `raw` is the decrypted message. A body that is not a WeChat XML message throws PayloadInvalid
 * (400). Pure.
 */
import type { RawWebhookRequest } from '../../contracts/channel-adapter.js';
import type { ParseResult } from '../../contracts/inbound-message.js';
import { PayloadInvalid } from '../../shared/errors.js';
import { decryptWeChatMessage, type WeChatCipher } from './message-crypto.js';
import { normalizeWeChatMessage } from './normalize.js';
import { encryptionOf, wechatQueryOf } from './query.js';
import { WeChatMessageFields } from './schema.js';
import { parseWeChatXml, type WeChatXmlDocument } from './xml.js';

/** The decrypted message of a safe- or compat-mode envelope. */
export function decryptedDocument(envelope: WeChatXmlDocument, cipher: WeChatCipher | null): WeChatXmlDocument {
  const encrypted = envelope.Encrypt;
  if (typeof encrypted !== 'string') throw new PayloadInvalid('The encrypted WeChat message has no <Encrypt> field.');
  if (!cipher) throw new PayloadInvalid('An encrypted WeChat message arrived but no EncodingAESKey is configured.');
  const decrypted = decryptWeChatMessage(encrypted, cipher.key);
  if (!decrypted.ok) throw new PayloadInvalid(`The encrypted WeChat message does not decrypt (${decrypted.reason}).`);
  if (decrypted.appId !== cipher.appId) throw new PayloadInvalid('The encrypted WeChat message is for another appid.');
  return parseWeChatXml(decrypted.message);
}

export function parseWeChatRequest(request: RawWebhookRequest, receivedAt: Date, cipher: WeChatCipher | null): ParseResult[] {
  const envelope = parseWeChatXml(request.rawBody);
  const encryption = encryptionOf(wechatQueryOf(request));
  if (encryption === 'unknown') throw new PayloadInvalid('The WeChat encrypt_type is not one Ombuds knows (aes or raw).');
  const document = encryption === 'aes' ? decryptedDocument(envelope, cipher) : envelope;
  const parsed = WeChatMessageFields.safeParse(document);
  if (!parsed.success) {
    throw new PayloadInvalid(
      'The body is not a WeChat message.',
      parsed.error.issues.slice(0, 20).map((issue) => ({ path: issue.path.join('.') || '(body)', message: issue.message })),
    );
  }
  return [normalizeWeChatMessage(parsed.data, document, receivedAt)];
}
