/**
 * Turns the validated fields of one WeChat push into a parse result. Pure: the same fields and receipt time always
 * give the same result.
 *
 * - Text: `Content`. Voice: the speech recognition (`Recognition`) is the text, the voice itself an attachment
 *   reference (`MediaId`). Image: `PicUrl` + `MediaId`. Video, location and link messages are taken too.
 * - Ids: the dedupe key is `MsgId` (kept as a string: it is 64-bit); a message without one (WeChat sends none for
 *   events and some menu taps) is keyed on `<FromUserName>:<CreateTime>`, as WeChat recommends. The conversation
 *   and the reply address are the sender's OpenID.
 * - Events (subscribe, unsubscribe, menu clicks, template and mass-send reports, …) are `unsupported`: acknowledged
 *   with `success`, counted, never stored. A follower's first message starts the intake dialog, which greets them.
 * - Attachments are references only; downloading media goes through the media API later, never here.
 */
import type { Attachment, InboundMessage, ParseResult } from '../../contracts/inbound-message.js';
import type { WeChatMessageFields } from './schema.js';

export const WECHAT_CHANNEL = 'wechat';

const MAX_TEXT = 100_000;
/** CreateTime beyond this many digits is in milliseconds (a quirk of some senders; real pushes use seconds). */
const MILLISECOND_DIGITS = 12;

function clip(value: string, max: number): string {
  return value.length <= max ? value : value.slice(0, max);
}

function present(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}

/** CreateTime → Date, never later than the receipt (a skewed clock must not move a regulatory clock). */
function sentAtOf(createTime: string, receivedAt: Date): Date {
  const value = Number(createTime);
  if (!Number.isSafeInteger(value) || value === 0) return receivedAt;
  const at = new Date(createTime.length >= MILLISECOND_DIGITS ? value : value * 1000);
  return Number.isNaN(at.getTime()) || at.getTime() > receivedAt.getTime() ? receivedAt : at;
}

const VOICE_TYPES: Record<string, string> = { amr: 'audio/amr', speex: 'audio/speex', mp3: 'audio/mpeg' };

function mediaAttachment(type: Attachment['type'], mediaId: string | undefined, extra: Partial<Attachment> = {}): Attachment[] {
  if (!present(mediaId) && extra.url === undefined) return [];
  return [{ type, ...(present(mediaId) ? { id: clip(mediaId, 512) } : {}), ...extra }];
}

function urlOf(value: string | undefined): { url?: string } {
  return present(value) && value.length <= 2048 ? { url: value } : {};
}

/** The text and attachments of a message type Ombuds takes, or null for one it does not. */
function contentOf(fields: WeChatMessageFields): { text: string; attachments: Attachment[] } | null {
  switch (fields.MsgType) {
    case 'text':
      return { text: fields.Content ?? '', attachments: [] };
    case 'voice': {
      const mimeType = VOICE_TYPES[(fields.Format ?? '').toLowerCase()];
      return {
        text: (fields.Recognition ?? '').trim(),
        attachments: mediaAttachment('audio', fields.MediaId, { name: 'voice message', ...(mimeType ? { mimeType } : {}) }),
      };
    }
    case 'image':
      return { text: '', attachments: mediaAttachment('image', fields.MediaId, urlOf(fields.PicUrl)) };
    case 'video':
    case 'shortvideo':
      return { text: '', attachments: mediaAttachment('video', fields.MediaId) };
    case 'location': {
      if (!present(fields.Location_X) || !present(fields.Location_Y)) return { text: '', attachments: [] };
      const name = present(fields.Label) ? clip(fields.Label, 512) : 'location';
      return { text: '', attachments: [{ type: 'location', id: clip(`${fields.Location_X},${fields.Location_Y}`, 512), name }] };
    }
    case 'link': {
      const text = [fields.Title, fields.Description, fields.Url].filter(present).join('\n');
      const attachment: Attachment = { type: 'other', ...urlOf(fields.Url), ...(present(fields.Title) ? { name: clip(fields.Title, 512) } : {}) };
      return { text, attachments: attachment.url === undefined ? [] : [attachment] };
    }
    default:
      return null;
  }
}

export function normalizeWeChatMessage(fields: WeChatMessageFields, raw: unknown, receivedAt: Date): ParseResult {
  if (fields.MsgType === 'event') {
    return { kind: 'unsupported', reason: `wechat event "${clip(fields.Event ?? 'unknown', 64)}" is not handled` };
  }
  const content = contentOf(fields);
  if (!content) return { kind: 'unsupported', reason: `wechat message type "${clip(fields.MsgType, 64)}" is not handled` };
  if (content.text.trim() === '' && content.attachments.length === 0) {
    return { kind: 'unsupported', reason: `wechat ${clip(fields.MsgType, 64)} message without content` };
  }
  const openId = fields.FromUserName;
  const inbound: InboundMessage = {
    channel: WECHAT_CHANNEL,
    channelMessageId: fields.MsgId ?? clip(`${openId}:${fields.CreateTime}`, 256),
    conversationKey: openId,
    sender: { id: openId },
    sentAt: sentAtOf(fields.CreateTime, receivedAt),
    receivedAt,
    text: clip(content.text, MAX_TEXT),
    attachments: content.attachments.slice(0, 20),
    replyAddress: openId,
    raw,
  };
  return { kind: 'message', message: inbound };
}
