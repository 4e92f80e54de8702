/**
 * The WeChat sender: customer-facing messages go out through the customer-service message API
 * (`POST /cgi-bin/message/custom/send?access_token=…`, a `text` message to the follower's OpenID), "typing…" through
 * `POST /cgi-bin/message/custom/typing` (command `Typing`). The reply address is the OpenID.
 *
 * - WeChat answers HTTP 200 with an `errcode`. 0 is sent. A rejected access token (40001, 40014, 42001) is renewed
 *   once and the same part sent again. System busy (−1) and the API quotas (45009 per day, 45011 per minute: retried
 *   after a minute) are retryable. Everything else is permanent: above all 45015 (the customer last wrote more than
 *   48 hours ago: WeChat allows customer-service messages only within that window), 45047 (the reply quota for the
 *   customer's last message is used up), 43004 (no longer a follower), 40003 (not an OpenID of this account).
 *   A non-2xx status can only come from a gateway: 408/429/5xx retryable, other 4xx permanent; network errors and
 *   timeouts retryable.
 * - Text over 2048 bytes of UTF-8 is split (at a line break or a space where it can be) and sent in order.
 * - WeChat text has no buttons Ombuds relies on (the `msgmenu` type is not available to every account, and a tap is
 *   reported inconsistently), so quick replies are listed as lines under the text: the customer answers by typing.
 * - The access token is in every request URL: no error this module returns contains a URL.
 */
import type { ChannelSender, OutboundDelivery, QuickReply, SendResult } from '../../contracts/handling.js';
import type { Clock } from '../../shared/clock.js';
import type { WeChatAccessTokens } from './access-token.js';
import { postWeChatApi, type WeChatApiOutcome } from './api-client.js';
import { WECHAT_CHANNEL } from './normalize.js';

export const DEFAULT_WECHAT_API_ROOT = 'https://api.weixin.qq.com';
/** WeChat's limit on one text message's content, in bytes of UTF-8 [unconfirmed for customer-service messages]. */
export const WECHAT_MAX_TEXT_BYTES = 2048;

export interface WeChatSenderConfig {
  apiRoot: string;
  tokens: WeChatAccessTokens;
  /** Bound on each API call. */
  timeoutMs: number;
  clock: Clock;
}

/** A ChannelSender that shows "typing…" through custom/typing. */
export interface WeChatSender extends ChannelSender {
  sendTyping(replyAddress: string): Promise<SendResult>;
}

const OPEN_ID = /^[A-Za-z0-9_-]{1,128}$/;
const TOKEN_REJECTED = new Set([40001, 40014, 42001]);
const RETRYABLE_ERRCODES = new Set([-1, 45009, 45011]);
const MINUTE_QUOTA = 45011;
const RETRYABLE_STATUSES = new Set([408, 425, 429]);
const KNOWN_PERMANENT: Record<number, string> = {
  45015: 'the customer last wrote more than 48 hours ago (customer-service window closed)',
  45047: 'the reply quota for the customer’s last message is used up',
  43004: 'the customer no longer follows the account',
  40003: 'not an OpenID of this account',
  45002: 'the text is too long',
  48001: 'the account is not allowed to use the customer-service API',
};

function failure(retryable: boolean, error: string, extra: { status?: number; retryAfterMs?: number } = {}): SendResult {
  return { ok: false, retryable, error, ...extra };
}

/** WeChat's answer to one call as a SendResult, and whether a renewed access token may make it succeed. */
export function classifyWeChatOutcome(outcome: WeChatApiOutcome, api: string): { result: SendResult; tokenRejected: boolean } {
  switch (outcome.kind) {
    case 'ok':
      return { result: { ok: true }, tokenRejected: false };
    case 'errcode': {
      const text = `WeChat ${api}: errcode ${outcome.errcode} ${KNOWN_PERMANENT[outcome.errcode] ?? outcome.errmsg}`.trim();
      if (TOKEN_REJECTED.has(outcome.errcode)) return { result: failure(true, text), tokenRejected: true };
      const retryable = RETRYABLE_ERRCODES.has(outcome.errcode);
      return { result: failure(retryable, text, outcome.errcode === MINUTE_QUOTA ? { retryAfterMs: 60_000 } : {}), tokenRejected: false };
    }
    case 'http': {
      const retryable = outcome.status >= 500 || RETRYABLE_STATUSES.has(outcome.status);
      const extra = { status: outcome.status, ...(outcome.retryAfterMs === undefined ? {} : { retryAfterMs: outcome.retryAfterMs }) };
      return { result: failure(retryable, `WeChat ${api}: HTTP ${outcome.status}`, extra), tokenRejected: false };
    }
    case 'unreachable':
      return { result: failure(true, `WeChat ${api}: ${outcome.error}`), tokenRejected: false };
  }
}

