/**
 * Where a reply to a Meta customer goes, as one string (InboundMessage.replyAddress, stored on the conversation):
 * `whatsapp:<phone number id>:<recipient>` or `messenger:<page id>:<PSID>`. The product comes first so one sender
 * (and the webhook's "typing…") can tell them apart from the address alone; WhatsApp needs the business number the
 * customer wrote to (a business may have several), and a recipient that is either the customer's phone digits
 * (`wa_id`) or, for a customer known only by a username, their business-scoped user id (`US.1234`).
 */
export const WHATSAPP_CHANNEL = 'whatsapp';
export const MESSENGER_CHANNEL = 'messenger';

export type MetaProduct = typeof WHATSAPP_CHANNEL | typeof MESSENGER_CHANNEL;

export interface MetaReplyAddress {
  product: MetaProduct;
  /** WhatsApp: the business phone number id (`metadata.phone_number_id`); Messenger: the page id. */
  accountId: string;
  /** WhatsApp: `wa_id` digits or a business-scoped user id; Messenger: the page-scoped user id (PSID). */
  recipient: string;
}

/** Graph ids are digits; a recipient is digits or a business-scoped user id (letters, digits, `.`, `_`, `-`). */
const ACCOUNT_ID = /^\d{1,64}$/;
const RECIPIENT = /^[A-Za-z0-9._-]{1,128}$/;

export function formatMetaReplyAddress(address: MetaReplyAddress): string {
  return `${address.product}:${address.accountId}:${address.recipient}`;
}

/** The address's parts, or null when it is not one this adapter wrote. */
export function parseMetaReplyAddress(value: string): MetaReplyAddress | null {
  const [product, accountId, recipient, ...rest] = value.split(':');
  if (rest.length > 0 || accountId === undefined || recipient === undefined) return null;
  if (product !== WHATSAPP_CHANNEL && product !== MESSENGER_CHANNEL) return null;
  if (!ACCOUNT_ID.test(accountId) || !RECIPIENT.test(recipient)) return null;
  return { product, accountId, recipient };
}

/** Whether a value can be part of a reply address (checked at parse time, so a message we store can be answered). */
export function isMetaAccountId(value: string): boolean {
  return ACCOUNT_ID.test(value);
}

export function isMetaRecipient(value: string): boolean {
  return RECIPIENT.test(value);
}
