/**
 * Registration: the step between intake and the staff. Given a classified record, it routes the complaint to a
 * team, opens every clock of the deployment's regime that applies to it (regimes.ts, on the regime's business-day
 * calendar), moves it to `registered` with the earliest clock as its due date, places it in the human work queue,
 * acknowledges it to the customer on their channel (reference and due date), tells the team and the downstream
 * helpdesk, and records all of it in the audit trail — inside the caller's transaction, so intake and
 * registration commit together or not at all. The timers and deliveries it decides on are returned as jobs for
 * the caller to enqueue after the commit.
 */
import { randomUUID } from 'node:crypto';
import type { ComplaintRecord, Regime } from '../contracts/index.js';
import type { Clock } from '../shared/clock.js';
import type { FollowUpJob } from '../queue/index.js';
import { appendEvents, saveRegisteredComplaint, type AuditEventInput, type ChainHead, type DeadlineInput, type Queryable } from '../store/index.js';
import { computeClocks, earliestDue } from './deadlines.js';
import type { EventDispatcher, MessageTemplates, OutboundQueue } from './ports.js';
import { routeToTeam, type RoutingConfig } from './routing.js';
import { stageDueAt } from './stages.js';
import { civilDateOf } from './zoned-time.js';

export interface RegistrarConfig extends RoutingConfig {
  regime: Regime;
  timeZone: string;
  /** Overrides the regime's holiday calendar (HOLIDAY_CALENDAR). */
  calendar?: string;
  clock: Clock;
  outbound: OutboundQueue;
  dispatcher: EventDispatcher;
  templates: MessageTemplates;
  /**
   * Whether Ombuds can write to the customer on a channel (it has a sender for it). A complaint taken on a channel
   * it cannot answer on (a transcribed hotline call) is not acknowledged automatically: its acknowledgement clocks
   * stay open and the team is told to acknowledge it another way. Default: every channel can.
   */
  canReply?: (channel: string) => boolean;
  timerJobs: (deadlines: readonly { complaintId: string; deadlineId: string; startsAt: Date; dueAt: Date; status: string }[], now: Date) => FollowUpJob[];
}

export interface RegistrationInput {
  record: ComplaintRecord;
  customerId: string;
  conversationId: string;
  /** Who registered it, for the audit trail. */
  actor: string;
  /** The caller's own events (classification, say), recorded before registration's in the same append. */
  precedingEvents?: AuditEventInput[];
  /** The complaint's chain head, when the caller read it under the row lock it holds. */
  chainHead?: ChainHead;
  /** A line of the caller's in the acknowledgement (the intake dialog: how to ask for the status here). */
  acknowledgementBody?: string;
  /** When it happens (default now): the intake dialog orders a turn's messages by their times. */
  at?: Date;
}

export interface Registrar {
  register(tx: Queryable, input: RegistrationInput): Promise<{ record: ComplaintRecord; jobs: FollowUpJob[] }>;
}

