/**
 * Our web chat end to end over real HTTP (a listening Ombuds, Node's fetch), on both configurations: a session
 * sends a complaint and its event stream shows the message, a typing hint and the bot's replies, which the page's
 * receipts mark delivered; a reconnection with Last-Event-ID replays what followed it and every reply not yet
 * acknowledged; one session's token never reads or acknowledges another's conversation, and a changed, expired or
 * missing token is refused; bad frames get 4xx with their codes and store nothing; a repeated clientMessageId stores
 * nothing new. Then, on PostgreSQL + Redis, the HTTP server and the worker as separate Ombuds instances: the reply
 * reaches the stream through Redis pub/sub (the stream's poll is set to ten minutes, so nothing else could bring it).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueSessionToken } from '../../src/adapters/webchat/index.js';
import { settle } from '../support/chat-driver.js';
import { createEmptyPostgresDatabase } from '../support/databases.js';
import { readJsonFixture } from '../support/fixtures.js';
import { CONFIGURATIONS, deleteRedisPrefix, startHarness, TEST_REDIS_URL, type Harness } from '../support/ombuds-harness.js';
import { openEventStream, postFrame, say, startSession, type EventStream, type StartedSession } from '../support/webchat-client.js';

const SECRET = 'e2e-webchat-session-secret-0123456789abcdef';
const COMPLAINT = 'My card was charged twice for ¥300 at a supermarket yesterday';
const ZH_FRAME = readJsonFixture('webchat/webchat-1-zh-message.json');

/** Ids of the messages to `session`, oldest first, once Ombuds has settled. */
async function outboundIds(harness: Harness, session: StartedSession): Promise<string[]> {
  const rows = await harness.ombuds.database.query<{ id: string }>(
    `SELECT id FROM messages WHERE channel = 'webchat' AND direction = 'outbound' AND conversation_key = $1 ORDER BY received_at, id`,
    [session.sessionId],
  );
  return rows.rows.map((row) => row.id);
}

async function statusesOf(harness: Harness, ids: readonly string[]): Promise<string[]> {
  const rows = await harness.ombuds.database.query<{ status: string }>(`SELECT status FROM messages WHERE id = ANY($1::uuid[]) ORDER BY received_at, id`, [[...ids]]);
  return rows.rows.map((row) => row.status);
}

