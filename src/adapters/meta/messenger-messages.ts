/**
 * The Send API request bodies for one Messenger reply (`POST /me/messages`), pure: `messaging_type: "RESPONSE"` (a
 * reply inside the 24-hour window), text at most 2000 characters a message (longer text split), quick replies on
 * the last part (at most 13, titles at most 20 characters, `payload` = the quick reply's value, which comes back
 * as `message.quick_reply.payload` when tapped). Options beyond 13 are written into the text so the customer can
 * still type them. Typing is a `sender_action`.
 */
import type { QuickReply } from '../../contracts/index.js';
import { shorten, splitText } from './split-text.js';

export const MESSENGER_MAX_TEXT_LENGTH = 2000;
export const MESSENGER_MAX_QUICK_REPLIES = 13;
export const MESSENGER_QUICK_REPLY_TITLE_LENGTH = 20;

export type MessengerRequestBody = Record<string, unknown>;

export function messengerMessageBodies(psid: string, text: string, quickReplies: readonly QuickReply[]): MessengerRequestBody[] {
  const shown = quickReplies.slice(0, MESSENGER_MAX_QUICK_REPLIES);
  const rest = quickReplies.slice(MESSENGER_MAX_QUICK_REPLIES).map((quickReply) => `• ${quickReply.label}`);
  const parts = splitText(rest.length === 0 ? text : `${text}\n${rest.join('\n')}`, MESSENGER_MAX_TEXT_LENGTH);
  return parts.map((part, index) => {
    const last = index === parts.length - 1;
    return {
      recipient: { id: psid },
      messaging_type: 'RESPONSE',
      message: {
        text: part,
        ...(last && shown.length > 0
          ? { quick_replies: shown.map((quickReply) => ({ content_type: 'text', title: shorten(quickReply.label, MESSENGER_QUICK_REPLY_TITLE_LENGTH), payload: quickReply.value })) }
          : {}),
      },
    };
  });
}

export function messengerTypingBody(psid: string): MessengerRequestBody {
  return { recipient: { id: psid }, sender_action: 'typing_on' };
}
