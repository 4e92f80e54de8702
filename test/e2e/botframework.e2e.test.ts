/**
 * Bot Framework end to end, on both configurations, against a local Bot Framework (OpenID metadata + JWKS, Azure AD
 * token endpoint, Bot Connector) and the adapter built on botbuilder's BotFrameworkAuthentication and CloudAdapter:
 * an Activity POSTed to `/api/messages` with a channel JWT is stored and answered through the connector (a critical
 * message is registered at once and acknowledged with its CMP reference; others start the intake dialog, whose
 * quick replies go out as suggested actions); a bad, foreign, expired or missing JWT, a serviceUrl the token does not
 * name, and garbage store nothing; a redelivered Activity is one message; a connector 500 and a 429 with
 * Retry-After are retried by the outbound queue, not inside the SDK. Emulator mode (no app id) too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { loadEnv } from '../../src/config/env.js';
import { isOmbudsError } from '../../src/shared/errors.js';
import { chatCustomer, referenceIn, settle, textOf, type BotReply, type ChatChannel } from '../support/chat-driver.js';
import { startFakeBotFramework, type FakeBotFramework } from '../support/fake-bot-framework.js';
import { reply, type ReceivedRequest, type ReceiverReply } from '../support/fake-receiver.js';
import { readJsonFixture } from '../support/fixtures.js';
import { CONFIGURATIONS, startHarness, type Harness } from '../support/ombuds-harness.js';

const APP_ID = '8d5b1c2e-3f4a-4b6c-9d7e-0f1a2b3c4d5e';
const APP_PASSWORD = 'e2e~bot.password_0123456789';
const ZH_TEXT = String(readJsonFixture('api/api-3-zh-fraud-in-progress.json').text);
const EN_TEXT = String(readJsonFixture('api/api-2-en-account-blocked.json').text);

let nextConversation = 0;
/** A conversation id of its own, so the intake dialog of one test never merges another test's messages. */
const newConversation = (): string => `e2e-conversation-${String((nextConversation += 1))}|livechat`;

/** A project fixture pointed at the fake connector, with its activity id, text and conversation changed in memory. */
function activity(fake: FakeBotFramework, fixture: string, changes: { id?: string; text?: string; conversation?: string } = {}): Record<string, unknown> {
  const body = readJsonFixture(`botframework/${fixture}`);
  return {
    ...body,
    serviceUrl: fake.url,
    ...(changes.id === undefined ? {} : { id: changes.id }),
    ...(changes.text === undefined ? {} : { text: changes.text }),
    ...(changes.conversation === undefined ? {} : { conversation: { ...(body.conversation as object), id: changes.conversation } }),
  };
}

function keyOf(body: Record<string, unknown>): string {
  return `${String(body.channelId)}:${(body.conversation as { id: string }).id}:${String(body.id)}`;
}

function connectorPath(conversation: string, activityId?: string): string {
  const activities = `/v3/conversations/${encodeURIComponent(conversation)}/activities`;
  return activityId === undefined ? activities : `${activities}/${encodeURIComponent(activityId)}`;
}

function statusOf(received: ReceivedRequest): number | undefined {
  const answer: ReceiverReply = received.reply;
  return answer.type === 'status' ? answer.status : undefined;
}

