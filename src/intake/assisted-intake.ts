/**
 * Assisted intake (issue 8 item 4, decision 0014): a complaint made at a branch counter, in a letter, by e-mail or
 * on an untranscribed call, recorded by staff on the customer's behalf. It takes the path of a transcribed call:
 * one stored inbound message (redacted as intake redacts, deduplicated on channel + message id), the customer found
 * as intake finds them, the classifier, the record builder and the registrar — all in ONE transaction with the
 * attachments and the Idempotency-Key's answer, so the clerk gets the reference and the due date at once and a
 * failure leaves nothing behind. The clocks start at `receivedAt`, the date the customer complained.
 *
 * What staff give wins over the classifier: the product (recorded with source `staff` in the classification), the
 * amount and the incident date (structured fields of the message; the `assisted.recorded` event lists them).
 * Consent: without the customer's consent to be contacted, the record keeps no contacts, the message no reply
 * address, and registration goes through a registrar that never acknowledges on a channel (the team is asked to
 * acknowledge another way, as for a channel Ombuds cannot send on).
 */
import { randomUUID } from 'node:crypto';
import type { AssistedComplaintBody, AssistedComplaintCreated, ComplaintRecord } from '../contracts/index.js';
import type { Classifier } from '../classifier/index.js';
import type { Clock } from '../shared/clock.js';
import { sha256Hex } from '../shared/crypto.js';
import type { Logger } from '../shared/logger.js';
import type { FollowUpJob } from '../queue/index.js';
import {
  earliestOpenDue,
  findIdempotentResponse,
  insertAttachments,
  insertInboundBatch,
  lockInboundForProcessing,
  markInboundProcessed,
  resolveCustomerContext,
  saveIdempotentResponse,
  type AuditEventInput,
  type Database,
  type Queryable,
} from '../store/index.js';
import { toRow, type IntakeConfig } from './accept.js';
import { checkIncidentDate, checkReceivedAt, decodeAttachment, type DecodedAttachment } from './assisted-checks.js';
import { assistedMessage } from './assisted-message.js';
import type { ComplaintRegistrar } from './ports.js';
import { buildRecord } from './record-builder.js';

export interface AssistedIntakeConfig {
  database: Database;
  classifier: Classifier;
  /** `contact`: the deployment's registrar; `noContact`: one that never acknowledges on a channel (no consent). */
  registrars: { contact: ComplaintRegistrar; noContact: ComplaintRegistrar };
  hashIdentifier: IntakeConfig['hashIdentifier'];
  /** Enqueues the jobs registration decided on, after the commit; a failure is left to the reconcilers. */
  enqueue: (jobs: readonly FollowUpJob[]) => Promise<void>;
  clock: Clock;
  logger: Logger;
  /** The bank's time zone: the reference's year is the year of receipt there. */
  timeZone: string;
  maxBackdateDays: number;
  maxAttachmentBytes: number;
}

export interface AssistedIntakeRequest {
  body: AssistedComplaintBody;
  staff: { id: string; username: string };
  idempotency?: { key: string; requestHash: string };
}

export type AssistedIntakeOutcome =
  | { outcome: 'created' | 'replayed'; status: number; body: AssistedComplaintCreated }
  /** The Idempotency-Key was used before with another request. */
  | { outcome: 'key_reused' };

export interface AssistedIntake {
  record(request: AssistedIntakeRequest): Promise<AssistedIntakeOutcome>;
}

const CREATED = 201;

interface Checked {
  now: Date;
  receivedAt: Date;
  files: (DecodedAttachment & { id: string })[];
}

