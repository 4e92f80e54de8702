/**
 * Messages that arrive in parts (a concatenated SMS, `InboundMessage.part`): each part is stored, redacted, in
 * `message_parts`; the transaction that stores the last part of a group also writes the joined message (the parts'
 * texts in order) as an ordinary inbound message, whichever process received which part. After that the joined
 * message is like any other: pending, picked up by the intake job. A group that stops receiving parts is handed
 * over by the reconciler after a timeout with the parts it has, the gaps marked `[…]` and `incomplete` in its raw.
 *
 * Parts do not take the group-commit path of accept.ts: they are rare, and each needs its group's lock.
 *
 * The joined message's dedupe key is `concat:<group key>:<first part's id>`: a group key alone recycles (Vonage's
 * concat-ref is a counter), the first stored part's id is unique for good. When a part arrives whose position is
 * already taken by another part (or whose total differs), the waiting group belongs to an earlier message with the
 * same key that lost a part: it is handed over at once and a new group starts.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { Attachment, Sender, StructuredFields, type InboundMessage, type MessagePart } from '../contracts/inbound-message.js';
import { isOmbudsError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import {
  completePartGroup,
  findMessagePart,
  insertInboundBatch,
  insertMessagePart,
  listMessageParts,
  listStalePartGroups,
  lockStalePartGroup,
  lockWaitingPartGroup,
  type AcceptedRow,
  type Database,
  type NewInboundMessage,
  type Queryable,
  type StoredMessagePart,
  type WaitingPartGroup,
} from '../store/index.js';
import type { IntakeObserver } from './intake-observer.js';

/** What `accept` answers for a part (the same shape as accept.ts's AcceptResult). */
export interface PartAcceptResult {
  /** The joined message once the group is complete; the part's own id before. */
  messageId: string;
  complaintId: string | null;
  reference: string | null;
  duplicate: boolean;
}

export interface MessagePartsConfig {
  database: Database;
  observer: IntakeObserver;
  logger: Logger;
  timeZone: string;
  /** accept.ts's conversion of a message into its stored row (PII redaction, identifier hashes). */
  toRow: (message: InboundMessage) => NewInboundMessage;
  /** Enqueues the intake jobs of committed joined messages; a failure is left to the reconciler. */
  enqueue: (messageIds: readonly string[]) => Promise<void>;
}

export interface MessageParts {
  accept(message: InboundMessage & { part: MessagePart }): Promise<PartAcceptResult>;
  /**
   * Hands over every group whose latest part is older than `timeoutMs` at `now`, with the parts it has (the
   * reconciler's entry); returns how many joined messages were written.
   */
  handOverStale(now: Date, timeoutMs: number): Promise<number>;
}

/** A part as kept in `message_parts.message`: what the joined message needs, already redacted. */
const StoredPart = z.object({
  conversationKey: z.string(),
  sender: Sender,
  sentAt: z.coerce.date(),
  receivedAt: z.coerce.date(),
  text: z.string(),
  attachments: z.array(Attachment),
  locale: z.string().optional(),
  replyAddress: z.string(),
  fields: StructuredFields.optional(),
  raw: z.unknown(),
  identifierHashes: z.array(z.string()),
  textContacts: z.array(z.object({ type: z.enum(['phone', 'email']), value: z.string() })),
});
type StoredPart = z.infer<typeof StoredPart>;

interface ReadablePart {
  index: number;
  channelMessageId: string;
  stored: StoredPart;
}

interface JoinedRow extends AcceptedRow {
  incomplete: boolean;
}

const GAP = '[…]';
const MAX_ID = 256;
const MAX_ATTACHMENTS = 20;
const STALE_PAGE = 100;

/** Thrown inside the transaction when a concurrent request stored the same part first: rolls back what we wrote. */
class PartAlreadyStored extends Error {
  constructor() {
    super('part already stored');
    this.name = 'PartAlreadyStored';
  }
}

function storedPartOf(row: NewInboundMessage): StoredPart {
  return {
    conversationKey: row.conversationKey,
    sender: Sender.parse(row.sender),
    sentAt: row.sentAt,
    receivedAt: row.receivedAt,
    text: row.text,
    attachments: z.array(Attachment).parse(row.attachments),
    ...(row.locale === null ? {} : { locale: row.locale }),
    replyAddress: row.replyAddress,
    ...(row.fields === null ? {} : { fields: StructuredFields.parse(row.fields) }),
    raw: row.raw,
    identifierHashes: row.identifierHashes,
    textContacts: row.textContacts,
  };
}

function contactKey(contact: StoredPart['textContacts'][number]): string {
  return `${contact.type}:${contact.value}`;
}

