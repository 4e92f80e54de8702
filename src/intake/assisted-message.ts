/**
 * An assisted-intake complaint as the one inbound message every complaint starts from (decision 0014): channel
 * `branch` / `letter` / `email` / `phone`, sent and received at the date the customer complained, the customer's
 * contacts as its sender, the staff-given facts as structured fields. The sender id is the customer's phone number
 * when there is one (so the same phone on SMS is the same customer), else their e-mail address, else this message.
 */
import type { AssistedComplaintBody, InboundMessage } from '../contracts/index.js';

export interface AssistedMessageInput {
  body: AssistedComplaintBody;
  receivedAt: Date;
  /** Unique per complaint; with an Idempotency-Key, derived from it so a concurrent repeat collides. */
  channelMessageId: string;
  messageKey: string;
  attachments: readonly { id: string; name: string; contentType: string; size: number }[];
  recordedBy: string;
}

/** A phone number as identities store it (`+86 138-0013-8000` → `+8613800138000`). */
export function normalizedPhone(phone: string): string {
  return phone.replace(/[\s()-]/g, '');
}

export function assistedMessage(input: AssistedMessageInput): InboundMessage {
  const { body } = input;
  const phone = body.customer.phone ? normalizedPhone(body.customer.phone) : undefined;
  const email = body.customer.email?.toLowerCase();
  const senderId = phone ?? email ?? `assisted:${input.messageKey}`;
  // Where a reply on the complaint's own channel would go; none without the customer's consent to be contacted.
  const replyAddress = !body.consent.contact ? '' : body.channel === 'email' ? (email ?? '') : body.channel === 'phone' ? (phone ?? '') : '';
  return {
    channel: body.channel,
    channelMessageId: input.channelMessageId,
    // One conversation per assisted complaint: nothing the customer sends elsewhere threads into it by accident.
    conversationKey: `assisted:${input.messageKey}`,
    sender: { id: senderId, displayName: body.customer.name, ...(phone ? { phone } : {}), ...(email ? { email } : {}) },
    sentAt: input.receivedAt,
    receivedAt: input.receivedAt,
    text: body.text,
    attachments: input.attachments.map((attachment) => ({
      type: attachment.contentType === 'application/pdf' ? 'document' : 'image',
      id: attachment.id,
      name: attachment.name,
      mimeType: attachment.contentType,
      size: attachment.size,
    })),
    locale: body.customer.language,
    replyAddress,
    fields: {
      ...(body.product ? { product: body.product } : {}),
      ...(body.amount ? { amount: body.amount } : {}),
      ...(body.incidentDate ? { incidentDate: body.incidentDate } : {}),
    },
    raw: { assisted: { channel: body.channel, recordedBy: input.recordedBy, sourceReference: body.sourceReference ?? null, consent: body.consent } },
  };
}
