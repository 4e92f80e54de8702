/**
 * The intake dialog's state: what one conversation has said so far and what the bot still needs, stored as JSON in
 * `conversations.state` (never in process memory, so any process can take the next turn). Read back through zod:
 * a state that does not parse — an older shape, a hand edit — starts the conversation afresh rather than failing.
 */
import { z } from 'zod';
import { Issue, Money, Product } from '../../contracts/index.js';

export const DIALOG_STATE_VERSION = 1 as const;

/** What the dialog may ask for, in the order it asks. */
export const DialogField = z.enum(['description', 'product', 'amount', 'incidentDate', 'desiredOutcome', 'contact']);
export type DialogField = z.infer<typeof DialogField>;

export const DialogPhase = z.enum(['new', 'collecting', 'confirming', 'registered', 'handed_off']);
export type DialogPhase = z.infer<typeof DialogPhase>;

export const DialogState = z.object({
  version: z.literal(DIALOG_STATE_VERSION),
  phase: DialogPhase,
  language: z.enum(['zh', 'en']),
  /** The customer's words (already PII-redacted), one entry per message that described the complaint. */
  description: z.array(z.string().max(20_000)).max(50),
  /** Inbound message ids that make up this complaint, in order. */
  messageIds: z.array(z.string().max(200)).max(100),
  fields: z.object({
    product: Product.optional(),
    issue: Issue.optional(),
    amount: Money.nullable().optional(),
    incidentDate: z.iso.date().nullable().optional(),
    desiredOutcome: z.string().max(2000).nullable().optional(),
    contact: z.string().max(320).nullable().optional(),
  }),
  /** Questions already asked (never asked twice); skipped ones are answered with null. */
  asked: z.array(DialogField),
  /** The question the customer's next message answers. */
  pending: DialogField.or(z.literal('correction')).nullable(),
  complaintReference: z.string().max(40).nullable(),
  complaintId: z.uuid().nullable(),
  lastActivityAt: z.iso.datetime(),
});
export type DialogState = z.infer<typeof DialogState>;

export function initialDialogState(language: 'zh' | 'en', at: Date): DialogState {
  return {
    version: DIALOG_STATE_VERSION,
    phase: 'new',
    language,
    description: [],
    messageIds: [],
    fields: {},
    asked: [],
    pending: null,
    complaintReference: null,
    complaintId: null,
    lastActivityAt: at.toISOString(),
  };
}

/** The stored state, or null when there is none or it does not parse (the caller starts afresh). */
export function readDialogState(stored: unknown): DialogState | null {
  const parsed = DialogState.safeParse(stored);
  return parsed.success ? parsed.data : null;
}
