/**
 * Bodies of the API channel, `POST /v1/messages`: the bank's own apps and online banking.
 */
import { z } from 'zod';
import { Attachment, StructuredFields } from './inbound-message.js';

export const ApiMessageBody = z
  .strictObject({
    /** The app's own id for this message; a repeat with the same id is a duplicate (answered 200). */
    clientMessageId: z.string().min(1).max(128).optional(),
    /** The app's conversation id; messages with the same one are threaded together. Defaults to the sender id. */
    conversationId: z.string().min(1).max(128).optional(),
    sender: z.strictObject({
      id: z.string().min(1).max(128),
      name: z.string().min(1).max(256).optional(),
      phone: z.string().min(3).max(32).optional(),
      email: z.email().max(320).optional(),
    }),
    text: z.string().trim().min(1).max(20_000),
    sentAt: z.iso.datetime({ offset: true }).optional(),
    locale: z.string().min(2).max(35).optional(),
    fields: StructuredFields.omit({ takenBy: true }).strict().optional(),
    attachments: z.array(Attachment.strict()).max(10).optional(),
  })
  .describe('A customer message sent by one of the bank’s own apps.');
export type ApiMessageBody = z.infer<typeof ApiMessageBody>;

export const ApiMessageAccepted = z
  .object({
    messageId: z.uuid(),
    complaintReference: z.string(),
    duplicate: z.boolean(),
  })
;
export type ApiMessageAccepted = z.infer<typeof ApiMessageAccepted>;