/** Splits text into parts of at most `maxBytes` of UTF-8, preferring line breaks, then spaces; never inside a character. */
export function splitWeChatText(text: string, maxBytes = WECHAT_MAX_TEXT_BYTES): string[] {
  const parts: string[] = [];
  let rest = text;
  while (Buffer.byteLength(rest, 'utf8') > maxBytes) {
    let cut = 0;
    let bytes = 0;
    for (const character of rest) {
      const size = Buffer.byteLength(character, 'utf8');
      if (bytes + size > maxBytes) break;
      bytes += size;
      cut += character.length;
    }
    const window = rest.slice(0, cut);
    const breakAt = Math.max(window.lastIndexOf('\n'), window.lastIndexOf(' '));
    if (breakAt > 0) {
      parts.push(rest.slice(0, breakAt));
      rest = rest.slice(breakAt + 1);
    } else {
      parts.push(window);
      rest = rest.slice(cut);
    }
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
}

/** The text with the quick replies listed under it, one a line. */
export function withQuickRepliesListed(text: string, quickReplies: readonly QuickReply[]): string {
  if (quickReplies.length === 0) return text;
  return `${text}\n\n${quickReplies.map((quickReply) => quickReply.label).join('\n')}`;
}

export function createWeChatSender(config: WeChatSenderConfig): WeChatSender {
  const root = config.apiRoot.replace(/\/+$/, '');
  const now = () => config.clock.now();

  const post = async (path: string, api: string, body: unknown, token: string) => {
    const url = `${root}${path}?access_token=${encodeURIComponent(token)}`;
    return classifyWeChatOutcome(await postWeChatApi(url, body, { timeoutMs: config.timeoutMs, now }), api);
  };

  /** One API call with the current token, and once more with a renewed one if WeChat rejects the token. */
  const call = async (path: string, api: string, body: unknown): Promise<SendResult> => {
    const token = await config.tokens.current();
    if (!token.ok) return token;
    const first = await post(path, api, body, token.token);
    if (!first.tokenRejected) return first.result;
    const renewed = await config.tokens.refresh(token.token);
    if (!renewed.ok) return renewed;
    return (await post(path, api, body, renewed.token)).result;
  };

  return {
    channel: WECHAT_CHANNEL,

    async send(delivery: OutboundDelivery): Promise<SendResult> {
      if (!OPEN_ID.test(delivery.replyAddress)) return failure(false, `not a WeChat OpenID: "${delivery.replyAddress.slice(0, 64)}"`);
      if (delivery.text.trim() === '') return failure(false, 'WeChat cannot send an empty message');
      const parts = splitWeChatText(withQuickRepliesListed(delivery.text, delivery.quickReplies));
      for (const [index, part] of parts.entries()) {
        const result = await call('/cgi-bin/message/custom/send', 'custom/send', { touser: delivery.replyAddress, msgtype: 'text', text: { content: part } });
        if (!result.ok) return parts.length === 1 ? result : { ...result, error: `part ${index + 1} of ${parts.length}: ${result.error}` };
      }
      return { ok: true };
    },

    sendTyping(replyAddress: string): Promise<SendResult> {
      if (!OPEN_ID.test(replyAddress)) return Promise.resolve(failure(false, `not a WeChat OpenID: "${replyAddress.slice(0, 64)}"`));
      return call('/cgi-bin/message/custom/typing', 'custom/typing', { touser: replyAddress, command: 'Typing' });
    },
  };
}
