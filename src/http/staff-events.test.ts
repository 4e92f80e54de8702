/**
 * The staff console's live queue (`GET /v1/staff/events`) over real HTTP: with Redis, a complaint registered by the
 * worker of one process, and a claim in another, arrive as `queue` events on the streams of an HTTP-only process —
 * only on the streams of staff who see the complaint; the number of streams per process is bounded and a closed
 * stream frees its place. In one process (in-process broadcast): the `: ping` heartbeat, the stream's end, and
 * refused requests.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { QueueEvent } from '../contracts/index.js';
import { createQueueEvents, parseQueueHint } from '../handling/index.js';
import { createInProcessBroadcast } from '../queue/index.js';
import { systemClock } from '../shared/clock.js';
import { createLogger } from '../shared/logger.js';
import { deleteRedisPrefix, startHarness, TEST_REDIS_URL, type Harness } from '../../test/support/ombuds-harness.js';
import { createAuthenticator } from './authentication.js';
import { createErrorHandler } from './errors.js';
import { staffEventRoutes } from './staff-events.js';

/** One open event stream, read block by block (`event: …\ndata: …` or a `: comment`). */
interface Stream {
  status: number;
  /** The next block that satisfies `wanted`; earlier blocks are returned in `skipped`. */
  next(wanted: (block: string) => boolean): Promise<{ block: string; skipped: string[] }>;
  /** Resolves when the server ended the stream. */
  ended(): Promise<void>;
  close(): void;
}

async function openStream(url: string, key: string | null): Promise<Stream> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: key ? { Authorization: `Bearer ${key}` } : {}, signal: controller.signal });
  const reader = response.body?.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let done = false;
  const readBlock = async (): Promise<string | null> => {
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        return block;
      }
      if (done || !reader) return null;
      const chunk = await reader.read();
      if (chunk.done) done = true;
      else buffer += decoder.decode(chunk.value, { stream: true });
    }
  };
  return {
    status: response.status,
    async next(wanted) {
      const skipped: string[] = [];
      for (;;) {
        const block = await readBlock();
        if (block === null) throw new Error(`stream ended before the wanted block; saw ${JSON.stringify(skipped)}`);
        if (wanted(block)) return { block, skipped };
        skipped.push(block);
      }
    },
    async ended() {
      while ((await readBlock()) !== null);
    },
    close() {
      controller.abort();
    },
  };
}

const isQueueEvent = (block: string) => block.startsWith('event: queue\n');
function eventOf(block: string): QueueEvent {
  return QueueEvent.parse(JSON.parse(block.slice(block.indexOf('data: ') + 6)));
}

