/**
 * accept(message): the intake hot path. Redacts PII, then persists the message, its complaint shell (with the
 * reference the customer is told) and the first audit event, deduplicated on (channel, channel message id), in
 * one statement shared with concurrent callers (group commit). Only after that commit does it enqueue the intake
 * job and resolve, so the channel's 2xx means "stored". If the queue is down the message is still stored and the
 * reconciler enqueues it later.
 */
import { randomUUID } from 'node:crypto';
import { jobIds, type InboundMessage } from '../contracts/index.js';
import { redactPii } from '../classifier/index.js';
import { isOmbudsError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { QueueDriver } from '../queue/index.js';
import { insertInboundBatch, type Database, type NewInboundMessage } from '../store/index.js';
import { createGroupCommit } from './group-commit.js';
import type { IntakeObserver } from './intake-observer.js';
import { createMessageParts } from './message-parts.js';
import { redactDeep, storable } from './redact-deep.js';

export interface AcceptResult {
  messageId: string;
  complaintId: string | null;
  reference: string | null;
  duplicate: boolean;
}

export interface Intake {
  accept(message: InboundMessage): Promise<AcceptResult>;
}

/** The intake createIntake builds: also hands over message parts whose group never completed (the reconciler's). */
export interface IntakeWithParts extends Intake {
  /** Joins and accepts every group of parts whose latest part is older than `timeoutMs` (message-parts.ts). */
  handOverStaleParts(now: Date, timeoutMs: number): Promise<number>;
}

export interface IntakeConfig {
  database: Database;
  queue: QueueDriver;
  observer: IntakeObserver;
  logger: Logger;
  /** The bank's time zone: the reference's year is the year of receipt there. */
  timeZone: string;
  /** Salted hash of one identifier found in a text (`type:value`); lets repeats be linked without storing it. */
  hashIdentifier: (type: string, value: string) => string;
  maxBatch: number;
}

interface Pending {
  row: NewInboundMessage;
}

/** The stored row of a message: text and payload PII-redacted, identifiers hashed (assisted intake uses it too). */
export function toRow(message: InboundMessage, hashIdentifier: IntakeConfig['hashIdentifier']): NewInboundMessage {
  const redaction = redactPii(storable(message.text));
  const textContacts: NewInboundMessage['textContacts'] = [];
  for (const identifier of redaction.identifiers) {
    if ((identifier.type === 'phone' || identifier.type === 'email') && !textContacts.some((contact) => contact.value === identifier.value)) {
      textContacts.push({ type: identifier.type, value: identifier.value });
    }
  }
  return {
    messageId: randomUUID(),
    complaintId: randomUUID(),
    channel: message.channel,
    channelMessageId: message.channelMessageId,
    conversationKey: message.conversationKey,
    sender: { ...message.sender, ...(message.sender.displayName === undefined ? {} : { displayName: storable(message.sender.displayName) }) },
    text: redaction.text,
    attachments: message.attachments,
    fields: message.fields ? { ...message.fields } : null,
    locale: message.locale ?? null,
    replyAddress: message.replyAddress,
    // The text was redacted above: the payload's copy of it is not redacted again.
    raw: redactDeep(message.raw, 0, new Map([[message.text, redaction.text]])),
    sentAt: message.sentAt,
    receivedAt: message.receivedAt,
    identifierHashes: [...new Set(redaction.identifiers.map((identifier) => hashIdentifier(identifier.type, identifier.value)))],
    textContacts,
  };
}

export function createIntake(config: IntakeConfig): IntakeWithParts {
  const { database, queue, observer, logger } = config;
  // Parts of a longer message (a concatenated SMS) wait for each other off the hot path below.
  const parts = createMessageParts({
    database,
    observer,
    logger,
    timeZone: config.timeZone,
    toRow: (message) => toRow(message, config.hashIdentifier),
    enqueue: (messageIds) => queue.enqueueMany('intake', messageIds.map((messageId) => ({ payload: { messageId }, options: { jobId: jobIds.intake(messageId) } }))),
  });

  async function flush(batch: Pending[]): Promise<AcceptResult[]> {
    // Two submissions of one message in the same batch: the first is written, the rest answer as duplicates.
    const firstByKey = new Map<string, number>();
    const unique: NewInboundMessage[] = [];
    const slot = batch.map(({ row }) => {
      const key = `${row.channel}\u0000${row.channelMessageId}`;
      let index = firstByKey.get(key);
      if (index === undefined) {
        index = unique.length;
        firstByKey.set(key, index);
        unique.push(row);
        return { index, repeat: false };
      }
      return { index, repeat: true };
    });
    const rows = await insertInboundBatch(database, unique, config.timeZone);
    observer.batchWritten(unique.length);

    const toEnqueue = rows.filter((row) => !row.duplicate || row.pending);
    if (toEnqueue.length > 0) {
      try {
        await queue.enqueueMany(
          'intake',
          toEnqueue.map((row) => ({ payload: { messageId: row.messageId }, options: { jobId: jobIds.intake(row.messageId) } })),
        );
      } catch (error) {
        observer.enqueueFailed(toEnqueue.length);
        logger.warn({ err: error, count: toEnqueue.length }, 'enqueue failed after commit; the reconciler will enqueue these messages');
      }
    }
    return slot.map(({ index, repeat }) => {
      const row = rows[index];
      if (!row) throw new Error('batch result missing');
      return { messageId: row.messageId, complaintId: row.complaintId, reference: row.reference, duplicate: row.duplicate || repeat };
    });
  }

  const commit = createGroupCommit<Pending, AcceptResult>({
    maxBatch: config.maxBatch,
    maxConcurrent: Math.max(1, Math.min(4, database.parallelism)),
    flush,
    // A store outage fails the whole batch (every sender retries); anything else is retried item by item.
    retryAlone: (error) => !(isOmbudsError(error) && error.retryable),
  });

  return {
    async accept(message) {
      if (message.part) return parts.accept({ ...message, part: message.part });
      const result = await commit.submit({ row: toRow(message, config.hashIdentifier) });
      if (result.duplicate) observer.duplicate(message.channel);
      else observer.accepted(message.channel);
      return result;
    },
    handOverStaleParts: (now, timeoutMs) => parts.handOverStale(now, timeoutMs),
  };
}
