/**
 * The fields of a WeChat Official Account push that Ombuds reads (official doc "接收普通消息" / "接收事件推送",
 * CHANNELS.md §5). Everything is a string, as the XML carries it: `MsgId` is a 64-bit integer and `CreateTime` may
 * be in milliseconds in some senders' tests, so neither is turned into a number here. Other fields (event details,
 * article lists) are kept in `raw` and not validated.
 */
import { z } from 'zod';

const Id = z.string().min(1).max(256);
const Optional = z.string().optional();

export const WeChatMessageFields = z.looseObject({
  /** The Official Account's original id (`gh_…`). */
  ToUserName: Id,
  /** The sender's OpenID (unique per Official Account). */
  FromUserName: Id,
  /** Unix seconds. */
  CreateTime: z.string().regex(/^\d{1,16}$/, 'expected a unix time'),
  MsgType: z.string().min(1).max(64),
  /** 64-bit message id; events have none. */
  MsgId: z.string().regex(/^\d{1,20}$/, 'expected a decimal message id').optional(),
  Content: Optional,
  PicUrl: Optional,
  MediaId: Optional,
  Format: Optional,
  /** Speech recognition of a voice message, when the account has it turned on. */
  Recognition: Optional,
  ThumbMediaId: Optional,
  Location_X: Optional,
  Location_Y: Optional,
  Label: Optional,
  Title: Optional,
  Description: Optional,
  Url: Optional,
  Event: Optional,
  EventKey: Optional,
});
export type WeChatMessageFields = z.infer<typeof WeChatMessageFields>;
