/**
 * The Cloud API request bodies for one reply (`POST /{phone-number-id}/messages`), pure. Plain text goes as
 * `type: "text"` (at most 4096 characters a message, longer text split). Quick replies ride on the last part as an
 * interactive message (CHANNELS.md §4; WhatsApp interactive-message limits):
 * - up to 3: reply buttons (`type: "button"`, titles at most 20 characters, body at most 1024);
 * - more: a list (`type: "list"`, one section of at most 10 rows, row titles at most 24 characters with the whole
 *   label as the description when cut, body at most 4096). Options beyond 10 are written into the body so the
 *   customer can still type them.
 * A button's or row's `id` is the quick reply's value: a tap comes back as an `interactive` message carrying it.
 * The recipient is `to` (phone digits) or, for a customer known only by a business-scoped user id, `recipient`.
 */
import type { Language, QuickReply } from '../../contracts/index.js';
import { shorten, splitText, splitTextWithLast } from './split-text.js';

export const WHATSAPP_MAX_TEXT_LENGTH = 4096;
export const WHATSAPP_MAX_BUTTONS = 3;
export const WHATSAPP_BUTTON_TITLE_LENGTH = 20;
export const WHATSAPP_BUTTON_BODY_LENGTH = 1024;
export const WHATSAPP_MAX_LIST_ROWS = 10;
export const WHATSAPP_ROW_TITLE_LENGTH = 24;
export const WHATSAPP_ROW_DESCRIPTION_LENGTH = 72;
export const WHATSAPP_LIST_BUTTON_LENGTH = 20;

/** The label of the list's open button, in the customer's language. */
const LIST_BUTTON: Record<Language, string> = { en: 'Choose', zh: '请选择', und: 'Choose' };

export type WhatsAppRequestBody = Record<string, unknown>;

function addressed(recipient: string): Record<string, string> {
  const field = /^\d+$/.test(recipient) ? 'to' : 'recipient';
  return { messaging_product: 'whatsapp', recipient_type: 'individual', [field]: recipient };
}

function textBody(recipient: string, text: string): WhatsAppRequestBody {
  return { ...addressed(recipient), type: 'text', text: { body: text, preview_url: false } };
}

function buttonsBody(recipient: string, text: string, quickReplies: readonly QuickReply[]): WhatsAppRequestBody {
  return {
    ...addressed(recipient),
    type: 'interactive',
    interactive: {
      type: 'button',
      body: { text },
      action: {
        buttons: quickReplies.map((quickReply) => ({ type: 'reply', reply: { id: quickReply.value, title: shorten(quickReply.label, WHATSAPP_BUTTON_TITLE_LENGTH) } })),
      },
    },
  };
}

function listBody(recipient: string, text: string, quickReplies: readonly QuickReply[], language: Language): WhatsAppRequestBody {
  return {
    ...addressed(recipient),
    type: 'interactive',
    interactive: {
      type: 'list',
      body: { text },
      action: {
        button: shorten(LIST_BUTTON[language], WHATSAPP_LIST_BUTTON_LENGTH),
        sections: [
          {
            rows: quickReplies.map((quickReply) => ({
              id: quickReply.value,
              title: shorten(quickReply.label, WHATSAPP_ROW_TITLE_LENGTH),
              ...(quickReply.label.length > WHATSAPP_ROW_TITLE_LENGTH ? { description: shorten(quickReply.label, WHATSAPP_ROW_DESCRIPTION_LENGTH) } : {}),
            })),
          },
        ],
      },
    },
  };
}

/** The request bodies for one reply, in the order they are sent. */
export function whatsAppMessageBodies(recipient: string, text: string, quickReplies: readonly QuickReply[], language: Language): WhatsAppRequestBody[] {
  if (quickReplies.length === 0) return splitText(text, WHATSAPP_MAX_TEXT_LENGTH).map((part) => textBody(recipient, part));
  if (quickReplies.length <= WHATSAPP_MAX_BUTTONS) {
    const parts = splitTextWithLast(text, WHATSAPP_MAX_TEXT_LENGTH, WHATSAPP_BUTTON_BODY_LENGTH);
    const last = parts.pop() ?? text;
    return [...parts.map((part) => textBody(recipient, part)), buttonsBody(recipient, last, quickReplies)];
  }
  const shown = quickReplies.slice(0, WHATSAPP_MAX_LIST_ROWS);
  const rest = quickReplies.slice(WHATSAPP_MAX_LIST_ROWS).map((quickReply) => `• ${quickReply.label}`);
  const withRest = rest.length === 0 ? text : `${text}\n${rest.join('\n')}`;
  const parts = splitText(withRest, WHATSAPP_MAX_TEXT_LENGTH);
  const last = parts.pop() ?? withRest;
  return [...parts.map((part) => textBody(recipient, part)), listBody(recipient, last, shown, language)];
}
