/**
 * The query string of a WeChat callback: `signature`, `timestamp`, `nonce` on every call, `echostr` on the GET check,
 * `encrypt_type=aes` and `msg_signature` (and `openid`) on safe- and compat-mode POSTs (CHANNELS.md §5).
 */
import type { RawWebhookRequest } from '../../contracts/channel-adapter.js';

export interface WeChatQuery {
  signature?: string;
  timestamp?: string;
  nonce?: string;
  echostr?: string;
  encryptType?: string;
  msgSignature?: string;
}

/** A parameter's first value, or undefined when it is absent or empty. */
function first(params: URLSearchParams, name: string): string | undefined {
  const value = params.get(name);
  return value === null || value === '' ? undefined : value;
}

export function wechatQueryOf(request: RawWebhookRequest): WeChatQuery {
  let params: URLSearchParams;
  try {
    params = new URL(request.path, 'http://ombuds.invalid').searchParams;
  } catch {
    return {};
  }
  const query: WeChatQuery = {};
  const signature = first(params, 'signature');
  const timestamp = first(params, 'timestamp');
  const nonce = first(params, 'nonce');
  const echostr = first(params, 'echostr');
  const encryptType = first(params, 'encrypt_type');
  const msgSignature = first(params, 'msg_signature');
  if (signature !== undefined) query.signature = signature;
  if (timestamp !== undefined) query.timestamp = timestamp;
  if (nonce !== undefined) query.nonce = nonce;
  if (echostr !== undefined) query.echostr = echostr;
  if (encryptType !== undefined) query.encryptType = encryptType;
  if (msgSignature !== undefined) query.msgSignature = msgSignature;
  return query;
}

/**
 * How the POST carries its message: `plain` (no `encrypt_type`, or `raw` as WeChat's docs allow), `aes` (safe or
 * compat mode: the message is in `<Encrypt>`), or `unknown` (refused).
 */
export function encryptionOf(query: WeChatQuery): 'plain' | 'aes' | 'unknown' {
  if (query.encryptType === undefined || query.encryptType === 'raw') return 'plain';
  return query.encryptType === 'aes' ? 'aes' : 'unknown';
}
