/**
 * InboundMessage: what every channel adapter produces, and the parse result union (DESIGN.md §3).
 */
import { z } from 'zod';

export const ChannelName = z
  .string()
  .regex(/^[a-z][a-z0-9_]{1,31}$/, 'channel names are lower-case identifiers');
export type ChannelName = z.infer<typeof ChannelName>;

export const Attachment = z.object({
  type: z.enum(['image', 'audio', 'video', 'document', 'location', 'other']),
  url: z.string().max(2048).optional(),
  id: z.string().max(512).optional(),
  name: z.string().max(512).optional(),
  mimeType: z.string().max(128).optional(),
  size: z.number().int().nonnegative().optional(),
});
export type Attachment = z.infer<typeof Attachment>;

export const Sender = z.object({
  /** The channel's own user id (Telegram user id, phone number for SMS, app customer id for the API channel). */
  id: z.string().min(1).max(256),
  displayName: z.string().max(256).optional(),
  phone: z.string().max(64).optional(),
  email: z.string().max(320).optional(),
});
export type Sender = z.infer<typeof Sender>;

/** Structured facts a channel may already know (the bank's app form fields, say). */
export const StructuredFields = z.object({
  product: z.string().max(64).optional(),
  amount: z.object({ value: z.number().nonnegative(), currency: z.string().regex(/^[A-Z]{3}$/) }).optional(),
  incidentDate: z.iso.date().optional(),
  desiredOutcome: z.string().max(2000).optional(),
  accountReference: z.string().max(128).optional(),
  /** The staff member (name or agent id) who took a hotline call; set by the hotline adapter, never by apps. */
  takenBy: z.string().max(200).optional(),
});
export type StructuredFields = z.infer<typeof StructuredFields>;

/**
 * One part of a message the channel delivers in pieces (a concatenated SMS: Vonage's `concat-ref`, `concat-part`,
 * `concat-total`). Intake keeps the parts until all of a group are in, then accepts them joined as one message.
 */
export const MessagePart = z
  .object({
    /** Identifies the whole message within the channel (Vonage: sender, number and concat-ref). */
    group: z.string().min(1).max(256),
    /** 1-based position of this part. */
    index: z.number().int().min(1).max(255),
    total: z.number().int().min(2).max(255),
  })
  .refine((part) => part.index <= part.total, { error: 'a part index is at most the total', path: ['index'] });
export type MessagePart = z.infer<typeof MessagePart>;

export const InboundMessage = z.object({
  channel: ChannelName,
  /** The sender's id for this message; with `channel` it is the dedupe key. */
  channelMessageId: z.string().min(1).max(256),
  /** Who/where to thread and reply (chat id, phone number, app conversation id). */
  conversationKey: z.string().min(1).max(256),
  sender: Sender,
  sentAt: z.date(),
  receivedAt: z.date(),
  text: z.string().max(100_000),
  attachments: z.array(Attachment).max(20),
  locale: z.string().max(35).optional(),
  /** Where replies go (chat id, phone number, callback reference), as the channel's sender understands it. */
  replyAddress: z.string().max(2048),
  fields: StructuredFields.optional(),
  /** Set when this is one part of a longer message; intake joins the parts before anything else sees them. */
  part: MessagePart.optional(),
  /** The verified payload; PII-redacted before storage. */
  raw: z.unknown(),
});
export type InboundMessage = z.infer<typeof InboundMessage>;

/** What an adapter's parse step returns: never throws past the boundary. */
export type ParseResult =
  | { kind: 'message'; message: InboundMessage }
  | { kind: 'status'; channelMessageId: string; status: 'sent' | 'delivered' | 'read' | 'failed'; at: Date }
  | { kind: 'unsupported'; reason: string };