function isoDate(at: Date, timeZone: string): string {
  const date = civilDateOf(at, timeZone);
  return `${String(date.year)}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

export function createRegistrar(config: RegistrarConfig): Registrar {
  return {
    async register(tx, input) {
      const now = input.at ?? config.clock.now();
      const receivedAt = new Date(input.record.receivedAt);
      const team = routeToTeam(input.record.product, config);
      const computed = computeClocks({
        regime: config.regime,
        receivedAt,
        timeZone: config.timeZone,
        flags: input.record.flags,
        product: input.record.product,
        ...(config.calendar ? { calendar: config.calendar } : {}),
      });
      // The acknowledgement below meets every acknowledgement clock at once (when there is a channel to send it on).
      const canAcknowledge = config.canReply?.(input.record.channels[0] ?? '') ?? true;
      const deadlines: DeadlineInput[] = computed.map((clock) => ({
        id: randomUUID(),
        regime: clock.regime,
        clock: clock.clock,
        startsAt: clock.startsAt,
        dueAt: clock.dueAt,
        rule: { ...clock.rule, calendar: clock.calendar },
        status: clock.rule.metBy === 'acknowledgement' && canAcknowledge ? 'met' : 'open',
      }));
      const earliest = earliestDue(computed.map((clock, index) => ({ dueAt: clock.dueAt, optional: clock.optional, status: deadlines[index]?.status ?? 'open' })));
      const record: ComplaintRecord = {
        ...input.record,
        team,
        regime: config.regime,
        stage: 'registered',
        deadlines: deadlines.map((deadline) => ({ regime: config.regime, clock: deadline.clock, dueAt: deadline.dueAt.toISOString(), status: deadline.status })),
      };
      await saveRegisteredComplaint(
        tx,
        record,
        { customerId: input.customerId, conversationId: input.conversationId },
        { dueAt: earliest, stageDueAt: stageDueAt('registered', now, earliest), at: now, deadlines },
      );

      const jobs: FollowUpJob[] = [];
      const language = record.customer.language;
      let acknowledgementEvent: AuditEventInput;
      if (canAcknowledge) {
        const rendered = config.templates.render('acknowledgement', language, {
          reference: record.reference,
          regime: config.regime,
          ...(earliest ? { dueDate: isoDate(earliest, config.timeZone) } : {}),
          ...(input.acknowledgementBody ? { body: input.acknowledgementBody } : {}),
        });
        const acknowledgement = await config.outbound.queueMessage(tx, {
          complaintId: record.id,
          purpose: 'acknowledgement',
          text: rendered.text,
          quickReplies: rendered.quickReplies,
          language,
          actor: input.actor,
          at: now,
        });
        jobs.push(...acknowledgement.jobs);
        acknowledgementEvent = { complaintId: record.id, type: 'acknowledgement.sent', actor: input.actor, data: { messageId: acknowledgement.messageId, dueAt: earliest?.toISOString() ?? null }, at: now };
      } else {
        acknowledgementEvent = { complaintId: record.id, type: 'acknowledgement.pending', actor: input.actor, data: { channel: record.channels[0] ?? null, reason: 'no channel to send it on' }, at: now };
      }
      jobs.push(
        ...config.timerJobs(
          deadlines.filter((deadline) => deadline.status === 'open').map((deadline) => ({ complaintId: record.id, deadlineId: deadline.id, startsAt: deadline.startsAt, dueAt: deadline.dueAt, status: 'open' })),
          now,
        ),
      );

      await appendEvents(
        tx,
        [
          ...(input.precedingEvents ?? []),
          { complaintId: record.id, type: 'routed', actor: input.actor, data: { team, product: record.product, urgency: record.urgency.level }, at: now },
          {
            complaintId: record.id,
            type: 'registered',
            actor: input.actor,
            data: { regime: config.regime, deadlines: record.deadlines, dueAt: earliest?.toISOString() ?? null },
            at: now,
          },
          acknowledgementEvent,
        ],
        input.chainHead ? new Map([[record.id, input.chainHead]]) : undefined,
      );
      const data = { reference: record.reference, team, urgency: record.urgency.level, product: record.product, issue: record.issue, channel: record.channels[0], dueAt: earliest?.toISOString() ?? null };
      await config.dispatcher.notify(tx, { kind: 'complaint.registered', complaintId: record.id, audience: `team:${team}`, data, at: now });
      if (!canAcknowledge) {
        await config.dispatcher.notify(tx, { kind: 'acknowledgement.needed', complaintId: record.id, audience: `team:${team}`, data, at: now });
      }
      if (record.urgency.level === 'critical') {
        await config.dispatcher.notify(tx, { kind: 'complaint.critical', complaintId: record.id, audience: 'supervisors', data, at: now });
      }
      jobs.push(...(await config.dispatcher.emit(tx, { type: 'complaint.registered', complaintId: record.id, at: now, data: { ...data, stage: 'registered' } })));
      return { record, jobs };
    },
  };
}
