/**
 * The Bot Framework reply address: everything a reply needs, taken from the inbound Activity (its
 * ConversationReference), stored on the message as compact JSON so it is readable in the database:
 *
 *   {"v":1,"serviceUrl":"https://smba.trafficmanager.net/amer/","channelId":"msteams","conversationId":"a:1…",
 *    "activityId":"1700…","bot":{"id":"28:…","name":"Ombuds"},"user":{"id":"29:…","name":"Ann"}}
 *
 * `activityId` is the Activity being answered (the reply goes to `…/activities/{activityId}`, threaded under it);
 * without it the reply is a new Activity in the conversation. Names are dropped when the whole would pass the
 * contract's 2,048 characters.
 */
import { z } from 'zod';

export const REPLY_ADDRESS_MAX = 2048;

const Account = z.object({ id: z.string().min(1).max(256), name: z.string().max(256).optional() });

export const BotFrameworkReplyAddress = z.object({
  v: z.literal(1),
  serviceUrl: z.url({ protocol: /^https?$/ }).max(512),
  channelId: z.string().min(1).max(64),
  conversationId: z.string().min(1).max(512),
  activityId: z.string().min(1).max(256).optional(),
  bot: Account,
  user: Account,
});
export type BotFrameworkReplyAddress = z.infer<typeof BotFrameworkReplyAddress>;

export function encodeReplyAddress(address: BotFrameworkReplyAddress): string {
  const full = JSON.stringify(address);
  if (full.length <= REPLY_ADDRESS_MAX) return full;
  return JSON.stringify({ ...address, bot: { id: address.bot.id }, user: { id: address.user.id } });
}

/** The address, or null when the string is not one of ours. */
export function decodeReplyAddress(text: string): BotFrameworkReplyAddress | null {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    return null;
  }
  const parsed = BotFrameworkReplyAddress.safeParse(value);
  return parsed.success ? parsed.data : null;
}
