/**
 * `GET /v1/staff/events` (decision 0014): the staff console's live queue as Server-Sent Events. Each stream
 * listens on the broadcast port's `staff-queue` topic (Redis pub/sub between `serve` and `work`, in-process
 * otherwise) and forwards, as `queue` events, the hints about complaints its staff member sees — an agent's teams
 * and own tickets; a supervisor's or admin's every team (or the one asked for). Hints are at most once: the console
 * re-reads the queue on each event, on reconnection and on a slow poll of its own. A `: ping` comment every 25 s
 * keeps proxies from closing an idle stream; a stream ends after `maxStreamMs` (the browser reconnects, and its
 * credentials are checked again); a process holds at most `maxStreams` streams (more answer 503).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Router } from 'express';
import { z } from 'zod';
import { TeamName, type QueueEvent, type StaffMember } from '../contracts/index.js';
import { parseQueueHint, STAFF_QUEUE_TOPIC, type QueueHint } from '../handling/index.js';
import type { Broadcast, BroadcastSubscription } from '../queue/index.js';
import { OmbudsError, PayloadInvalid } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { Authenticator } from './authentication.js';
import { openEventStream } from './event-stream.js';
import { teamsVisibleTo } from './authentication.js';
import { zodDetails } from './staff-routes.js';

export interface StaffEventsOptions {
  broadcast: Broadcast;
  /** Open streams this process holds at most (STAFF_EVENTS_MAX_STREAMS). */
  maxStreams: number;
  /** Between `: ping` comments; default 25 s. */
  heartbeatMs?: number;
  /** How long one stream lasts before the server ends it (the browser reconnects); default 30 min. */
  maxStreamMs?: number;
}

/** This process already holds STAFF_EVENTS_MAX_STREAMS streams. */
export class TooManyStreams extends OmbudsError {
  constructor(limit: number) {
    super('TOO_MANY_STREAMS', `This server already holds ${String(limit)} event streams; try again shortly.`, { httpStatus: 503, retryable: true });
  }
}

export const StaffEventsQuery = z.strictObject({ team: TeamName.optional() });

const DEFAULT_HEARTBEAT_MS = 25_000;
const DEFAULT_MAX_STREAM_MS = 30 * 60_000;
/** The browser's reconnection delay after the stream ends (the SSE `retry` field). */
const RETRY_MS = 3_000;

/** Whether a staff member who sees `teams` (null: every team) sees the complaint of this hint. */
export function hintVisible(hint: QueueHint, staffId: string, teams: string[] | null): boolean {
  if (hint.assignee === staffId) return true;
  if (teams === null) return true;
  return hint.team !== null && teams.includes(hint.team);
}

function toEvent(hint: QueueHint): QueueEvent {
  return { complaintId: hint.complaintId, reference: hint.reference, team: hint.team, reason: hint.reason, at: hint.at };
}

/** Streams until the client leaves, the stream's time is up or the server closes the connection. */
async function runStream(request: IncomingMessage, response: ServerResponse, config: { staff: StaffMember; teams: string[] | null; broadcast: Broadcast; heartbeatMs: number; maxStreamMs: number }): Promise<void> {
  let subscription: BroadcastSubscription | null = null;
  const stream = openEventStream(request, response, { retryMs: RETRY_MS, onClose: () => subscription?.close() });
  const listening = config.broadcast.subscribe(STAFF_QUEUE_TOPIC, (message) => {
    const hint = parseQueueHint(message);
    if (hint && hintVisible(hint, config.staff.id, config.teams)) stream.write(`event: queue\ndata: ${JSON.stringify(toEvent(hint))}\n\n`);
  });
  subscription = listening;
  if (stream.isClosed()) listening.close();
  stream.every(config.heartbeatMs, () => {
    stream.write(': ping\n\n');
  });
  stream.after(config.maxStreamMs, () => {
    stream.end();
  });
  // Tells the client the stream listens (after Redis confirmed the subscription, or at once in one process).
  void listening.ready.then(() => {
    stream.write(': ready\n\n');
  });
  await stream.finished;
}

export function staffEventRoutes(deps: { authenticator: Authenticator; events: StaffEventsOptions; logger: Logger }): Router {
  const router = Router();
  const heartbeatMs = deps.events.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const maxStreamMs = deps.events.maxStreamMs ?? DEFAULT_MAX_STREAM_MS;
  let open = 0;

  router.get('/v1/staff/events', async (request, response) => {
    const staff = await deps.authenticator.staff(request);
    const parsed = StaffEventsQuery.safeParse(request.query);
    if (!parsed.success) throw new PayloadInvalid('Invalid query parameters.', zodDetails(parsed.error.issues));
    const teams = teamsVisibleTo(staff, parsed.data.team);
    if (open >= deps.events.maxStreams) {
      response.setHeader('Retry-After', String(Math.ceil(RETRY_MS / 1000) * 5));
      throw new TooManyStreams(deps.events.maxStreams);
    }
    open += 1;
    try {
      await runStream(request, response, { staff, teams, broadcast: deps.events.broadcast, heartbeatMs, maxStreamMs });
    } catch (error) {
      deps.logger.warn({ err: error }, 'staff event stream failed');
    } finally {
      open -= 1;
    }
  });
  return router;
}
