/**
 * Builds the ComplaintRecord (schemaVersion 1) from a stored inbound message, its customer and its
 * classification. Registration (routing, regime, deadlines, stage) is filled in by the handling workflow.
 */
import {
  COMPLAINT_SCHEMA_VERSION,
  Product,
  type Classification,
  type ComplaintRecord,
  type CustomerContact,
  type Money,
} from '../contracts/index.js';
import { largestAmount, parseAmounts } from '../classifier/index.js';
import type { InboundMessageRow } from '../store/index.js';

export interface RecordInput {
  complaintId: string;
  reference: string;
  message: InboundMessageRow;
  customerId: string;
  classification: Classification;
}

const SUMMARY_LENGTH = 140;

/** The first sentence (or the first 140 characters) of the redacted text. */
export function summarize(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const sentence = /^(.{10,140}?[.!?。！？])(\s|$)/u.exec(flat)?.[1];
  if (sentence) return sentence;
  return flat.length <= SUMMARY_LENGTH ? flat : `${flat.slice(0, SUMMARY_LENGTH - 1)}…`;
}

/** How to reach the customer: the channel, what the channel told us, and phones and e-mails they wrote. */
function contactsOf(message: InboundMessageRow): CustomerContact[] {
  const contacts: CustomerContact[] = [{ type: 'channel', value: message.replyAddress, channel: message.channel }];
  if (message.sender.phone) contacts.push({ type: 'phone', value: message.sender.phone });
  if (message.sender.email) contacts.push({ type: 'email', value: message.sender.email });
  for (const contact of message.textContacts) {
    const known = contacts.some((existing) => existing.type === contact.type && existing.value.replace(/[\s()-]/g, '').toLowerCase() === contact.value);
    if (!known) contacts.push(contact);
  }
  return contacts;
}

function amountOf(message: InboundMessageRow): Money | null {
  const given = message.fields?.amount as Money | undefined;
  if (given) return given;
  const largest = largestAmount(parseAmounts(message.text));
  return largest ? { value: largest.value, currency: largest.currency } : null;
}

export function buildRecord(input: RecordInput): ComplaintRecord {
  const { message, classification } = input;
  const fields = message.fields ?? {};
  const vulnerability = classification.flags.filter((flag) => flag.flag === 'vulnerable_customer').flatMap((flag) => flag.matched);
  return {
    schemaVersion: COMPLAINT_SCHEMA_VERSION,
    id: input.complaintId,
    reference: input.reference,
    kind: classification.kind.value,
    customer: {
      id: input.customerId,
      name: message.sender.displayName ?? null,
      contacts: contactsOf(message),
      language: classification.language,
      vulnerabilityFlags: vulnerability,
      identifierHashes: message.identifierHashes,
    },
    channels: [message.channel],
    summary: summarize(message.text),
    description: message.text,
    product: classification.product.value,
    issue: classification.issue.value,
    amount: amountOf(message),
    incidentDate: typeof fields.incidentDate === 'string' ? fields.incidentDate : null,
    desiredOutcome: typeof fields.desiredOutcome === 'string' ? fields.desiredOutcome : null,
    urgency: classification.urgency,
    flags: [...new Set(classification.flags.map((flag) => flag.flag))],
    flagReasons: classification.flags,
    sentiment: classification.sentiment.value,
    stage: 'intake',
    team: '',
    assignee: null,
    regime: 'cn_nfra',
    deadlines: [],
    receivedAt: message.receivedAt.toISOString(),
    resolution: null,
    satisfaction: null,
    classification,
  };
}

/** A product the channel stated as a structured field, if it is one of ours. */
export function productHintOf(message: InboundMessageRow): Product | undefined {
  const parsed = Product.safeParse(message.fields?.product);
  return parsed.success ? parsed.data : undefined;
}
