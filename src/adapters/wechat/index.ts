/**
 * The WeChat Official Account channel (DESIGN.md §6, CHANNELS.md §5): `GET /webhooks/wechat` answers the server
 * check (`echostr`), `POST /webhooks/wechat` takes message pushes in plain mode or, with an EncodingAESKey, in safe
 * and compat mode. verify.ts → parse.ts → normalize.ts inbound (xml.ts reads the XML, message-crypto.ts decrypts),
 * send.ts outbound through the customer-service message API with access-token.ts's cached stable token.
 *
 * The webhook answers `success` (WeChat's "received, no passive reply") once the message is stored; the dialog's
 * replies follow through the outbound queue as customer-service messages.
 */
import type { ChannelAdapter, ChannelCapabilities } from '../../contracts/channel-adapter.js';
import type { Clock } from '../../shared/clock.js';
import { ConfigInvalid } from '../../shared/errors.js';
import { createWeChatAccessTokens } from './access-token.js';
import { wechatAesKey, type WeChatCipher } from './message-crypto.js';
import { WECHAT_CHANNEL } from './normalize.js';
import { parseWeChatRequest } from './parse.js';
import { createWeChatSender, DEFAULT_WECHAT_API_ROOT, WECHAT_MAX_TEXT_BYTES, type WeChatSender } from './send.js';
import { answerWeChatChallenge, verifyWeChatRequest, type WeChatVerification } from './verify.js';

export { WECHAT_CHANNEL } from './normalize.js';
export { parseWeChatRequest } from './parse.js';
export { parseWeChatXml } from './xml.js';
export { answerWeChatChallenge, verifyWeChatRequest, type WeChatVerification } from './verify.js';
export { wechatSignature, wechatSignatureMatches } from './signature.js';
export { decryptWeChatMessage, encryptWeChatMessage, wechatAesKey, type WeChatCipher } from './message-crypto.js';
export { createWeChatAccessTokens, type WeChatAccessTokens, type AccessTokenResult } from './access-token.js';
export {
  createWeChatSender,
  classifyWeChatOutcome,
  splitWeChatText,
  withQuickRepliesListed,
  DEFAULT_WECHAT_API_ROOT,
  WECHAT_MAX_TEXT_BYTES,
  type WeChatSender,
  type WeChatSenderConfig,
} from './send.js';

export const WECHAT_WEBHOOK_PATH = '/webhooks/wechat';
/** Pushes are small (a text message, a media reference, an event); 64 KB leaves room for the longest and for safe mode's base64. */
export const WECHAT_BODY_LIMIT_BYTES = 64 * 1024;
/** How far a callback's `timestamp` may be from our clock by default (WeChat retries within about 15 seconds). */
export const DEFAULT_WECHAT_TIMESTAMP_TOLERANCE_SECONDS = 300;

export interface WeChatAdapterConfig {
  /** The Token of the server configuration (WECHAT_TOKEN): 3–32 letters and digits. */
  token: string;
  /** The Official Account's AppID (WECHAT_APP_ID, `wx…`). */
  appId: string;
  /** The AppSecret (WECHAT_APP_SECRET), for the access token. Never logged. */
  appSecret: string;
  /** The EncodingAESKey (WECHAT_ENCODING_AES_KEY): set for safe or compat mode; plaintext pushes are then refused. */
  encodingAesKey?: string;
  /** Server API base URL (WECHAT_API_ROOT); default https://api.weixin.qq.com. */
  apiRoot?: string;
  /** Bound on each API call (OUTBOUND_TIMEOUT_MS). */
  timeoutMs: number;
  clock: Clock;
  /** WECHAT_TIMESTAMP_TOLERANCE_SECONDS; 0 turns the check off. */
  timestampToleranceSeconds?: number;
}

export const WECHAT_CAPABILITIES: ChannelCapabilities = {
  quickReplies: false,
  typing: true,
  // 2048 bytes hold at least this many characters of any script (3 bytes each in CJK); longer replies are split.
  maxTextLength: Math.floor(WECHAT_MAX_TEXT_BYTES / 3),
  deliveryReceipts: false,
  dialog: true,
  // Customer-service messages only within 48 hours of the customer's last message: the dialog asks for a contact
  // so the final response can reach them.
  reachableLater: false,
};

/** The success body WeChat expects when there is no passive reply. */
export const WECHAT_ACKNOWLEDGEMENT = { contentType: 'text/plain', body: 'success' } as const;

const TOKEN = /^[A-Za-z0-9]{3,32}$/;

/** The WeChat adapter; throws ConfigInvalid when the token or the EncodingAESKey is not one WeChat would accept. */
export function createWeChatAdapter(config: WeChatAdapterConfig): ChannelAdapter & { readonly sender: WeChatSender } {
  if (!TOKEN.test(config.token)) {
    throw new ConfigInvalid('The WeChat Token must be 3-32 letters and digits, as in the Official Account server configuration.', [
      { path: 'token', message: 'expected 3-32 characters of [A-Za-z0-9]' },
    ]);
  }
  const cipher: WeChatCipher | null = config.encodingAesKey === undefined ? null : { key: wechatAesKey(config.encodingAesKey), appId: config.appId };
  const verification: WeChatVerification = {
    token: config.token,
    cipher,
    clock: config.clock,
    timestampToleranceSeconds: config.timestampToleranceSeconds ?? DEFAULT_WECHAT_TIMESTAMP_TOLERANCE_SECONDS,
  };
  const apiRoot = config.apiRoot ?? DEFAULT_WECHAT_API_ROOT;
  const tokens = createWeChatAccessTokens({ apiRoot, appId: config.appId, appSecret: config.appSecret, timeoutMs: config.timeoutMs, clock: config.clock });
  const sender = createWeChatSender({ apiRoot, tokens, timeoutMs: config.timeoutMs, clock: config.clock });
  return {
    channel: WECHAT_CHANNEL,
    capabilities: WECHAT_CAPABILITIES,
    verify: (request) => verifyWeChatRequest(request, verification),
    parse: (request, receivedAt) => parseWeChatRequest(request, receivedAt, cipher),
    challenge: (request) => answerWeChatChallenge(request, verification),
    acknowledgement: WECHAT_ACKNOWLEDGEMENT,
    sender,
  };
}
