/**
 * Bot Framework end to end, on both configurations, against a local Bot Framework (OpenID metadata + JWKS, Azure AD
 * token endpoint, Bot Connector): an Activity POSTed to `/api/messages` with a channel JWT is stored, classified,
 * registered, and acknowledged (with its CMP reference) as a connector reply; a bad or missing JWT and garbage store
 * nothing; a redelivered Activity is one complaint; a connector 500 is retried. Emulator mode (no app id) too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { loadEnv } from '../../src/config/env.js';
import { isOmbudsError } from '../../src/shared/errors.js';
import { startFakeBotFramework, type FakeBotFramework } from '../support/fake-bot-framework.js';
import { reply, type ReceivedRequest } from '../support/fake-receiver.js';
import { readJsonFixture } from '../support/fixtures.js';
import { CONFIGURATIONS, startHarness, type Harness } from '../support/ombuds-harness.js';

const APP_ID = '8d5b1c2e-3f4a-4b6c-9d7e-0f1a2b3c4d5e';
const APP_PASSWORD = 'e2e~bot.password_0123456789';
const ZH_TEXT = String(readJsonFixture('api/api-3-zh-fraud-in-progress.json').text);
const EN_TEXT = String(readJsonFixture('api/api-2-en-account-blocked.json').text);

/** A project fixture pointed at the fake connector, with its activity id (and text) changed in memory. */
function activity(fake: FakeBotFramework, fixture: string, id?: string, text?: string): Record<string, unknown> {
  return { ...readJsonFixture(`botframework/${fixture}`), serviceUrl: fake.url, ...(id === undefined ? {} : { id }), ...(text === undefined ? {} : { text }) };
}

function keyOf(body: Record<string, unknown>): string {
  return `${String(body.channelId)}:${(body.conversation as { id: string }).id}:${String(body.id)}`;
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

async function acknowledged(harness: Harness, channelMessageId: string): Promise<{ reference: string; urgency: string | null; attempts: number }> {
  return until(`the acknowledgement of ${channelMessageId}`, async () => {
    const result = await harness.ombuds.database.query<{ reference: string; status: string; urgency: string | null; attempts: number }>(
      `SELECT c.reference, o.status, c.urgency, o.attempts FROM messages m JOIN complaints c ON c.id = m.complaint_id
         JOIN messages o ON o.complaint_id = c.id AND o.direction = 'outbound'
       WHERE m.channel = 'botframework' AND m.direction = 'inbound' AND m.channel_message_id = $1`,
      [channelMessageId],
    );
    const row = result.rows[0];
    if (row?.status === 'failed') throw new Error(`acknowledgement of ${channelMessageId} failed`);
    return row?.status === 'sent' ? { reference: row.reference, urgency: row.urgency, attempts: row.attempts } : undefined;
  });
}

function repliesWith(requests: ReceivedRequest[], reference: string): ReceivedRequest[] {
  return requests.filter((received) => received.rawBody.includes(reference));
}

async function outboundSettled(harness: Harness): Promise<void> {
  await harness.waitForIdle();
  await until('earlier acknowledgements', async () => {
    const busy = await harness.ombuds.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE direction = 'outbound' AND status IN ('queued', 'retrying')`);
    return busy.rows[0]?.n === 0 ? true : undefined;
  });
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

  it('stores, classifies and registers a Chinese and an English message, and replies with the acknowledgement and reference through the connector', async () => {
    const zh = activity(fake, 'botframework-1.json', 'e2e-zh-1', ZH_TEXT);
    const en = activity(fake, 'botframework-1.json', 'e2e-en-1', EN_TEXT);
    for (const body of [zh, en]) {
      const response = await post(body);
      expect(response.status).toBe(200);
      expect(response.text).toBe('');
    }
    await harness.waitForIdle();
    const zhAck = await acknowledged(harness, keyOf(zh));
    const enAck = await acknowledged(harness, keyOf(en));
    expect(zhAck.urgency).toBe('critical');
    expect(zhAck.reference).toMatch(/^CMP-\d{4}-\d{6}$/);
    const [zhReply] = repliesWith(fake.connectorRequests, zhAck.reference);
    const [enReply] = repliesWith(fake.connectorRequests, enAck.reference);
    // A reply to the customer's activity, in their conversation, authenticated with a token the fake issued.
    expect(zhReply?.path).toBe(`/v3/conversations/${encodeURIComponent('bbec97a0-ebc9-11ea-bc29-bb90646b4033|livechat')}/activities/e2e-zh-1`);
    expect(fake.issuedTokens).toContain(/^Bearer (.+)$/.exec(zhReply?.headers.authorization ?? '')?.[1]);
    expect(zhReply?.json).toMatchObject({ type: 'message', text: expect.stringMatching(/[\u4e00-\u9fff]/) as unknown });
    expect(enReply?.json).toMatchObject({ type: 'message', text: expect.not.stringMatching(/[\u4e00-\u9fff]/) as unknown });
  });

  it('takes the project fixtures: a message is stored, a conversationUpdate is acknowledged and ignored', async () => {
    const before = await inboundCount(harness);
    expect((await post(activity(fake, 'botframework-1.json'))).status).toBe(200);
    expect((await post(activity(fake, 'botframework-3-conversationUpdate.json'))).status).toBe(200);
    expect(await inboundCount(harness)).toBe(before + 1);
  });

  it('refuses a forged, foreign, expired or missing JWT with 401, and garbage with 400, storing nothing', async () => {
    const before = await inboundCount(harness);
    const body = activity(fake, 'botframework-1.json', 'e2e-refused-1', EN_TEXT);
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
    const body = activity(fake, 'botframework-1.json', 'e2e-twice-1', EN_TEXT);
    const [first, second] = [await post(body), await post(body)];
    expect([first.status, second.status]).toEqual([200, 200]);
    const rows = await harness.ombuds.database.query<{ n: number; complaints: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT complaint_id)::int AS complaints FROM messages WHERE channel = 'botframework' AND channel_message_id = $1`,
      [keyOf(body)],
    );
    expect(rows.rows[0]).toEqual({ n: 1, complaints: 1 });
  });

  it('delivers the acknowledgement on a retry when the connector first answers 500', async () => {
    await outboundSettled(harness);
    fake.scriptConnector(reply.serverError(500));
    const body = activity(fake, 'botframework-1.json', 'e2e-retry-1', ZH_TEXT);
    expect((await post(body)).status).toBe(200);
    const ack = await acknowledged(harness, keyOf(body));
    expect(ack.attempts).toBe(2);
    const attempts = fake.connectorRequests.filter((received) => received.path.endsWith('/activities/e2e-retry-1'));
    expect(attempts.map((received) => received.reply.type === 'status' && received.reply.status)).toEqual([500, 200]);
    expect(attempts[1]?.rawBody).toContain(ack.reference);
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
    const body = activity(fake, 'botframework-1.json', 'e2e-emulator-1', EN_TEXT);
    const response = await request(harness.ombuds.app).post('/api/messages').send(body);
    expect(response.status).toBe(200);
    const ack = await acknowledged(harness, keyOf(body));
    const [sent] = repliesWith(fake.connectorRequests, ack.reference);
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