describe('queue events across processes (Redis broadcast)', () => {
  const prefix = `test-staff-events-${String(process.pid)}-${String(Date.now())}`;
  let worker: Harness;
  let web: Harness;
  let baseUrl: string;
  let supervisor: { id: string; key: string };
  let accountsAgent: { id: string; key: string };

  beforeAll(async () => {
    // `work` + intake (the worker registers), and an HTTP-only `serve` holding the streams: one database, one Redis prefix.
    worker = await startHarness('production', { env: { QUEUE_PREFIX: prefix } });
    web = await startHarness('production', { databaseUrl: worker.ombuds.env.DATABASE_URL ?? '', workers: false, env: { QUEUE_PREFIX: prefix, STAFF_EVENTS_MAX_STREAMS: '3' } });
    baseUrl = await web.ombuds.listen(0, '127.0.0.1');
    supervisor = await worker.addStaff('events-supervisor', 'supervisor', []);
    accountsAgent = await worker.addStaff('events-accounts', 'agent', ['accounts']);
  });
  afterAll(async () => {
    await web.close();
    await worker.close();
    await deleteRedisPrefix(TEST_REDIS_URL, prefix);
  });

  async function complain(clientMessageId: string, product: string, text: string): Promise<string> {
    const response = await request(worker.ombuds.app)
      .post('/v1/messages')
      .set('Authorization', `Bearer ${worker.appKey}`)
      .send({ clientMessageId, sender: { id: clientMessageId }, fields: { product }, text });
    expect(response.status).toBe(202);
    return response.body.complaintReference as string;
  }

  it('forwards registrations and claims to the streams of staff who see the complaint, and only to them', async () => {
    const all = await openStream(`${baseUrl}/v1/staff/events`, supervisor.key);
    const accounts = await openStream(`${baseUrl}/v1/staff/events`, accountsAgent.key);
    // Closed however the test ends: a stream left open would hold a place the next test counts on.
    onTestFinished(() => {
      all.close();
      accounts.close();
    });
    expect([all.status, accounts.status]).toEqual([200, 200]);
    // Both listen once Redis confirmed the subscription.
    await all.next((block) => block === ': ready');
    await accounts.next((block) => block === ': ready');

    const cards = await complain('events-cards', 'cards', 'My credit card was charged twice for the same hotel booking.');
    const registered = eventOf((await all.next(isQueueEvent)).block);
    expect(registered).toMatchObject({ reference: cards, team: 'cards', reason: 'registered' });

    const savings = await complain('events-accounts', 'deposit_accounts', 'A fee of 20 pounds was taken from my savings account without notice.');
    // Pub/sub keeps the order of one publisher: the accounts agent's first event is their team's complaint, so the
    // cards complaint published before it was not sent to them.
    const first = await accounts.next(isQueueEvent);
    expect(eventOf(first.block)).toMatchObject({ reference: savings, team: 'accounts', reason: 'registered' });
    expect(first.skipped.some(isQueueEvent)).toBe(false);
    expect(eventOf((await all.next(isQueueEvent)).block)).toMatchObject({ reference: savings, reason: 'registered' });

    // A claim in the HTTP process: published there, after the commit. Claiming skips rows another transaction holds
    // (FOR UPDATE SKIP LOCKED), and the worker may still hold the new complaint for a moment (its acknowledgement,
    // notifications): until it lets go, the queue answers 204, so ask again.
    let claimed = await request(web.ombuds.app).post('/v1/staff/queue/claim').set('Authorization', `Bearer ${accountsAgent.key}`).send({});
    for (let attempt = 0; attempt < 100 && claimed.status === 204; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      claimed = await request(web.ombuds.app).post('/v1/staff/queue/claim').set('Authorization', `Bearer ${accountsAgent.key}`).send({});
    }
    expect(claimed.status, JSON.stringify(claimed.body)).toBe(200);
    expect(claimed.body.complaint.reference).toBe(savings);
    expect(eventOf((await accounts.next(isQueueEvent)).block)).toMatchObject({ reference: savings, reason: 'claimed' });
    expect(eventOf((await all.next(isQueueEvent)).block)).toMatchObject({ reference: savings, reason: 'claimed' });
    // An action in the HTTP process, on the agent's own ticket.
    const noted = await request(web.ombuds.app).post(`/v1/complaints/${savings}/actions`).set('Authorization', `Bearer ${accountsAgent.key}`).send({ type: 'add_note', text: 'Called the branch.' });
    expect(noted.status).toBe(200);
    expect(eventOf((await accounts.next(isQueueEvent)).block)).toMatchObject({ reference: savings, reason: 'updated' });
    all.close();
    accounts.close();
  });

  it("forwards a complaint recorded by staff on the customer's behalf (assisted intake, registered in the HTTP process)", async () => {
    const all = await openStream(`${baseUrl}/v1/staff/events`, supervisor.key);
    onTestFinished(() => {
      all.close();
    });
    await all.next((block) => block === ': ready');
    const created = await request(web.ombuds.app)
      .post('/v1/complaints')
      .set('Authorization', `Bearer ${supervisor.key}`)
      .send({
        channel: 'branch',
        receivedAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
        customer: { name: 'Walk-in Customer', phone: '+44 7700 900123' },
        consent: { contact: true, dataProcessing: true },
        text: 'The branch charged me a 25 pound fee to close my savings account, which I was told was free.',
        product: 'deposit_accounts',
      });
    expect(created.status).toBe(201);
    const event = eventOf((await all.next((block) => isQueueEvent(block) && block.includes(created.body.reference as string))).block);
    expect(event).toMatchObject({ complaintId: created.body.id, reference: created.body.reference, team: created.body.team, reason: 'registered' });
    all.close();
  });

  it('holds at most STAFF_EVENTS_MAX_STREAMS streams, and frees the place of one the client closed', async () => {
    const streams = [];
    for (let index = 0; index < 3; index += 1) {
      const stream = await openStream(`${baseUrl}/v1/staff/events`, supervisor.key);
      await stream.next((block) => block === ': ready');
      streams.push(stream);
    }
    const refused = await request(baseUrl).get('/v1/staff/events').set('Authorization', `Bearer ${supervisor.key}`);
    expect([refused.status, refused.body.error.code]).toEqual([503, 'TOO_MANY_STREAMS']);
    expect(refused.headers['retry-after']).toBeDefined();
    streams[0]?.close();
    // The server notices the closed connection and frees its place.
    let again: Stream | null = null;
    for (let attempt = 0; attempt < 200 && again === null; attempt += 1) {
      const candidate = await openStream(`${baseUrl}/v1/staff/events`, supervisor.key);
      if (candidate.status === 200) again = candidate;
      else await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(again?.status).toBe(200);
    again?.close();
    for (const stream of streams) stream.close();
  });
});

describe('one event stream (in-process broadcast)', () => {
  let harness: Harness;
  let server: Server;
  let baseUrl: string;
  const broadcast = createInProcessBroadcast();
  const events = createQueueEvents({ publish: (topic, message) => broadcast.publish(topic, message) });
  let cardsAgent: { id: string; key: string };

  beforeAll(async () => {
    harness = await startHarness('embedded', { workers: false });
    cardsAgent = await harness.addStaff('stream-cards', 'agent', ['cards']);
    const logger = createLogger({ level: 'silent' });
    const app = express();
    app.use(
      staffEventRoutes({
        authenticator: createAuthenticator({ database: harness.ombuds.database, cacheTtlMs: 0, clock: systemClock }),
        events: { broadcast, maxStreams: 5, heartbeatMs: 20, maxStreamMs: 400 },
        logger,
      }),
    );
    app.use(createErrorHandler({ logger, bodyLimitBytes: 1024 }));
    server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => {
      server.once('listening', () => {
        resolve();
      });
    });
    baseUrl = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
    });
    await broadcast.close();
    await harness.close();
  });

  it('pings, forwards what the agent sees (their team, their own ticket elsewhere), and ends at its time', async () => {
    const stream = await openStream(`${baseUrl}/v1/staff/events`, cardsAgent.key);
    expect(stream.status).toBe(200);
    await stream.next((block) => block === ': ping');
    const hint = { reference: 'CMP-2026-000001', reason: 'updated' as const, at: new Date() };
    events.publish({ ...hint, complaintId: '00000000-0000-4000-8000-000000000001', team: 'lending', assignee: null });
    events.publish({ ...hint, complaintId: '00000000-0000-4000-8000-000000000002', team: 'lending', assignee: cardsAgent.id });
    events.publish({ ...hint, complaintId: '00000000-0000-4000-8000-000000000003', team: 'cards', assignee: null });
    const own = await stream.next(isQueueEvent);
    expect(eventOf(own.block).complaintId).toBe('00000000-0000-4000-8000-000000000002');
    expect(own.skipped.some(isQueueEvent)).toBe(false);
    expect(eventOf((await stream.next(isQueueEvent)).block).complaintId).toBe('00000000-0000-4000-8000-000000000003');
    // The data is the console's event: no assignee.
    expect(Object.keys(JSON.parse(own.block.slice(own.block.indexOf('data: ') + 6)) as object).sort()).toEqual(['at', 'complaintId', 'reason', 'reference', 'team']);
    await stream.ended();
  });

  it('refuses unauthenticated requests, bad queries and other teams', async () => {
    const refusal = async (path: string, key: string | null) => {
      const call = request(baseUrl).get(path);
      const response = await (key ? call.set('Authorization', `Bearer ${key}`) : call);
      return [response.status, response.body.error?.code as string];
    };
    expect(await refusal('/v1/staff/events', null)).toEqual([401, 'UNAUTHENTICATED']);
    expect(await refusal('/v1/staff/events?team=Not%20A%20Team', cardsAgent.key)).toEqual([400, 'PAYLOAD_INVALID']);
    expect(await refusal('/v1/staff/events?scope=all', cardsAgent.key)).toEqual([400, 'PAYLOAD_INVALID']);
    expect(await refusal('/v1/staff/events?team=lending', cardsAgent.key)).toEqual([403, 'FORBIDDEN']);
  });

  it('reads only well-formed hints off the topic', () => {
    expect(parseQueueHint('not json')).toBeNull();
    expect(parseQueueHint(JSON.stringify({ complaintId: 'x', reason: 'registered' }))).toBeNull();
    const hint = { complaintId: '00000000-0000-4000-8000-000000000009', reference: 'CMP-2026-000009', team: null, assignee: null, reason: 'breached', at: new Date().toISOString() };
    expect(parseQueueHint(JSON.stringify(hint))).toEqual(hint);
  });
});
