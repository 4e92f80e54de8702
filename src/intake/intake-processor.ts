/**
 * The intake worker's job: turn one stored inbound message into a classified, registered complaint in the human
 * work queue. Everything happens in one transaction that first locks the message, so a re-run (a worker killed
 * mid-job, a job enqueued twice by the reconciler) either finds the message processed or does the whole job
 * again from scratch: no duplicate record, no half-written one. Messages of chat channels take a turn of the intake
 * dialog instead (dialog-runner.ts), in the same transaction.
 */
import { HOTLINE_CHANNEL } from '../contracts/index.js';
import type { Classifier } from '../classifier/index.js';
import type { Clock } from '../shared/clock.js';
import { isOmbudsError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { PermanentJobFailure, type FollowUpJob, type Processor } from '../queue/index.js';
import {
  appendEvents,
  findInboundRaw,
  lockInboundForProcessing,
  markInboundFailed,
  markInboundProcessed,
  resolveCustomerContext,
  type AuditEventInput,
  type Database,
  type Queryable,
} from '../store/index.js';
import type { CallAttachment } from './call-attachment.js';
import { callRecordedEvent, readCallRecord } from './call-record.js';
import type { DialogRunner } from './dialog-runner.js';
import type { ComplaintRegistrar, FollowUpClaimer } from './ports.js';
import type { IntakeObserver } from './intake-observer.js';
import { buildRecord, productHintOf } from './record-builder.js';

export interface IntakeProcessorConfig {
  database: Database;
  classifier: Classifier;
  registrar: ComplaintRegistrar;
  followUps?: FollowUpClaimer;
  /** The intake dialog, for the channels it handles (their messages are not registered one by one). */
  dialog?: DialogRunner;
  /** Hotline calls: attached to the complaint they continue, else registered with what the agent confirmed. */
  calls?: { attachment: CallAttachment; /** The bank's time zone: "yesterday" on a call is read there. */ timeZone: string };
  /** Enqueues the jobs a committed transaction decided on; a failure is left to the reconcilers. */
  enqueue?: (jobs: readonly FollowUpJob[]) => Promise<void>;
  observer: IntakeObserver;
  clock: Clock;
  logger: Logger;
}

const ACTOR = 'system:intake';

/** Whether a channel's sender id is this phone number (`+8613800138000` and WhatsApp's `8613800138000`). */
function sameNumber(phone: string, senderId: string): boolean {
  const digits = (value: string) => value.replace(/\D/g, '');
  return /^\+?[\d\s()-]{7,20}$/.test(senderId) && digits(phone).length >= 7 && digits(phone) === digits(senderId);
}

export function createIntakeProcessor(config: IntakeProcessorConfig): Processor<'intake'> {
  const { database, classifier, registrar, observer, clock, logger } = config;

  async function processMessage(tx: Queryable, messageId: string): Promise<{ channel: string; receivedAt: Date; jobs: FollowUpJob[] } | null> {
    const locked = await lockInboundForProcessing(tx, messageId);
    if (!locked) throw new PermanentJobFailure(`inbound message ${messageId} does not exist`);
    const { message, reference, chainHead } = locked;
    if (message.status !== 'pending') return null;

    const phone = message.sender.phone ? { channel: 'phone', address: message.sender.phone.replace(/[\s()-]/g, '') } : null;
    const { customerId, conversationId, hasOpenComplaint: repeat } = await resolveCustomerContext(tx, {
      channel: message.channel,
      address: message.sender.id,
      displayName: message.sender.displayName ?? null,
      conversationKey: message.conversationKey,
      complaintId: message.complaintId,
      otherIdentities: [...(phone ? [phone] : []), ...(message.sender.email ? [{ channel: 'email', address: message.sender.email.toLowerCase() }] : [])],
      identifierHashes: message.identifierHashes,
      // The same phone number on SMS and WhatsApp is one customer: only where the sender id is the number itself.
      ...(phone && sameNumber(phone.address, message.sender.id) ? { linkVia: [phone] } : {}),
    });

    if (config.followUps) {
      const at = clock.now();
      const claimed = await config.followUps.claim(tx, { messageId: message.id, shellComplaintId: message.complaintId, conversationId, text: message.text, at });
      if (claimed) {
        await appendEvents(
          tx,
          [{ complaintId: message.complaintId, type: 'merged', actor: ACTOR, data: { into: claimed.complaintId, messageId: message.id }, at }],
          new Map([[message.complaintId, chainHead]]),
        );
        await markInboundProcessed(tx, message.id, at);
        logger.info({ messageId: message.id, complaintId: claimed.complaintId }, 'follow-up message joined its complaint');
        return { channel: message.channel, receivedAt: message.receivedAt, jobs: claimed.jobs };
      }
    }

    // A call: one record (no dialog), or a continuation of the customer's complaint it names or that is open.
    const call = config.calls && message.channel === HOTLINE_CHANNEL ? readCallRecord(message, await findInboundRaw(tx, message.id), config.calls.timeZone) : null;
    if (call && config.calls) {
      const at = clock.now();
      const attached = await config.calls.attachment.attach(tx, { call, customerId, shell: { complaintId: message.complaintId, chainHead }, at });
      if (attached) {
        await markInboundProcessed(tx, message.id, at);
        logger.info({ messageId: message.id, complaintId: attached.complaintId, reference: attached.reference, via: attached.via }, 'call attached to its complaint');
        return { channel: message.channel, receivedAt: message.receivedAt, jobs: [] };
      }
    }

    if (config.dialog?.handles(message.channel)) {
      const jobs = await config.dialog.turn(tx, { message, shell: { reference, chainHead }, customerId, conversationId, repeat });
      await markInboundProcessed(tx, message.id, clock.now());
      return { channel: message.channel, receivedAt: message.receivedAt, jobs };
    }

    const source = call?.message ?? message;
    const productHint = productHintOf(source);
    const classification = await classifier.classify({
      text: message.text,
      ...(message.locale ? { locale: message.locale } : {}),
      ...(productHint ? { productHint } : {}),
      customerHasOpenComplaint: repeat,
    });
    const record = buildRecord({ complaintId: message.complaintId, reference, message: source, customerId, classification });
    const classified: AuditEventInput = {
        complaintId: record.id,
        type: 'classified',
        actor: ACTOR,
        data: {
          messageId: message.id,
          language: classification.language,
          kind: classification.kind,
          product: classification.product,
          issue: classification.issue,
          urgency: classification.urgency,
          flags: classification.flags,
          needsReview: classification.needsReview,
        },
        at: clock.now(),
    };
    const precedingEvents = call ? [classified, callRecordedEvent(record.id, message.id, call, ACTOR, classified.at)] : [classified];
    const { record: registered, jobs } = await registrar.register(tx, { record, customerId, conversationId, actor: ACTOR, precedingEvents, chainHead });
    await markInboundProcessed(tx, message.id, clock.now());
    logger.info(
      { messageId: message.id, complaintId: registered.id, reference: registered.reference, urgency: registered.urgency.level, team: registered.team },
      'complaint registered',
    );
    return { channel: message.channel, receivedAt: message.receivedAt, jobs };
  }

  return async (payload, context) => {
    try {
      const done = await database.transaction((tx) => processMessage(tx, payload.messageId));
      if (done) {
        observer.processed(done.channel, (clock.now().getTime() - done.receivedAt.getTime()) / 1000);
        // After the commit; a job lost here is recreated by the reconcilers (timers, outbound, dispatch).
        if (done.jobs.length > 0 && config.enqueue) {
          await config.enqueue(done.jobs).catch((error: unknown) => {
            logger.warn({ err: error, messageId: payload.messageId }, 'follow-up jobs not enqueued; the reconciler will');
          });
        }
      }
    } catch (error) {
      const permanent = error instanceof PermanentJobFailure;
      if (permanent || context.attempt >= context.maxAttempts) {
        const code = isOmbudsError(error) ? error.code : permanent ? 'PERMANENT_FAILURE' : 'PROCESSING_FAILED';
        await markInboundFailed(database, payload.messageId, code, context.attempt).catch(() => undefined);
        observer.failed('unknown');
        logger.error({ err: error, messageId: payload.messageId, attempt: context.attempt }, 'intake gave up on a message');
      } else {
        logger.warn({ err: error, messageId: payload.messageId, attempt: context.attempt }, 'intake attempt failed; will retry');
      }
      throw error;
    }
  };
}