/** The message Activities (not typing indicators) the connector received under one customer Activity. */
function messagesTo(fake: FakeBotFramework, conversation: string, activityId: string): ReceivedRequest[] {
  return fake.connectorRequests.filter((received) => received.path === connectorPath(conversation, activityId) && (received.json as { type?: string }).type === 'message');
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function inboundCount(harness: Harness): Promise<number> {
  const result = await harness.ombuds.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE channel = 'botframework' AND direction = 'inbound'`);
  return result.rows[0]?.n ?? -1;
}

/** The complaint of a stored message once its first reply is sent. */
async function answered(harness: Harness, channelMessageId: string): Promise<{ reference: string; urgency: string | null }> {
  return until(`the answer to ${channelMessageId}`, async () => {
    const result = await harness.ombuds.database.query<{ reference: string; status: string; urgency: string | null }>(
      `SELECT c.reference, o.status, c.urgency FROM messages m JOIN complaints c ON c.id = m.complaint_id
         JOIN messages o ON o.complaint_id = c.id AND o.direction = 'outbound'
       WHERE m.channel = 'botframework' AND m.direction = 'inbound' AND m.channel_message_id = $1`,
      [channelMessageId],
    );
    const row = result.rows[0];
    if (row?.status === 'failed') throw new Error(`the answer to ${channelMessageId} failed`);
    return row?.status === 'sent' ? { reference: row.reference, urgency: row.urgency } : undefined;
  });
}

/** The outbound messages of a complaint, once none is waiting for delivery. */
async function deliveredReplies(harness: Harness, reference: string): Promise<{ text: string; attempts: number; status: string }[]> {
  await settle(harness);
  const rows = await harness.ombuds.database.query<{ text: string; attempts: number; status: string }>(
    `SELECT o.text, o.attempts, o.status FROM messages o JOIN complaints c ON c.id = o.complaint_id WHERE c.reference = $1 AND o.direction = 'outbound'`,
    [reference],
  );
  return rows.rows;
}

/** A Web Chat customer in their own conversation, posting Activities with channel tokens and reading the connector. */
function webChat(harness: () => Harness, fake: FakeBotFramework): ChatChannel & { conversation: string } {
  const conversation = newConversation();
  let sequence = 0;
  const send = async (text: string): Promise<void> => {
    sequence += 1;
    const body = activity(fake, 'botframework-1.json', { id: `${conversation}-${String(sequence)}`, text, conversation });
    const response = await request(harness().ombuds.app)
      .post('/api/messages')
      .set('Content-Type', 'application/json')
      .set('Authorization', `Bearer ${await fake.mintToken()}`)
      .send(JSON.stringify(body));
    if (response.status !== 200) throw new Error(`/api/messages answered ${String(response.status)}`);
  };
  return {
    conversation,
    send,
    // An imBack suggested action comes back as an ordinary message whose text is the value.
    press: send,
    replies(): BotReply[] {
      return fake.connectorRequests
        .filter((received) => received.path.startsWith(connectorPath(conversation)) && statusOf(received) === 200)
        .map((received) => received.json as { type?: string; text?: string; suggestedActions?: { actions?: { title: string; value: string }[] } })
        .filter((sent) => sent.type === 'message')
        .map((sent) => ({ text: String(sent.text), quickReplies: (sent.suggestedActions?.actions ?? []).map((action) => ({ label: action.title, value: action.value })) }));
    },
  };
}

describe.each(CONFIGURATIONS)('Bot Framework channel end to end (%s)', (configuration) => {
  let fake: FakeBotFramework;
  let harness: Harness;

  beforeAll(async () => {
    fake = await startFakeBotFramework({ client: { appId: APP_ID, appPassword: APP_PASSWORD } });
    harness = await startHarness(configuration, {
      env: {
        BOTFRAMEWORK_APP_ID: APP_ID,
        BOTFRAMEWORK_APP_PASSWORD: APP_PASSWORD,
        BOTFRAMEWORK_OPENID_METADATA_URL: fake.openIdMetadataUrl,
        BOTFRAMEWORK_TOKEN_ENDPOINT: fake.tokenEndpoint,
        BOTFRAMEWORK_CHANNEL_SERVICE_ORIGIN: fake.url,
        RETRY_BASE_MS: '10',
        RETRY_MAX_MS: '200',
        OUTBOUND_TIMEOUT_MS: '3000',
      },
    });
  });
  afterAll(async () => {
    await harness.close();
    await fake.close();
  });

  const post = async (body: Record<string, unknown> | string, authorization?: string | null) => {
    const token = authorization === undefined ? `Bearer ${await fake.mintToken()}` : authorization;
    const call = request(harness.ombuds.app).post('/api/messages').set('Content-Type', 'application/json').send(typeof body === 'string' ? body : JSON.stringify(body));
    return token === null ? call : call.set('Authorization', token);
  };

  it('registers a critical Chinese message at once with its reference, and answers an English one with the dialog\'s first question, through the connector', async () => {
    const zh = activity(fake, 'botframework-1.json', { id: 'e2e-zh-1', text: ZH_TEXT, conversation: newConversation() });
    const en = activity(fake, 'botframework-1.json', { id: 'e2e-en-1', text: EN_TEXT, conversation: newConversation() });
    for (const body of [zh, en]) {
      const response = await post(body);
      expect(response.status).toBe(200);
      expect(response.text).toBe('');
    }
    await harness.waitForIdle();
    const zhAck = await answered(harness, keyOf(zh));
    expect(zhAck.urgency).toBe('critical');
    expect(zhAck.reference).toMatch(/^CMP-\d{4}-\d{6}$/);
    await answered(harness, keyOf(en));
    // A critical message has two replies (the hand-off, then the acknowledgement, delivered in that order): wait for both.
    await settle(harness);
    const zhConversation = (zh.conversation as { id: string }).id;
    const enConversation = (en.conversation as { id: string }).id;
    // A reply threaded under the customer's Activity, in their conversation, with a token the fake issued.
    const zhReply = messagesTo(fake, zhConversation, 'e2e-zh-1').find((sent) => sent.rawBody.includes(zhAck.reference));
    expect(fake.issuedTokens).toContain(/^Bearer (.+)$/.exec(zhReply?.headers.authorization ?? '')?.[1]);
    expect(zhReply?.json).toMatchObject({
      type: 'message',
      text: expect.stringMatching(/[\u4e00-\u9fff]/) as unknown,
      replyToId: 'e2e-zh-1',
      conversation: { id: zhConversation },
      from: { id: 'db6b23b0-e987-11ea-bc29-bb90646b4033' },
      recipient: { id: 'b3a1b380-1137-4768-8178-816209c2e761' },
    });
    // The English message is not critical: the dialog asks for what it still needs, in English, before registering.
    const [enReply] = messagesTo(fake, enConversation, 'e2e-en-1');
    expect(enReply?.json).toMatchObject({ type: 'message', text: expect.stringMatching(/\?/) as unknown });
    expect(String((enReply?.json as { text?: string }).text)).not.toMatch(/[\u4e00-\u9fff]|CMP-/);
  });

  it('takes a conversation through the intake dialog, typing shown and quick replies as suggested actions, to a registered complaint', async () => {
    const chat = webChat(() => harness, fake);
    const customer = chatCustomer(() => harness, chat);
    const first = await customer.turn('My credit card was charged twice for the same £300 purchase at a supermarket.');
    expect(textOf(first)).toMatch(/when did this happen/i);
    expect(first.at(-1)?.quickReplies.map((option) => option.value)).toEqual(['date:today', 'date:yesterday', 'skip']);
    expect(fake.connectorRequests.some((sent) => sent.path.startsWith(connectorPath(chat.conversation)) && (sent.json as { type?: string }).type === 'typing')).toBe(true);
    expect(textOf(await customer.pressTurn('date:yesterday'))).toMatch(/what would you like us to do/i);
    expect(textOf(await customer.turn('outcome:refund'))).toMatch(/Is this correct\?/);
    const registered = await customer.turn('yes');
    expect(referenceIn(registered)).toMatch(/^CMP-\d{4}-\d{6}$/);
    expect(textOf(registered)).toMatch(/final response by \d{4}-\d{2}-\d{2}/);
  });

  it('takes the project fixtures: a message is stored, a conversationUpdate is acknowledged and ignored', async () => {
    const before = await inboundCount(harness);
    expect((await post(activity(fake, 'botframework-1.json'))).status).toBe(200);
    expect((await post(activity(fake, 'botframework-3-conversationUpdate.json'))).status).toBe(200);
    expect(await inboundCount(harness)).toBe(before + 1);
    await settle(harness);
  });

  it('refuses a forged, foreign, expired or missing JWT and a serviceUrl the token does not name with 401, and garbage with 400, storing nothing', async () => {
    const before = await inboundCount(harness);
    const body = activity(fake, 'botframework-1.json', { id: 'e2e-refused-1', text: EN_TEXT, conversation: newConversation() });
    const forged = await post(body, `Bearer ${await fake.mintToken({ untrustedKey: true })}`);
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe('SIGNATURE_INVALID');
    expect((await post(body, `Bearer ${await fake.mintToken({ claims: { aud: 'another-bot' } })}`)).status).toBe(401);
    expect((await post(body, `Bearer ${await fake.mintToken({ claims: { exp: Math.floor(Date.now() / 1000) - 3600 } })}`)).status).toBe(401);
    // A token minted for another serviceUrl cannot steer the replies.
    expect((await post({ ...body, serviceUrl: 'https://attacker.example' }, undefined)).status).toBe(401);
    expect((await post(body, null)).status).toBe(401);
    const garbage = await post({ type: 'message', serviceUrl: fake.url, channelId: 'emulator', text: 42 });
    expect(garbage.status).toBe(400);
    expect(garbage.body.error.code).toBe('PAYLOAD_INVALID');
    expect(await inboundCount(harness)).toBe(before);
  });

  it('stores a redelivered Activity once: one message, one complaint', async () => {
    const body = activity(fake, 'botframework-1.json', { id: 'e2e-twice-1', text: EN_TEXT, conversation: newConversation() });
    const [first, second] = [await post(body), await post(body)];
    expect([first.status, second.status]).toEqual([200, 200]);
    const rows = await harness.ombuds.database.query<{ n: number; complaints: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT complaint_id)::int AS complaints FROM messages WHERE channel = 'botframework' AND channel_message_id = $1`,
      [keyOf(body)],
    );
    expect(rows.rows[0]).toEqual({ n: 1, complaints: 1 });
    await settle(harness);
  });

  it.each([
    ['answers 500', reply.serverError(500), 500],
    ['answers 429 with Retry-After', reply.rateLimited(1), 429],
  ])('delivers the reply on the outbound queue\'s retry when the connector first %s', async (_name, failure, status) => {
    // Earlier replies first, so the scripted answer is this one's.
    await settle(harness);
    const conversation = newConversation();
    const id = `e2e-retry-${String(status)}`;
    fake.scriptConnector(failure);
    const body = activity(fake, 'botframework-1.json', { id, text: ZH_TEXT, conversation });
    expect((await post(body)).status).toBe(200);
    const { reference } = await answered(harness, keyOf(body));
    const replies = await deliveredReplies(harness, reference);
    expect(replies.map((row) => row.status)).toEqual(replies.map(() => 'sent'));
    // One reply met the failure and went again on the next attempt; the SDK did not retry it by itself.
    const retried = replies.filter((row) => row.attempts === 2);
    expect(retried).toHaveLength(1);
    const attempts = messagesTo(fake, conversation, id).filter((sent) => (sent.json as { text?: string }).text === retried[0]?.text);
    expect(attempts.map(statusOf)).toEqual([status, 200]);
  });

  it('documents /api/messages and never logs the app password', async () => {
    const openapi = await request(harness.ombuds.app).get('/v1/openapi.json');
    expect(Object.keys(openapi.body.paths as object)).toContain('/api/messages');
    expect(Object.keys(openapi.body.paths as object)).not.toContain('/webhooks/telegram');
    expect(harness.logLines.join('\n')).not.toContain(APP_PASSWORD);
  });
});

