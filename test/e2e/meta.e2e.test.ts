/**
 * WhatsApp Cloud API and Messenger end to end, on both configurations, through the real `GET`/`POST /webhooks/meta`
 * and a local fake of the Graph API: the subscription check; a signed message answered with the dialog's question
 * (WhatsApp reply buttons, Messenger quick replies and "typing…"); whole conversations on both products ending
 * with a `CMP-` reference; every fixture taken; bad signatures 401 and nothing stored; garbage 400; a redelivery
 * (and a repeat inside one batch) stored once; the Graph API answering 500, then 200; WhatsApp status receipts
 * moving the outbound message forward; the customer's phone recorded in E.164 so SMS can find them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { metaSignature } from '../../src/adapters/meta/index.js';
import { configuredChannels } from '../../src/composition-channels.js';
import { loadEnv } from '../../src/config/env.js';
import { systemClock } from '../../src/shared/clock.js';
import { isOmbudsError } from '../../src/shared/errors.js';
import { chatCustomer, referenceIn, settle, textOf, type BotReply, type ChatChannel } from '../support/chat-driver.js';
import {
  messengerMessage,
  messengerPayload,
  metaAnswer,
  metaFixtures,
  metaJson,
  startFakeMeta,
  whatsAppPayload,
  whatsAppStatus,
  type FakeMeta,
  type MetaCall,
} from '../support/fake-meta.js';
import { readJsonFixture } from '../support/fixtures.js';
import { CONFIGURATIONS, startHarness, type Harness } from '../support/ombuds-harness.js';

const APP_SECRET = 'e2e-meta-app-secret-0123456789abcdef';
const VERIFY_TOKEN = 'e2e-meta-verify-token-42';
const ACCESS_TOKEN = 'EAAG-e2e-system-user-token-0123456789';
const PAGE_TOKEN = 'EAAG-e2e-page-token-0123456789';
const PHONE_NUMBER_ID = '106540352242922';
const PAGE_ID = '1234567890';
const ZH_TEXT = String(readJsonFixture('api/api-3-zh-fraud-in-progress.json').text);

let nextNumber = 447_700_900_100;
let nextId = 1;

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function botReplyOf(call: MetaCall): BotReply {
  const body = call.body;
  if (call.product === 'messenger') {
    const message = body.message as { text: string; quick_replies?: { title: string; payload: string }[] };
    return { text: message.text, quickReplies: (message.quick_replies ?? []).map((quickReply) => ({ label: quickReply.title, value: quickReply.payload })) };
  }
  if (body.type === 'text') return { text: (body.text as { body: string }).body, quickReplies: [] };
  const interactive = body.interactive as {
    body: { text: string };
    action: { buttons?: { reply: { id: string; title: string } }[]; sections?: { rows: { id: string; title: string }[] }[] };
  };
  const options = interactive.action.buttons?.map((button) => button.reply) ?? interactive.action.sections?.flatMap((section) => section.rows) ?? [];
  return { text: interactive.body.text, quickReplies: options.map((option) => ({ label: option.title, value: option.id })) };
}

describe.each(CONFIGURATIONS)('Meta channels end to end (%s)', (configuration) => {
  let fake: FakeMeta;
  let harness: Harness;
  const current = () => harness;

  beforeAll(async () => {
    fake = await startFakeMeta({ accessToken: ACCESS_TOKEN, pageAccessToken: PAGE_TOKEN });
    harness = await startHarness(configuration, {
      env: {
        META_APP_SECRET: APP_SECRET,
        META_VERIFY_TOKEN: VERIFY_TOKEN,
        META_ACCESS_TOKEN: ACCESS_TOKEN,
        META_PAGE_ACCESS_TOKEN: PAGE_TOKEN,
        META_GRAPH_API_ROOT: fake.apiRoot,
        RETRY_BASE_MS: '10',
        RETRY_MAX_MS: '200',
        OUTBOUND_TIMEOUT_MS: '3000',
        DIALOG_IDLE_TIMEOUT_MS: '600000',
      },
    });
  });
  afterAll(async () => {
    await harness.close();
    await fake.close();
  });

  const post = (body: string | Buffer, signature: string | null = metaSignature(body, APP_SECRET)) => {
    const call = request(harness.ombuds.app).post('/webhooks/meta').set('Content-Type', 'application/json').send(Buffer.isBuffer(body) ? body.toString('utf8') : body);
    return signature === null ? call : call.set('X-Hub-Signature-256', signature);
  };

  const inboundCount = async (): Promise<number> => {
    const result = await harness.ombuds.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE channel IN ('whatsapp', 'messenger') AND direction = 'inbound'`);
    return result.rows[0]?.n ?? -1;
  };

  /** A WhatsApp customer writing to the business number, through the webhook, reading the fake's sends. */
  function whatsAppChat(): ChatChannel & { waId: string } {
    const waId = String((nextNumber += 1));
    const postMessage = async (content: Record<string, unknown> | undefined, text?: string): Promise<void> => {
      nextId += 1;
      const body = metaJson(whatsAppPayload([{ id: `wamid.E2E${String(nextId)}`, from: waId, name: 'Test Customer', ...(content ? { content } : {}), ...(text === undefined ? {} : { text }) }], [], PHONE_NUMBER_ID));
      const response = await post(body);
      if (response.status !== 200) throw new Error(`webhook answered ${String(response.status)}`);
    };
    return {
      waId,
      send: (text) => postMessage(undefined, text),
      press: (value) =>
        postMessage(
          value.startsWith('product:') || value.startsWith('outcome:')
            ? { type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: value, title: value } } }
            : { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: value, title: value } } },
        ),
      replies: () => fake.callsOf('whatsapp').filter((call) => call.body.to === waId).map(botReplyOf),
    };
  }

  /** A Messenger customer writing to the page. */
  function messengerChat(): ChatChannel & { psid: string } {
    const psid = String((nextNumber += 1));
    const postEvent = async (event: Record<string, unknown>): Promise<void> => {
      const response = await post(metaJson(messengerPayload([event], PAGE_ID)));
      if (response.status !== 200) throw new Error(`webhook answered ${String(response.status)}`);
    };
    return {
      psid,
      send: (text) => postEvent(messengerMessage({ mid: `m_E2E${String((nextId += 1))}`, psid, text, pageId: PAGE_ID })),
      press: (value) => postEvent(messengerMessage({ mid: `m_E2E${String((nextId += 1))}`, psid, text: value, quickReply: value, pageId: PAGE_ID })),
      replies: () =>
        fake
          .callsOf('messenger')
          .filter((call) => (call.body.recipient as { id: string }).id === psid && call.body.message !== undefined)
          .map(botReplyOf),
    };
  }

  it('answers Meta’s subscription check with the challenge, and 403 with a wrong token', async () => {
    const ok = await request(harness.ombuds.app).get('/webhooks/meta').query({ 'hub.mode': 'subscribe', 'hub.challenge': '1158201444', 'hub.verify_token': VERIFY_TOKEN });
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('1158201444');
    const wrong = await request(harness.ombuds.app).get('/webhooks/meta').query({ 'hub.mode': 'subscribe', 'hub.challenge': '1158201444', 'hub.verify_token': 'guess' });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe('FORBIDDEN');
    expect(wrong.text).not.toContain('1158201444');
    const openapi = await request(harness.ombuds.app).get('/v1/openapi.json');
    const path = (openapi.body.paths as Record<string, Record<string, unknown>>)['/webhooks/meta'];
    expect(Object.keys(path ?? {}).sort()).toEqual(['get', 'post']);
  });

  it('answers a signed WhatsApp message with the dialog’s question, as reply buttons from the number it was sent to', async () => {
    const chat = whatsAppChat();
    await chat.send('My credit card was charged twice for the same £300 purchase at a supermarket.');
    await settle(harness);
    const replies = chat.replies();
    expect(textOf(replies)).toMatch(/when did this happen/i);
    expect(replies.at(-1)?.quickReplies.map((option) => option.value)).toEqual(['date:today', 'date:yesterday', 'skip']);
    const calls = fake.callsOf('whatsapp').filter((call) => call.body.to === chat.waId);
    expect(calls.every((call) => call.phoneNumberId === PHONE_NUMBER_ID && call.token === ACCESS_TOKEN)).toBe(true);
  });

  it('plays a whole WhatsApp conversation to its CMP reference, and records the phone in E.164', async () => {
    const chat = whatsAppChat();
    const customer = chatCustomer(current, chat);
    expect(textOf(await customer.turn('My credit card was charged twice for the same £300 purchase at a supermarket.'))).toMatch(/when did this happen/i);
    const outcome = await customer.pressTurn('date:yesterday');
    expect(textOf(outcome)).toMatch(/what would you like us to do/i);
    expect(outcome.at(-1)?.quickReplies.length).toBeGreaterThan(3);
    const confirm = await customer.pressTurn('outcome:refund');
    expect(textOf(confirm)).toMatch(/Is this correct\?/);
    const registered = await customer.pressTurn('yes');
    const reference = referenceIn(registered);
    expect(reference).toMatch(/^CMP-\d{4}-\d{6}$/);
    const complaint = await harness.ombuds.database.query<{ record: Record<string, unknown>; customer_id: string }>(`SELECT record, customer_id FROM complaints WHERE reference = $1`, [reference]);
    expect(complaint.rows[0]?.record).toMatchObject({ product: 'cards', amount: { value: 300, currency: 'GBP' }, channels: ['whatsapp'] });
    const identities = await harness.ombuds.database.query<{ channel: string; address: string; customer_id: string }>(
      `SELECT channel, address, customer_id FROM customer_identities WHERE (channel = 'whatsapp' AND address = $1) OR (channel = 'phone' AND address = $2) ORDER BY channel`,
      [chat.waId, `+${chat.waId}`],
    );
    expect(identities.rows.map((row) => [row.channel, row.address])).toEqual([['phone', `+${chat.waId}`], ['whatsapp', chat.waId]]);
    expect(new Set(identities.rows.map((row) => row.customer_id))).toEqual(new Set([complaint.rows[0]?.customer_id]));
  });

  it('plays a whole Messenger conversation to its CMP reference, with quick replies and "typing…"', async () => {
    const chat = messengerChat();
    const customer = chatCustomer(current, chat);
    const first = await customer.turn('My credit card was charged twice for the same £300 purchase at a supermarket.');
    expect(textOf(first)).toMatch(/when did this happen/i);
    expect(first.at(-1)?.quickReplies.map((option) => option.value)).toEqual(['date:today', 'date:yesterday', 'skip']);
    expect(fake.callsOf('messenger').some((call) => (call.body.recipient as { id: string }).id === chat.psid && call.body.sender_action === 'typing_on')).toBe(true);
    await customer.pressTurn('date:yesterday');
    // Messenger cannot reach the customer after 24 hours and gives no phone number: the dialog asks for a contact.
    expect(textOf(await customer.pressTurn('outcome:refund'))).toMatch(/How can we reach you/);
    const confirm = await customer.turn('You can e-mail me at jo.bloggs@example.org');
    expect(textOf(confirm)).toMatch(/Is this correct\?/);
    expect(textOf(confirm)).toContain('jo.bloggs@example.org');
    const reference = referenceIn(await customer.pressTurn('yes'));
    expect(reference).toMatch(/^CMP-\d{4}-\d{6}$/);
    expect(fake.callsOf('messenger').every((call) => call.token === PAGE_TOKEN && call.path === 'me/messages')).toBe(true);
  });

  it('registers a critical Chinese WhatsApp message at once and answers in Chinese with its reference', async () => {
    const chat = whatsAppChat();
    await chat.send(ZH_TEXT);
    await settle(harness);
    const replies = chat.replies();
    expect(referenceIn(replies)).toMatch(/^CMP-/);
    expect(textOf(replies)).toMatch(/[\u4e00-\u9fff]/);
  });

  it('takes every WhatsApp and Messenger fixture as Meta sends it (the statuses stored as nothing)', async () => {
    for (const { name, body } of [...metaFixtures('whatsapp'), ...metaFixtures('messenger')]) {
      const response = await post(body);
      expect(response.status, `${name}: ${JSON.stringify(response.body)}`).toBe(200);
      expect(response.text).toBe('');
    }
    // The fixtures all carry the id `external_id`: one message per product, however often it arrives.
    const stored = await harness.ombuds.database.query<{ channel: string; n: number }>(
      `SELECT channel, count(*)::int AS n FROM messages WHERE channel_message_id = 'external_id' AND direction = 'inbound' GROUP BY channel ORDER BY channel`,
    );
    expect(stored.rows).toEqual([{ channel: 'messenger', n: 1 }, { channel: 'whatsapp', n: 1 }]);
    await settle(harness);
  });

  it('refuses bad, missing and stale signatures with 401 and garbage with 400, storing nothing', async () => {
    const before = await inboundCount();
    const body = metaJson(whatsAppPayload([{ id: 'wamid.UNSIGNED', from: '447700900999', text: 'My card was blocked' }], [], PHONE_NUMBER_ID));
    const tampered = Buffer.from(body);
    tampered[tampered.indexOf('blocked')] = 'B'.charCodeAt(0);
    for (const [what, response] of [
      ['no signature', await post(body, null)],
      ['another secret', await post(body, metaSignature(body, 'not-the-app-secret'))],
      ['one byte changed', await post(tampered, metaSignature(body, APP_SECRET))],
      ['sha1 only', await post(body, 'sha1=0123456789abcdef0123456789abcdef01234567')],
    ] as const) {
      expect(response.status, what).toBe(401);
      expect(response.body.error.code, what).toBe('SIGNATURE_INVALID');
    }
    for (const garbage of ['{"object":', '[]', '{"entry":[]}', '{"object":"page","entry":"x"}']) {
      const response = await post(garbage);
      expect(response.status, garbage).toBe(400);
      expect(response.body.error.code).toBe('PAYLOAD_INVALID');
    }
    expect(await inboundCount()).toBe(before);
  });

  it('takes a 3.5 MB batch (WhatsApp payloads reach 3 MB) and refuses one over 4 MB with 413', async () => {
    const before = await inboundCount();
    const big = whatsAppPayload([{ id: 'wamid.BIG', from: '447700900888', text: 'My statement is attached' }], [], PHONE_NUMBER_ID);
    const padded = (size: number) => metaJson({ ...big, padding: 'x'.repeat(size) });
    expect((await post(padded(3.5 * 1024 * 1024))).status).toBe(200);
    const tooBig = await post(padded(4 * 1024 * 1024 + 10));
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await inboundCount()).toBe(before + 1);
    await settle(harness);
  });

  it('stores a redelivered batch once, and a message repeated inside one batch once', async () => {
    const before = await inboundCount();
    const body = metaJson(whatsAppPayload([{ id: 'wamid.REDELIVERED', from: '447700900777', text: 'My mortgage payment was taken twice' }], [], PHONE_NUMBER_ID));
    expect([(await post(body)).status, (await post(body)).status]).toEqual([200, 200]);
    const twice = messengerMessage({ mid: 'm_TWICE', psid: '99887766', text: 'My savings account is frozen', pageId: PAGE_ID });
    expect((await post(metaJson(messengerPayload([twice, twice], PAGE_ID)))).status).toBe(200);
    expect(await inboundCount()).toBe(before + 2);
    await settle(harness);
    expect(fake.callsOf('whatsapp').filter((call) => call.body.to === '447700900777')).toHaveLength(1);
  });

  it('delivers a reply on a retry when the Graph API first answers 500', async () => {
    await settle(harness);
    const chat = whatsAppChat();
    fake.script('whatsapp', metaAnswer.serverError(500));
    await chat.send('My online banking app keeps logging me out and I cannot pay my rent');
    await settle(harness);
    const replies = chat.replies();
    expect(replies.length).toBeGreaterThan(1);
    expect(replies[0]?.text).toBe(replies[1]?.text);
    const rows = await harness.ombuds.database.query<{ status: string; attempts: number }>(
      `SELECT status, attempts FROM messages WHERE direction = 'outbound' AND channel = 'whatsapp' AND conversation_key = $1`,
      [`${PHONE_NUMBER_ID}:${chat.waId}`],
    );
    expect(rows.rows.map((row) => [row.status, row.attempts])).toEqual([['sent', 2]]);
  });

  it('moves the outbound message to delivered and read on WhatsApp status receipts, which store nothing inbound', async () => {
    const chat = whatsAppChat();
    await chat.send('I was charged a fee I never agreed to on my current account');
    await settle(harness);
    const sent = await until('a sent reply with its wamid', async () => {
      const result = await harness.ombuds.database.query<{ id: string; vendor_message_id: string | null }>(
        `SELECT id, vendor_message_id FROM messages WHERE direction = 'outbound' AND channel = 'whatsapp' AND status = 'sent' AND conversation_key = $1`,
        [`${PHONE_NUMBER_ID}:${chat.waId}`],
      );
      return result.rows[0]?.vendor_message_id ? result.rows[0] : undefined;
    });
    expect(sent.vendor_message_id).toMatch(/^wamid\.FAKE/);
    const before = await inboundCount();
    const receipts = metaJson(whatsAppPayload([], [whatsAppStatus(String(sent.vendor_message_id), 'delivered', chat.waId), whatsAppStatus(String(sent.vendor_message_id), 'read', chat.waId)], PHONE_NUMBER_ID));
    expect((await post(receipts)).status).toBe(200);
    const row = await harness.ombuds.database.query<{ status: string; delivered_at: Date | null }>(`SELECT status, delivered_at FROM messages WHERE id = $1`, [sent.id]);
    expect(row.rows[0]?.status).toBe('read');
    expect(row.rows[0]?.delivered_at).not.toBeNull();
    expect(await inboundCount()).toBe(before);
  });

  it('never logs the app secret, the verify token or the access tokens', () => {
    const logs = harness.logLines.join('\n');
    for (const secret of [APP_SECRET, VERIFY_TOKEN, ACCESS_TOKEN, PAGE_TOKEN]) expect(logs).not.toContain(secret);
  });
});

