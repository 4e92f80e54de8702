/**
 * ComplaintRecord, schemaVersion 1: the one structured record every channel's message becomes (DESIGN.md §3).
 */
import { z } from 'zod';
import { Classification, FlagReason, Urgency } from './classification.js';
import { ChannelName } from './inbound-message.js';
import { Flag, Issue, Kind, Language, Product, Regime, Sentiment, Stage } from './taxonomy.js';

export const COMPLAINT_SCHEMA_VERSION = 1 as const;

/** `CMP-2026-000123`: year of receipt, then a zero-padded sequence number. */
export const ComplaintReference = z.string().regex(/^CMP-\d{4}-\d{6,}$/);
export type ComplaintReference = z.infer<typeof ComplaintReference>;

export const Money = z.object({ value: z.number().nonnegative(), currency: z.string().regex(/^[A-Z]{3}$/) });
export type Money = z.infer<typeof Money>;

export const CustomerContact = z.object({
  type: z.enum(['phone', 'email', 'channel']),
  value: z.string().max(320),
  channel: ChannelName.optional(),
});
export type CustomerContact = z.infer<typeof CustomerContact>;

export const Deadline = z.object({
  regime: Regime,
  /** What the clock is for: `final_response`, `acknowledge`, `summary_resolution`, … */
  clock: z.string().max(64),
  dueAt: z.iso.datetime(),
  status: z.enum(['open', 'met', 'breached', 'paused']),
});
export type Deadline = z.infer<typeof Deadline>;

export const ComplaintRecord = z.object({
  schemaVersion: z.literal(COMPLAINT_SCHEMA_VERSION),
  id: z.uuid(),
  reference: ComplaintReference,
  kind: Kind,
  customer: z.object({
    id: z.uuid().nullable(),
    name: z.string().max(256).nullable(),
    contacts: z.array(CustomerContact),
    language: Language,
    vulnerabilityFlags: z.array(z.string().max(64)),
    /** Salted hashes (HMAC-SHA256) of identifiers found in the customer's words, for linking repeats. */
    identifierHashes: z.array(z.string().regex(/^[0-9a-f]{64}$/)).max(50).optional(),
  }),
  channels: z.array(ChannelName).min(1),
  summary: z.string().max(500),
  /** PII-redacted text of what the customer said. */
  description: z.string().max(100_000),
  product: Product,
  issue: Issue,
  amount: Money.nullable(),
  incidentDate: z.iso.date().nullable(),
  desiredOutcome: z.string().max(2000).nullable(),
  urgency: Urgency,
  flags: z.array(Flag),
  flagReasons: z.array(FlagReason),
  sentiment: Sentiment,
  stage: Stage,
  team: z.string().max(64),
  assignee: z.uuid().nullable(),
  regime: Regime,
  deadlines: z.array(Deadline),
  receivedAt: z.iso.datetime(),
  resolution: z.object({ summary: z.string().max(5000), redress: Money.nullable(), upheld: z.boolean() }).nullable(),
  satisfaction: z.object({ score: z.number().int().min(1).max(5), comment: z.string().max(2000).nullable() }).nullable(),
  classification: Classification,
});
export type ComplaintRecord = z.infer<typeof ComplaintRecord>;