async function inboundCount(harness: Harness): Promise<number> {
  const result = await harness.ombuds.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE channel = 'webchat' AND direction = 'inbound'`);
  return result.rows[0]?.n ?? -1;
}

/** Waits until the stream has shown every one of `ids` as a message. */
async function shows(stream: EventStream, ids: readonly string[]): Promise<void> {
  for (const id of ids) await stream.waitFor(`message ${id}`, (event) => event.event === 'message' && event.data.id === id);
}

const isEcho = (clientMessageId: string) => (event: { event: string; data: Record<string, unknown> }) =>
  event.event === 'message' && event.data.author === 'customer' && event.data.clientMessageId === clientMessageId;

describe.each(CONFIGURATIONS)('web chat end to end (%s)', (configuration) => {
  let harness: Harness;
  let baseUrl: string;
  const streams: EventStream[] = [];
  const open = async (token: string | null, options: Parameters<typeof openEventStream>[2] = {}) => {
    const stream = await openEventStream(baseUrl, token, options);
    streams.push(stream);
    return stream;
  };

  beforeAll(async () => {
    harness = await startHarness(configuration, { env: { WEBCHAT_SESSION_SECRET: SECRET, RETRY_BASE_MS: '10', RETRY_MAX_MS: '200' } });
    baseUrl = await harness.ombuds.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    for (const stream of streams) stream.close();
    await harness.close();
  });

  it('shows the customer’s message, a typing hint and the bot’s replies on the stream; receipts mark them delivered', async () => {
    const session = await startSession(baseUrl);
    expect(session.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const stream = await open(session.token);
    expect(stream.status).toBe(200);

    const sent = await say(baseUrl, session, 'm-1', COMPLAINT);
    expect(sent).toEqual({ status: 202, body: { clientMessageId: 'm-1', duplicate: false } });
    await stream.waitFor('the typing hint', (event) => event.event === 'typing' && event.data.ttlMs === 15_000);
    const echo = await stream.waitFor('the customer’s own message', isEcho('m-1'));
    expect(echo.data).toMatchObject({ text: COMPLAINT, quickReplies: [] });
    const firstReply = await stream.waitFor('a reply', (event) => event.event === 'message' && event.data.author === 'bot');
    expect(String(firstReply.data.text).length).toBeGreaterThan(0);
    expect(firstReply.id).toMatch(/^\d+\.[0-9a-f-]{36}$/);

    await settle(harness);
    const replies = await outboundIds(harness, session);
    expect(replies.length).toBeGreaterThan(0);
    await shows(stream, replies);
    // Each message once on a stream, the customer's included.
    const ids = stream.messages().map((event) => event.data.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(await statusesOf(harness, replies)).toEqual(replies.map(() => 'sent'));

    const receipt = await postFrame(baseUrl, '/chat/receipts', session.token, { messageIds: replies });
    expect(receipt).toEqual({ status: 200, body: { delivered: replies } });
    expect(await statusesOf(harness, replies)).toEqual(replies.map(() => 'delivered'));
  });

  it('replays after Last-Event-ID, and every reply not yet acknowledged wherever it sits', async () => {
    const session = await startSession(baseUrl);
    const first = await open(session.token);
    await say(baseUrl, session, 'm-1', String(ZH_FRAME.text), 'zh-CN');
    await settle(harness);
    const replies = await outboundIds(harness, session);
    await shows(first, replies);
    const echo = await first.waitFor('the echo', isEcho('m-1'));
    const last = first.messages().at(-1);
    first.close();

    // After the echo: every reply, in order, and not the echo.
    const afterEcho = await open(session.token, { lastEventId: echo.id ?? '' });
    await shows(afterEcho, replies);
    expect(afterEcho.messages().map((event) => event.data.id)).toEqual(replies);
    afterEcho.close();

    // After the last reply, none acknowledged: they all come again.
    const unacknowledged = await open(session.token, { lastEventId: last?.id ?? '' });
    await shows(unacknowledged, replies);
    unacknowledged.close();

    // Acknowledged: after the last one nothing comes back; the next thing on the stream is the next message.
    expect((await postFrame(baseUrl, '/chat/receipts', session.token, { messageIds: replies })).body.delivered).toEqual(replies);
    const caughtUp = await open(session.token, { lastEventId: last?.id ?? '' });
    await say(baseUrl, session, 'm-2', 'skip');
    await caughtUp.waitFor('the second message', isEcho('m-2'));
    expect(caughtUp.messages()[0]?.data.clientMessageId).toBe('m-2');

    // No cursor (a reloaded page): the whole conversation from the start.
    const reloaded = await open(session.token);
    await reloaded.waitFor('the second message', isEcho('m-2'));
    const opening = reloaded.messages().slice(0, 1 + replies.length).map((event) => event.data.id);
    expect(new Set(opening)).toEqual(new Set([echo.data.id, ...replies]));
    await settle(harness);
  });

  it('never lets one session read or acknowledge another’s conversation; refuses changed, expired and missing tokens', async () => {
    const alice = await startSession(baseUrl);
    const bob = await startSession(baseUrl);
    await say(baseUrl, alice, 'a-1', COMPLAINT);
    await settle(harness);
    const aliceReplies = await outboundIds(harness, alice);
    expect(aliceReplies.length).toBeGreaterThan(0);

    // Bob's stream starts empty: the first thing it shows is Bob's own message.
    const bobStream = await open(bob.token);
    await say(baseUrl, bob, 'b-1', 'Hello');
    await bobStream.waitFor('Bob’s message', isEcho('b-1'));
    expect(bobStream.messages()[0]?.data.clientMessageId).toBe('b-1');
    await settle(harness);
    const bobIds = new Set(bobStream.messages().map((event) => event.data.id));
    for (const id of aliceReplies) expect(bobIds.has(id)).toBe(false);

    // Bob acknowledging Alice's replies changes nothing.
    expect(await postFrame(baseUrl, '/chat/receipts', bob.token, { messageIds: aliceReplies })).toEqual({ status: 200, body: { delivered: [] } });
    expect(await statusesOf(harness, aliceReplies)).toEqual(aliceReplies.map(() => 'sent'));

    // Alice's token with Bob's session id in it, an expired token, another deployment's, none at all.
    const forged = alice.token.replace(alice.sessionId, bob.sessionId);
    const expired = issueSessionToken(SECRET, alice.sessionId, new Date(Date.now() - 1000));
    const foreign = issueSessionToken('another-deployment-secret-0123456789abcdef', alice.sessionId, new Date(Date.now() + 3_600_000));
    const cases: [string | null, string][] = [
      [forged, 'SIGNATURE_INVALID'],
      [foreign, 'SIGNATURE_INVALID'],
      [expired, 'SESSION_EXPIRED'],
      [null, 'UNAUTHENTICATED'],
    ];
    for (const [token, code] of cases) {
      const message = await postFrame(baseUrl, '/chat/messages', token, { clientMessageId: 'x-1', text: 'intruder' });
      expect(message.status, code).toBe(401);
      expect((message.body.error as { code: string }).code).toBe(code);
      const receipts = await postFrame(baseUrl, '/chat/receipts', token, { messageIds: aliceReplies });
      expect((receipts.body.error as { code: string }).code).toBe(code);
      const events = await fetch(`${baseUrl}/chat/events`, { headers: token === null ? {} : { Authorization: `Bearer ${token}` } });
      expect(events.status).toBe(401);
      expect(((await events.json()) as { error: { code: string } }).error.code).toBe(code);
    }
    expect(await statusesOf(harness, aliceReplies)).toEqual(aliceReplies.map(() => 'sent'));

    // EventSource cannot send headers: the token may come as a query parameter.
    const byQuery = await open(null, { queryToken: alice.token });
    await shows(byQuery, aliceReplies);
    // Tokens are keys: never in a log line.
    const logs = harness.logLines.join('\n');
    for (const token of [alice.token, bob.token, forged, expired]) expect(logs).not.toContain(token.split('.')[3]);
  });

  it('refuses bad frames with 4xx and their codes, storing nothing', async () => {
    const session = await startSession(baseUrl);
    const before = await inboundCount(harness);
    const refused: [unknown, Record<string, string>, number, string][] = [
      ['{"clientMessageId":', {}, 400, 'PAYLOAD_INVALID'],
      [{ clientMessageId: 'm-1', text: 'x'.repeat(4001) }, {}, 400, 'PAYLOAD_INVALID'],
      [{ clientMessageId: 'm-1', text: '   ' }, {}, 400, 'PAYLOAD_INVALID'],
      [{ text: 'no id' }, {}, 400, 'PAYLOAD_INVALID'],
      [{ clientMessageId: 'm-1', text: 'hi', sessionId: randomUUID() }, {}, 400, 'PAYLOAD_INVALID'],
      [{ clientMessageId: 'm-1', text: 'hi' }, { 'Content-Type': 'text/plain' }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
      [{ clientMessageId: 'm-1', text: '长'.repeat(6000) }, {}, 413, 'PAYLOAD_TOO_LARGE'],
    ];
    for (const [body, headers, status, code] of refused) {
      const answer = await postFrame(baseUrl, '/chat/messages', session.token, body, headers);
      expect(answer.status, JSON.stringify(body).slice(0, 40)).toBe(status);
      expect(answer.body.error).toMatchObject({ code });
    }
    const overLong = await postFrame(baseUrl, '/chat/messages', session.token, { clientMessageId: 'm-1', text: 'x'.repeat(4001) });
    expect(overLong.body.error).toMatchObject({ details: [{ path: 'text' }] });
    expect((await postFrame(baseUrl, '/chat/receipts', session.token, { messageIds: ['not-a-uuid'] })).status).toBe(400);
    expect(await inboundCount(harness)).toBe(before);
  });

  it('stores a repeated clientMessageId once and answers the repeat as a duplicate', async () => {
    const session = await startSession(baseUrl);
    const first = await say(baseUrl, session, 'same-id', COMPLAINT);
    const again = await say(baseUrl, session, 'same-id', COMPLAINT);
    expect([first.status, again.status]).toEqual([202, 200]);
    expect(again.body).toEqual({ clientMessageId: 'same-id', duplicate: true });
    const rows = await harness.ombuds.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE channel = 'webchat' AND channel_message_id = $1`, [`${session.sessionId}:same-id`]);
    expect(rows.rows[0]?.n).toBe(1);
    await settle(harness);
  });
});