describe('Meta configuration', () => {
  const META = { META_APP_SECRET: APP_SECRET, META_VERIFY_TOKEN: VERIFY_TOKEN, META_ACCESS_TOKEN: ACCESS_TOKEN };
  const refused = (source: Record<string, string>): string => {
    try {
      loadEnv(source);
    } catch (error) {
      if (isOmbudsError(error) && error.code === 'CONFIG_INVALID') return error.message;
      throw error;
    }
    throw new Error('accepted');
  };

  it('is off without the app secret, and mounts one webhook with two channels when configured', () => {
    const off = configuredChannels(loadEnv({}), systemClock);
    expect(off.webhooks.map((webhook) => webhook.path)).not.toContain('/webhooks/meta');
    expect(loadEnv({})).toMatchObject({ META_GRAPH_API_ROOT: 'https://graph.facebook.com', META_GRAPH_API_VERSION: 'v21.0' });
    const on = configuredChannels(loadEnv({ ...META, WEBCHAT_ENABLED: 'false' }), systemClock);
    const webhook = on.webhooks.find((candidate) => candidate.path === '/webhooks/meta');
    expect(webhook?.bodyLimitBytes).toBeGreaterThanOrEqual(3 * 1024 * 1024);
    expect(on.adapters.map((adapter) => adapter.channel)).toEqual(expect.arrayContaining(['whatsapp', 'messenger']));
  });

  it.each(['META_APP_SECRET', 'META_VERIFY_TOKEN', 'META_ACCESS_TOKEN'] as const)('needs %s with the others, and never echoes a secret', (missing) => {
    const { [missing]: _left, ...rest } = META;
    const message = refused(rest);
    expect(message).toContain(missing);
    for (const secret of Object.values(rest)) expect(message).not.toContain(secret);
  });

  it.each([
    ['META_GRAPH_API_VERSION', '21'],
    ['META_GRAPH_API_ROOT', 'graph.facebook.com'],
    ['META_VERIFY_TOKEN', 'short'],
  ])('refuses %s=%s and names it', (name, value) => {
    const message = refused({ ...META, [name]: value });
    expect(message).toContain(name);
    expect(message).not.toContain(APP_SECRET);
    expect(message).not.toContain(ACCESS_TOKEN);
  });
});
