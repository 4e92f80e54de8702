/**
 * Assignment from the human work queue: listing it and claiming the next ticket, recorded in the audit trail.
 */
import type { Clock } from '../shared/clock.js';
import { appendEvents, claimNextWorkItem, listWorkQueue, type Database, type WorkItem } from '../store/index.js';
import type { QueueEvents } from './queue-events.js';

export interface Assignment {
  /** `teams` null = every team. */
  list(options: { teams: string[] | null; limit: number }): Promise<WorkItem[]>;
  /** Claims the next ticket for `staffId`; null when there is none. Never hands one ticket to two agents. */
  claimNext(options: { staffId: string; teams: string[] | null }): Promise<WorkItem | null>;
}

export function createAssignment(config: { database: Database; clock: Clock; queueEvents?: QueueEvents }): Assignment {
  return {
    list: (options) => listWorkQueue(config.database, options),
    claimNext: async (options) => {
      const claimed = await config.database.transaction(async (tx) => {
        const at = config.clock.now();
        const item = await claimNextWorkItem(tx, { staffId: options.staffId, teams: options.teams, at });
        if (item) {
          await appendEvents(tx, [
            { complaintId: item.id, type: 'claimed', actor: `staff:${options.staffId}`, data: { assignee: options.staffId, team: item.team }, at },
          ]);
        }
        return item;
      });
      // After the commit: the ticket left the team's queue.
      if (claimed) config.queueEvents?.publish({ complaintId: claimed.id, reference: claimed.reference, team: claimed.team, assignee: options.staffId, reason: 'claimed', at: config.clock.now() });
      return claimed;
    },
  };
}
