/**
 * Our web chat widget's wire format (DESIGN.md §6): the session it starts, the frames the browser POSTs (a message,
 * delivery receipts) and the events of its stream (`GET /chat/events`, Server-Sent Events). The adapter parses with
 * these schemas, the routes answer with them, and the OpenAPI document is generated from them.
 */
import { z } from 'zod';
import { QuickReply } from './handling.js';

/** Longest customer message, in UTF-16 code units (the textarea's `maxlength` counts the same way). */
export const WEBCHAT_MAX_TEXT_LENGTH = 4000;
/** Receipts one POST may carry. */
export const WEBCHAT_MAX_RECEIPTS = 100;

export const WebChatSessionStarted = z
  .object({
    sessionId: z.uuid(),
    /** `Authorization: Bearer <token>` on every other call (or `?token=` on the event stream). */
    token: z.string(),
    expiresAt: z.iso.datetime(),
  })
  .describe('A new web chat session: keep the token in the browser tab (sessionStorage); it is the only key to this conversation.');
export type WebChatSessionStarted = z.infer<typeof WebChatSessionStarted>;

export const WebChatMessageFrame = z
  .strictObject({
    /** The browser's id for this message, unique in the session; a repeat (a retry) is a duplicate and stores nothing new. */
    clientMessageId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 characters of A-Z a-z 0-9 _ -'),
    text: z
      .string()
      .max(WEBCHAT_MAX_TEXT_LENGTH, `must be at most ${String(WEBCHAT_MAX_TEXT_LENGTH)} characters`)
      .refine((text) => text.trim() !== '', 'must not be empty'),
    /** The customer's language (BCP 47), when the page knows it. */
    locale: z.string().regex(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,3}$/, 'must be a language tag such as zh-CN or en').max(35).optional(),
  })
  .describe('A customer message typed (or a quick reply tapped) in the web chat.');
export type WebChatMessageFrame = z.infer<typeof WebChatMessageFrame>;

export const WebChatMessageAccepted = z.object({
  clientMessageId: z.string(),
  /** True when this clientMessageId was already stored in this session (nothing new stored). */
  duplicate: z.boolean(),
});
export type WebChatMessageAccepted = z.infer<typeof WebChatMessageAccepted>;

export const WebChatReceiptFrame = z
  .strictObject({
    /** Ids of the messages (`message` events) the browser has shown. */
    messageIds: z.array(z.uuid()).min(1).max(WEBCHAT_MAX_RECEIPTS),
  })
  .describe('Delivery receipts: the messages of this session the browser has displayed.');
export type WebChatReceiptFrame = z.infer<typeof WebChatReceiptFrame>;

export const WebChatReceiptsApplied = z.object({
  /** The ids that are messages of this session to the customer (now delivered, or already); others are ignored. */
  delivered: z.array(z.uuid()),
});
export type WebChatReceiptsApplied = z.infer<typeof WebChatReceiptsApplied>;

/** Who wrote a message of the conversation. */
export const WebChatAuthor = z.enum(['customer', 'bot', 'staff']);
export type WebChatAuthor = z.infer<typeof WebChatAuthor>;

/** `event: message` — its SSE `id` is the cursor to resume after (`Last-Event-ID`). */
export const WebChatMessageEvent = z
  .object({
    id: z.uuid(),
    author: WebChatAuthor,
    text: z.string(),
    quickReplies: z.array(QuickReply),
    sentAt: z.iso.datetime(),
    /** The customer's own messages: the clientMessageId they were sent with (the page shows each once). */
    clientMessageId: z.string().optional(),
  })
  .describe('One message of the conversation, the customer’s own included. Delivered at least once: ignore an id already shown.');
export type WebChatMessageEvent = z.infer<typeof WebChatMessageEvent>;

/** `event: typing` — the bank is writing an answer; show it until the next message or `ttlMs`. */
export const WebChatTypingEvent = z.object({ ttlMs: z.number().int().positive() });
export type WebChatTypingEvent = z.infer<typeof WebChatTypingEvent>;
