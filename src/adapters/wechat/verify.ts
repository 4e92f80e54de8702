/**
 * WeChat callback authenticity (CHANNELS.md §5), before anything is parsed or stored:
 * - every call: `signature` = sha1(sort([token, timestamp, nonce])) from the query, compared in constant time, and a
 *   `timestamp` within the configured tolerance of our clock (the plain signature does not cover the body, so a
 *   captured URL could otherwise be replayed with any body for ever);
 * - safe and compat mode (`encrypt_type=aes`): also `msg_signature` = sha1(sort([token, timestamp, nonce, Encrypt]))
 *   and an `<Encrypt>` that decrypts with the EncodingAESKey to a message for our appid. With an EncodingAESKey
 *   configured, a plain POST is refused: in safe mode WeChat encrypts everything, so a plaintext body could only be
 *   a forgery riding on a captured signature.
 * - the GET check answers `echostr` when the plain signature verifies (for Official Accounts even in safe mode; the
 *   encrypted echostr is WeCom's flow).
 * Every refusal is SignatureInvalid (401).
 */
import type { RawWebhookRequest } from '../../contracts/channel-adapter.js';
import type { Clock } from '../../shared/clock.js';
import { SignatureInvalid } from '../../shared/errors.js';
import { decryptWeChatMessage, type WeChatCipher } from './message-crypto.js';
import { encryptionOf, wechatQueryOf, type WeChatQuery } from './query.js';
import { wechatSignatureMatches } from './signature.js';
import { parseWeChatXml } from './xml.js';

export interface WeChatVerification {
  /** The Token set in the Official Account's server configuration. */
  token: string;
  /** Safe mode (WECHAT_ENCODING_AES_KEY set), or null in plain mode. */
  cipher: WeChatCipher | null;
  clock: Clock;
  /** Largest distance between the callback's `timestamp` and our clock; 0 turns the check off. */
  timestampToleranceSeconds: number;
}

const TIMESTAMP = /^\d{1,12}$/;
const NONCE = /^[\x21-\x7e]{1,128}$/;
/** What WeChat sends as `echostr` (a long random number); anything else is not echoed. */
const ECHOSTR = /^[A-Za-z0-9_.+/=-]{1,256}$/;

function refuse(message: string): Promise<never> {
  return Promise.reject(new SignatureInvalid(message));
}

/** Checks signature, timestamp and nonce of any call; returns the refusal text, or null when they verify. */
function plainSignatureProblem(query: WeChatQuery, config: WeChatVerification): string | null {
  const { signature, timestamp, nonce } = query;
  if (signature === undefined || timestamp === undefined || nonce === undefined) return 'The WeChat signature, timestamp or nonce is missing.';
  if (!TIMESTAMP.test(timestamp) || !NONCE.test(nonce)) return 'The WeChat timestamp or nonce is malformed.';
  if (!wechatSignatureMatches(signature, [config.token, timestamp, nonce])) return 'The WeChat signature does not verify.';
  if (config.timestampToleranceSeconds > 0) {
    const skew = Math.abs(config.clock.now().getTime() / 1000 - Number(timestamp));
    if (skew > config.timestampToleranceSeconds) return 'The WeChat timestamp is too far from the current time.';
  }
  return null;
}

/** Checks msg_signature and the `<Encrypt>` of a safe- or compat-mode POST; returns the refusal text, or null. */
function encryptedProblem(request: RawWebhookRequest, query: WeChatQuery, config: WeChatVerification): string | null {
  if (!config.cipher) return 'An encrypted WeChat message arrived but no EncodingAESKey is configured.';
  if (query.msgSignature === undefined) return 'The WeChat msg_signature is missing.';
  let encrypted: unknown;
  try {
    encrypted = parseWeChatXml(request.rawBody).Encrypt;
  } catch {
    return 'The encrypted WeChat message cannot be read, so it cannot be verified.';
  }
  if (typeof encrypted !== 'string') return 'The encrypted WeChat message has no <Encrypt> field.';
  if (!wechatSignatureMatches(query.msgSignature, [config.token, query.timestamp ?? '', query.nonce ?? '', encrypted])) {
    return 'The WeChat msg_signature does not verify.';
  }
  const decrypted = decryptWeChatMessage(encrypted, config.cipher.key);
  if (!decrypted.ok) return `The WeChat message does not decrypt with the configured EncodingAESKey (${decrypted.reason}).`;
  if (decrypted.appId !== config.cipher.appId) return 'The WeChat message is encrypted for another appid.';
  return null;
}

/** Resolves when the POST is authentic; rejects with SignatureInvalid (401) otherwise. */
export function verifyWeChatRequest(request: RawWebhookRequest, config: WeChatVerification): Promise<void> {
  const query = wechatQueryOf(request);
  const plain = plainSignatureProblem(query, config);
  if (plain !== null) return refuse(plain);
  const encryption = encryptionOf(query);
  if (encryption === 'unknown') return refuse('The WeChat encrypt_type is not one Ombuds knows (aes or raw).');
  if (encryption === 'plain') {
    return config.cipher ? refuse('Safe mode is configured (WECHAT_ENCODING_AES_KEY): plaintext WeChat messages are refused.') : Promise.resolve();
  }
  const problem = encryptedProblem(request, query, config);
  return problem === null ? Promise.resolve() : refuse(problem);
}

/** The GET subscription check: the `echostr` to answer with, or SignatureInvalid (401). */
export function answerWeChatChallenge(request: RawWebhookRequest, config: WeChatVerification): Promise<string> {
  const query = wechatQueryOf(request);
  const problem = plainSignatureProblem(query, config);
  if (problem !== null) return refuse(problem);
  if (query.echostr === undefined || !ECHOSTR.test(query.echostr)) return refuse('The WeChat echostr is missing or malformed.');
  return Promise.resolve(query.echostr);
}