describe('Bot Framework Emulator mode (embedded): BOTFRAMEWORK_ENABLED without an app id', () => {
  let fake: FakeBotFramework;
  let harness: Harness;
  beforeAll(async () => {
    fake = await startFakeBotFramework();
    harness = await startHarness('embedded', { env: { BOTFRAMEWORK_ENABLED: 'true' } });
  });
  afterAll(async () => {
    await harness.close();
    await fake.close();
  });

  it('accepts an unauthenticated Activity and replies to a loopback serviceUrl without a token', async () => {
    const conversation = newConversation();
    const body = activity(fake, 'botframework-1.json', { id: 'e2e-emulator-1', text: EN_TEXT, conversation });
    const response = await request(harness.ombuds.app).post('/api/messages').send(body);
    expect(response.status).toBe(200);
    await answered(harness, keyOf(body));
    const [sent] = messagesTo(fake, conversation, 'e2e-emulator-1');
    expect(sent?.json).toMatchObject({ type: 'message', replyToId: 'e2e-emulator-1' });
    expect(sent?.headers.authorization).toBeUndefined();
    expect(fake.tokenRequests).toEqual([]);
  });
});

describe('Bot Framework configuration', () => {
  it('is off by default, and on with BOTFRAMEWORK_ENABLED or an app id', () => {
    expect(loadEnv({}).BOTFRAMEWORK_ENABLED).toBe(false);
    expect(loadEnv({ BOTFRAMEWORK_ENABLED: '1' }).BOTFRAMEWORK_ENABLED).toBe(true);
  });

  it('refuses an app id without its password, a bad URL and a bad switch, naming each', () => {
    const refused = (source: Record<string, string>): string => {
      try {
        loadEnv(source);
      } catch (error) {
        if (isOmbudsError(error) && error.code === 'CONFIG_INVALID') return error.message;
        throw error;
      }
      throw new Error('accepted');
    };
    expect(refused({ BOTFRAMEWORK_APP_ID: APP_ID })).toContain('BOTFRAMEWORK_APP_PASSWORD');
    expect(refused({ BOTFRAMEWORK_APP_ID: APP_ID, BOTFRAMEWORK_APP_PASSWORD: APP_PASSWORD, BOTFRAMEWORK_OPENID_METADATA_URL: 'not a url' })).toContain(
      'BOTFRAMEWORK_OPENID_METADATA_URL',
    );
    expect(refused({ BOTFRAMEWORK_ENABLED: 'maybe' })).toContain('BOTFRAMEWORK_ENABLED');
  });
});