/** The joined message of a group from the parts it has (all of them, or what arrived before the timeout). Pure. */
export function joinParts(
  channel: string,
  group: { groupKey: string; total: number },
  parts: readonly ReadablePart[],
): { message: InboundMessage; identifierHashes: string[]; textContacts: StoredPart['textContacts']; incomplete: boolean } {
  const ordered = [...parts].sort((a, b) => a.index - b.index);
  const first = ordered[0];
  if (!first) throw new Error('a group without parts cannot be joined');
  const byIndex = new Map(ordered.map((part) => [part.index, part.stored]));
  // SMS parts are cut mid-word: they join as they are. Missing parts in a row show as one gap between spaces.
  let text = '';
  let afterGap = false;
  for (let index = 1; index <= group.total; index += 1) {
    const piece = byIndex.get(index)?.text;
    if (piece === undefined && !afterGap) text = `${text.trimEnd()} ${GAP} `;
    else if (piece !== undefined) text += afterGap ? piece.trimStart() : piece;
    afterGap = piece === undefined;
  }
  const incomplete = ordered.length < group.total;
  const earliest = (pick: (stored: StoredPart) => Date) => new Date(Math.min(...ordered.map((part) => pick(part.stored).getTime())));
  const contacts = new Map<string, StoredPart['textContacts'][number]>();
  for (const part of ordered) for (const contact of part.stored.textContacts) contacts.set(contactKey(contact), contact);
  const message: InboundMessage = {
    channel,
    channelMessageId: `concat:${group.groupKey}:${first.channelMessageId}`.slice(0, MAX_ID),
    conversationKey: first.stored.conversationKey,
    sender: first.stored.sender,
    sentAt: earliest((stored) => stored.sentAt),
    receivedAt: earliest((stored) => stored.receivedAt),
    text: incomplete ? text.trim() : text,
    attachments: ordered.flatMap((part) => part.stored.attachments).slice(0, MAX_ATTACHMENTS),
    ...(first.stored.locale === undefined ? {} : { locale: first.stored.locale }),
    replyAddress: first.stored.replyAddress,
    ...(first.stored.fields === undefined ? {} : { fields: first.stored.fields }),
    raw: {
      concatenated: { group: group.groupKey, total: group.total, received: ordered.map((part) => part.index), incomplete },
      parts: ordered.map((part) => part.stored.raw),
    },
  };
  return {
    message,
    identifierHashes: [...new Set(ordered.flatMap((part) => part.stored.identifierHashes))],
    textContacts: [...contacts.values()],
    incomplete,
  };
}

