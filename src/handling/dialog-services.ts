/**
 * What the intake dialog asks of the handling side (the intake folder's `DialogServices` port, wired in the
 * composition root): its replies go out as outbound rows of the complaint's conversation, like every other
 * customer-facing message; a hand-off and a customer writing again after registration become staff notifications
 * for whoever owns the complaint (its assignee, else its team, else the supervisors), and a critical hand-off also
 * reaches the supervisors.
 */
import type { Language, QuickReply } from '../contracts/index.js';
import type { FollowUpJob } from '../queue/index.js';
import { lockComplaintForAction, type Queryable } from '../store/index.js';
import type { EventDispatcher, OutboundQueue } from './ports.js';

const ACTOR = 'system:dialog';

export interface DialogServicesConfig {
  outbound: OutboundQueue;
  dispatcher: EventDispatcher;
}

export function createDialogServices(config: DialogServicesConfig) {
  async function owner(tx: Queryable, complaintId: string) {
    const complaint = await lockComplaintForAction(tx, complaintId, { lock: false });
    const audience = complaint?.assignee ? `staff:${complaint.assignee}` : complaint?.team ? `team:${complaint.team}` : 'supervisors';
    return { complaint, audience };
  }

  return {
    async reply(tx: Queryable, request: { complaintId: string; text: string; quickReplies: QuickReply[]; language: Language; at: Date }): Promise<FollowUpJob[]> {
      const queued = await config.outbound.queueMessage(tx, { ...request, purpose: 'dialog', actor: ACTOR });
      return queued.jobs;
    },

    async handOff(tx: Queryable, request: { complaintId: string; reason: 'customer_asked' | 'critical' | 'self_harm'; at: Date }): Promise<void> {
      const { complaint, audience } = await owner(tx, request.complaintId);
      const data = { reason: request.reason, reference: complaint?.reference ?? null, urgency: complaint?.urgency ?? null, team: complaint?.team ?? null };
      await config.dispatcher.notify(tx, { kind: 'dialog.handoff', complaintId: request.complaintId, audience, data, at: request.at });
      if (request.reason !== 'customer_asked' && audience !== 'supervisors') {
        await config.dispatcher.notify(tx, { kind: 'dialog.handoff', complaintId: request.complaintId, audience: 'supervisors', data, at: request.at });
      }
    },

    async customerWrote(tx: Queryable, request: { complaintId: string; messageId: string; at: Date }): Promise<void> {
      const { complaint, audience } = await owner(tx, request.complaintId);
      await config.dispatcher.notify(tx, {
        kind: 'complaint.customer_message',
        complaintId: request.complaintId,
        audience,
        data: { messageId: request.messageId, reference: complaint?.reference ?? null, stage: complaint?.stage ?? null },
        at: request.at,
      });
    },
  };
}