describe('web chat with the HTTP server and the worker in separate Ombuds instances (PostgreSQL + Redis)', () => {
  const prefix = `test-${randomUUID()}`;
  const env = { REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, WEBCHAT_SESSION_SECRET: SECRET, WEBCHAT_POLL_INTERVAL_MS: '600000', RETRY_BASE_MS: '10', RETRY_MAX_MS: '200' };
  let database: Awaited<ReturnType<typeof createEmptyPostgresDatabase>>;
  let front: Harness;
  let worker: Harness;
  let stream: EventStream | undefined;

  beforeAll(async () => {
    database = await createEmptyPostgresDatabase();
    front = await startHarness('production', { databaseUrl: database.url, workers: false, env });
    worker = await startHarness('production', { databaseUrl: database.url, http: false, env });
  });
  afterAll(async () => {
    stream?.close();
    await front.close();
    await worker.close();
    await deleteRedisPrefix(TEST_REDIS_URL, prefix);
    await database.drop();
  });

  it('delivers the worker’s reply to the stream the HTTP server holds, through Redis pub/sub', async () => {
    const baseUrl = await front.ombuds.listen(0, '127.0.0.1');
    const session = await startSession(baseUrl);
    stream = await openEventStream(baseUrl, session.token);
    await say(baseUrl, session, 'm-1', COMPLAINT);
    const reply = await stream.waitFor('the worker’s reply', (event) => event.event === 'message' && event.data.author === 'bot');
    await settle(worker);
    const replies = await outboundIds(worker, session);
    expect(replies).toContain(reply.data.id);
    await shows(stream, replies);
    expect((await postFrame(baseUrl, '/chat/receipts', session.token, { messageIds: replies })).body.delivered).toEqual(replies);
  });
});
