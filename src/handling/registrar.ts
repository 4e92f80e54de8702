/**
 * Registration: the step between intake and the staff. Given a classified record, it routes the complaint to a
 * team, opens the deployment regime's clocks, moves it to `registered`, places it in the human work queue and
 * records all of it in the audit trail — inside the caller's transaction, so intake and registration commit
 * together or not at all.
 */
import type { ComplaintRecord, Regime } from '../contracts/index.js';
import type { Clock } from '../shared/clock.js';
import { appendEvents, saveRegisteredComplaint, type AuditEventInput, type ChainHead, type Queryable } from '../store/index.js';
import { computeDeadlines } from './deadlines.js';
import { routeToTeam, type RoutingConfig } from './routing.js';

export interface RegistrarConfig extends RoutingConfig {
  regime: Regime;
  timeZone: string;
  clock: Clock;
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
}

export interface Registrar {
  register(tx: Queryable, input: RegistrationInput): Promise<ComplaintRecord>;
}

export function createRegistrar(config: RegistrarConfig): Registrar {
  return {
    async register(tx, input) {
      const now = config.clock.now();
      const receivedAt = new Date(input.record.receivedAt);
      const team = routeToTeam(input.record.product, config);
      const clocks = computeDeadlines(config.regime, receivedAt, config.timeZone);
      const earliest = clocks.reduce<Date | null>((soonest, clock) => (soonest && soonest <= clock.dueAt ? soonest : clock.dueAt), null);
      const record: ComplaintRecord = {
        ...input.record,
        team,
        regime: config.regime,
        stage: 'registered',
        deadlines: clocks.map((clock) => ({ regime: clock.regime, clock: clock.clock, dueAt: clock.dueAt.toISOString(), status: 'open' })),
      };
      await saveRegisteredComplaint(
        tx,
        record,
        { customerId: input.customerId, conversationId: input.conversationId },
        { dueAt: earliest, at: now, deadlines: clocks },
      );
      await appendEvents(tx, [
        ...(input.precedingEvents ?? []),
        {
          complaintId: record.id,
          type: 'routed',
          actor: input.actor,
          data: { team, product: record.product, urgency: record.urgency.level },
          at: now,
        },
        {
          complaintId: record.id,
          type: 'registered',
          actor: input.actor,
          data: { regime: config.regime, deadlines: record.deadlines, dueAt: earliest?.toISOString() ?? null },
          at: now,
        },
      ], input.chainHead ? new Map([[record.id, input.chainHead]]) : undefined);
      return record;
    },
  };
}