export function createMessageParts(config: MessagePartsConfig): MessageParts {
  const { database, observer, logger } = config;

  function readable(part: StoredMessagePart): ReadablePart | null {
    const parsed = StoredPart.safeParse(part.message);
    if (!parsed.success) {
      logger.warn({ partId: part.id }, 'a stored message part could not be read; it is left out of the joined message');
      return null;
    }
    return { index: part.index, channelMessageId: part.channelMessageId, stored: parsed.data };
  }

  /** Writes the joined message of `group` and marks the group done. */
  async function join(tx: Queryable, group: WaitingPartGroup, parts: readonly StoredMessagePart[], at: Date): Promise<JoinedRow> {
    const usable = parts.map(readable).filter((part) => part !== null);
    if (usable.length === 0) throw new Error(`message part group ${group.id} has no readable part`);
    const joined = joinParts(group.channel, group, usable);
    const row = config.toRow(joined.message);
    // The parts were redacted one by one before they were stored (their identifiers found then); toRow redacted
    // the joined text again, which catches an identifier whose pieces each looked harmless. One whose pieces were
    // each masked (a card number cut in two) stays masked, but is no longer recognised for what it was.
    row.identifierHashes = [...new Set([...row.identifierHashes, ...joined.identifierHashes])];
    const contacts = new Map(row.textContacts.map((contact) => [contactKey(contact), contact]));
    for (const contact of joined.textContacts) contacts.set(contactKey(contact), contact);
    row.textContacts = [...contacts.values()];
    const [stored] = await insertInboundBatch(tx, [row], config.timeZone);
    if (!stored) throw new Error('joined message not stored');
    await completePartGroup(tx, group.id, { messageId: stored.messageId, at, incomplete: joined.incomplete });
    return { ...stored, incomplete: joined.incomplete };
  }

  async function enqueueCommitted(messageIds: readonly string[]): Promise<void> {
    if (messageIds.length === 0) return;
    try {
      await config.enqueue(messageIds);
    } catch (error) {
      observer.enqueueFailed(messageIds.length);
      logger.warn({ err: error, count: messageIds.length }, 'enqueue failed after commit; the reconciler will enqueue these messages');
    }
  }

  async function duplicateOf(message: InboundMessage): Promise<PartAcceptResult> {
    const known = await findMessagePart(database, message.channel, message.channelMessageId);
    if (!known) throw new Error('message part neither stored nor found');
    observer.duplicate(message.channel);
    return { messageId: known.joinedMessageId ?? known.partId, complaintId: known.complaintId, reference: known.reference, duplicate: true };
  }

  type Stored = { duplicate: true } | { duplicate: false; joined: JoinedRow | null; handedOver: string[] };

  /** Stores one part in its group (one transaction); joins the group when this part completes it. */
  function storePart(message: InboundMessage & { part: MessagePart }, partId: string, stored: StoredPart): Promise<Stored> {
    const { part } = message;
    return database.transaction(async (tx): Promise<Stored> => {
      if (await findMessagePart(tx, message.channel, message.channelMessageId)) return { duplicate: true };
      const at = message.receivedAt;
      const key = { channel: message.channel, groupKey: part.group, total: part.total, at };
      let group = await lockWaitingPartGroup(tx, { id: randomUUID(), ...key });
      let parts = await listMessageParts(tx, group.id);
      const taken = parts.find((existing) => existing.index === part.index);
      // The same part, stored by a concurrent request while we waited for the group's lock.
      if (taken?.channelMessageId === message.channelMessageId) return { duplicate: true };
      const handedOver: string[] = [];
      if (taken || group.total !== part.total) {
        // The waiting group is an earlier message under the same key that lost a part: hand it over as it is.
        const earlier = await join(tx, group, parts, at);
        if (!earlier.duplicate) handedOver.push(earlier.messageId);
        logger.info({ channel: message.channel, messageId: earlier.messageId }, 'message parts handed over incomplete: a new message reuses their group key');
        group = await lockWaitingPartGroup(tx, { id: randomUUID(), ...key });
        parts = [];
      }
      const inserted = await insertMessagePart(tx, {
        id: partId,
        groupId: group.id,
        channel: message.channel,
        channelMessageId: message.channelMessageId,
        index: part.index,
        receivedAt: message.receivedAt,
        message: stored,
      });
      if (!inserted) throw new PartAlreadyStored();
      const all: StoredMessagePart[] = [...parts, { id: partId, index: part.index, channelMessageId: message.channelMessageId, receivedAt: at, message: stored }];
      const joined = all.length >= group.total ? await join(tx, group, all, at) : null;
      return { duplicate: false, joined, handedOver };
    });
  }

  /** Hands over one stale group, unless another process has it or a part just came in. */
  function handOverGroup(groupId: string, before: Date, now: Date): Promise<(JoinedRow & { channel: string }) | null> {
    return database.transaction(async (tx) => {
      const group = await lockStalePartGroup(tx, groupId, before);
      if (!group) return null;
      const handed = await join(tx, group, await listMessageParts(tx, group.id), now);
      return { ...handed, channel: group.channel };
    });
  }

  return {
    async accept(message) {
      const partId = randomUUID();
      let outcome: Stored;
      try {
        outcome = await storePart(message, partId, storedPartOf(config.toRow(message)));
      } catch (error) {
        if (error instanceof PartAlreadyStored) return duplicateOf(message);
        throw error;
      }
      if (outcome.duplicate) return duplicateOf(message);
      const { joined, handedOver } = outcome;
      const fresh = [...handedOver, ...(joined && !joined.duplicate ? [joined.messageId] : [])];
      for (const _messageId of fresh) observer.accepted(message.channel);
      await enqueueCommitted(fresh);
      if (joined) return { messageId: joined.messageId, complaintId: joined.complaintId, reference: joined.reference, duplicate: joined.duplicate };
      return { messageId: partId, complaintId: null, reference: null, duplicate: false };
    },

    async handOverStale(now, timeoutMs) {
      const before = new Date(now.getTime() - timeoutMs);
      let written = 0;
      for (;;) {
        const stale = await listStalePartGroups(database, { before, limit: STALE_PAGE });
        const fresh: string[] = [];
        let settled = 0;
        for (const groupId of stale) {
          try {
            const handed = await handOverGroup(groupId, before, now);
            if (!handed) continue;
            settled += 1;
            if (handed.duplicate) continue;
            fresh.push(handed.messageId);
            observer.accepted(handed.channel);
            logger.info({ channel: handed.channel, messageId: handed.messageId, incomplete: handed.incomplete }, 'message parts handed over after the timeout');
          } catch (error) {
            // A store outage ends this pass (the reconciler tries again); one broken group does not hold up the rest.
            if (isOmbudsError(error) && error.retryable) throw error;
            logger.error({ err: error, groupId }, 'message parts could not be handed over');
          }
        }
        await enqueueCommitted(fresh);
        written += fresh.length;
        // A short page is the last; so is a full one where nothing could be settled (locked elsewhere, or broken).
        if (stale.length < STALE_PAGE || settled === 0) return written;
      }
    },
  };
}
