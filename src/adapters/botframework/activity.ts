/**
 * The Bot Framework Activity as Ombuds reads it (zod). The schemas are loose (channels add fields) but bound every
 * string we keep, so a normalized message always fits the InboundMessage contract (ids ≤ 256 characters, reply
 * address ≤ 2,048).
 */
import { z } from 'zod';

export const ChannelAccount = z.looseObject({
  id: z.string().min(1).max(256),
  name: z.string().max(256).nullish(),
  role: z.string().nullish(),
});

export const ActivityAttachment = z.looseObject({
  contentType: z.string().min(1).max(256),
  contentUrl: z.string().max(2048).nullish(),
  content: z.unknown().optional(),
  name: z.string().max(512).nullish(),
});

/** A `message` Activity: the fields Ombuds reads (Bot Framework Activity schema, CHANNELS.md §1). */
export const MessageActivity = z.looseObject({
  type: z.literal('message'),
  id: z.string().min(1).max(256),
  timestamp: z.string().max(64).nullish(),
  serviceUrl: z.url({ protocol: /^https?$/ }).max(512),
  channelId: z.string().min(1).max(64),
  from: ChannelAccount,
  conversation: z.looseObject({ id: z.string().min(1).max(512) }),
  recipient: ChannelAccount,
  text: z.string().max(100_000).nullish(),
  locale: z.string().max(35).nullish(),
  attachments: z.array(ActivityAttachment).max(100).nullish(),
  /** Card submits and messageBack suggested actions put the customer's choice here. */
  value: z.unknown().optional(),
});
export type MessageActivity = z.infer<typeof MessageActivity>;
export type ActivityAttachment = z.infer<typeof ActivityAttachment>;

/** Any Activity: only its type is read before deciding whether Ombuds handles it. */
export const AnyActivity = z.looseObject({ type: z.string().min(1).max(64) });