export function createAssistedIntake(config: AssistedIntakeConfig): AssistedIntake {
  const { database, classifier, clock, logger } = config;

  async function replay(tx: Queryable, request: AssistedIntakeRequest): Promise<AssistedIntakeOutcome | null> {
    if (!request.idempotency) return null;
    const stored = await findIdempotentResponse(tx, request.staff.id, request.idempotency.key);
    if (!stored) return null;
    if (stored.requestHash !== request.idempotency.requestHash) return { outcome: 'key_reused' };
    return { outcome: 'replayed', status: stored.statusCode, body: stored.response as AssistedComplaintCreated };
  }

  async function create(tx: Queryable, request: AssistedIntakeRequest, checked: Checked): Promise<{ outcome: AssistedIntakeOutcome; jobs: FollowUpJob[] }> {
    const earlier = await replay(tx, request);
    if (earlier) return { outcome: earlier, jobs: [] };
    const { body, staff } = request;
    const { now, receivedAt, files } = checked;
    const actor = `staff:${staff.id}`;
    const messageKey = randomUUID();
    const message = assistedMessage({
      body,
      receivedAt,
      // With a key, a concurrent repeat collides on (channel, channel message id) and waits for the first to commit.
      channelMessageId: request.idempotency ? `staff:${staff.id}:${sha256Hex(request.idempotency.key)}` : `assisted:${messageKey}`,
      messageKey,
      attachments: files.map((file) => ({ id: file.id, name: file.name, contentType: file.contentType, size: file.content.length })),
      recordedBy: staff.username,
    });
    const row = toRow(message, config.hashIdentifier);
    row.fields = { ...row.fields, consent: body.consent, recordedBy: staff.id, ...(body.sourceReference ? { sourceReference: body.sourceReference } : {}) };
    const [inserted] = await insertInboundBatch(tx, [row], config.timeZone);
    if (!inserted || inserted.duplicate) {
      const concurrent = await replay(tx, request);
      if (concurrent) return { outcome: concurrent, jobs: [] };
      throw new Error('assisted intake: the message exists but its answer was not stored');
    }
    const locked = await lockInboundForProcessing(tx, inserted.messageId);
    if (!locked) throw new Error('assisted intake: the message just written was not found');
    const stored = locked.message;

    const phone = stored.sender.phone ? { channel: 'phone', address: stored.sender.phone } : null;
    const email = stored.sender.email ? { channel: 'email', address: stored.sender.email } : null;
    const context = await resolveCustomerContext(tx, {
      channel: stored.channel,
      address: stored.sender.id,
      displayName: stored.sender.displayName ?? null,
      conversationKey: stored.conversationKey,
      complaintId: stored.complaintId,
      otherIdentities: [...(phone ? [phone] : []), ...(email ? [email] : [])],
      identifierHashes: stored.identifierHashes,
      // Staff took the number from the customer: the same phone on SMS or WhatsApp is the same customer.
      ...(phone ? { linkVia: [phone] } : {}),
    });

    const classification = await classifier.classify({
      text: stored.text,
      locale: body.customer.language,
      ...(body.product ? { productHint: body.product } : {}),
      customerHasOpenComplaint: context.hasOpenComplaint,
    });
    if (body.product) classification.product = { value: body.product, source: 'staff', confidence: 1, reason: 'given by staff at assisted intake' };
    const built = buildRecord({ complaintId: stored.complaintId, reference: locked.reference, message: stored, customerId: context.customerId, classification });
    const record: ComplaintRecord = {
      ...built,
      customer: {
        ...built.customer,
        language: body.customer.language,
        // Without consent to be contacted the record offers no way to contact them (the identities still link them).
        contacts: body.consent.contact ? built.customer.contacts.filter((contact) => contact.value !== '') : [],
      },
    };
    const attachments = await insertAttachments(
      tx,
      files.map((file) => ({ id: file.id, complaintId: record.id, messageId: stored.id, name: file.name, contentType: file.contentType, content: file.content, createdBy: staff.id, at: now })),
    );
    const precedingEvents: AuditEventInput[] = [
      {
        complaintId: record.id,
        type: 'assisted.recorded',
        actor,
        data: {
          messageId: stored.id,
          channel: body.channel,
          receivedAt: receivedAt.toISOString(),
          sourceReference: body.sourceReference ?? null,
          consent: body.consent,
          givenByStaff: (['product', 'amount', 'incidentDate'] as const).filter((field) => body[field] !== undefined),
          attachments: attachments.map((attachment) => ({ id: attachment.id, name: attachment.name, contentType: attachment.contentType, size: attachment.size, sha256: attachment.sha256 })),
        },
        at: now,
      },
      {
        complaintId: record.id,
        type: 'classified',
        actor,
        data: { messageId: stored.id, language: classification.language, kind: classification.kind, product: classification.product, issue: classification.issue, urgency: classification.urgency, flags: classification.flags, needsReview: classification.needsReview },
        at: now,
      },
    ];
    const registrar = body.consent.contact ? config.registrars.contact : config.registrars.noContact;
    const registered = await registrar.register(tx, { record, customerId: context.customerId, conversationId: context.conversationId, actor, precedingEvents, chainHead: locked.chainHead, at: now });
    await markInboundProcessed(tx, stored.id, now);
    const dueAt = await earliestOpenDue(tx, record.id);
    const answer: AssistedComplaintCreated = {
      id: record.id,
      reference: record.reference,
      kind: registered.record.kind,
      stage: registered.record.stage,
      team: registered.record.team || null,
      receivedAt: record.receivedAt,
      dueAt: dueAt?.toISOString() ?? null,
      attachments: attachments.map((attachment) => ({ id: attachment.id, name: attachment.name, contentType: attachment.contentType, size: attachment.size })),
    };
    if (request.idempotency) {
      await saveIdempotentResponse(tx, { staffId: staff.id, key: request.idempotency.key, requestHash: request.idempotency.requestHash, statusCode: CREATED, response: answer, at: now });
    }
    logger.info({ complaintId: record.id, reference: record.reference, channel: body.channel, team: answer.team }, 'assisted complaint registered');
    return { outcome: { outcome: 'created', status: CREATED, body: answer }, jobs: registered.jobs };
  }

  return {
    async record(request) {
      const now = clock.now();
      // Checked before the transaction: a bad date or file costs no connection and writes nothing.
      const receivedAt = checkReceivedAt(request.body.receivedAt, now, config.maxBackdateDays);
      checkIncidentDate(request.body.incidentDate, receivedAt, config.timeZone);
      const checked: Checked = {
        now,
        receivedAt,
        files: request.body.attachments.map((attachment, index) => ({ id: randomUUID(), ...decodeAttachment(attachment, index, config.maxAttachmentBytes) })),
      };
      const { outcome, jobs } = await database.transaction((tx) => create(tx, request, checked));
      if (jobs.length > 0) {
        // After the commit; a job lost here is recreated by the reconcilers (timers, outbound, dispatch).
        await config.enqueue(jobs).catch((error: unknown) => {
          logger.warn({ err: error }, 'assisted intake: follow-up jobs not enqueued; the reconciler will');
        });
      }
      return outcome;
    },
  };
}
