import { Writable } from 'node:stream';
import express from 'express';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ChannelAdapter, RawWebhookRequest } from '../contracts/channel-adapter.js';
import type { InboundMessage, ParseResult } from '../contracts/inbound-message.js';
import type { AcceptResult, Intake } from '../intake/index.js';
import { fixedClock } from '../shared/clock.js';
import { PayloadInvalid, SignatureInvalid, StoreUnavailable } from '../shared/errors.js';
import { createLogger } from '../shared/logger.js';
import { createErrorHandler, notFoundHandler } from './errors.js';
import { buildOpenApiDocument } from './openapi.js';
import { receiveWebhook, webhookChannelRoutes } from './webhook-channel-routes.js';

const AT = new Date('2026-12-01T08:00:00.000Z');
const SECRET = 'let-me-in';

function message(id: string): InboundMessage {
  return {
    channel: 'fakechat',
    channelMessageId: id,
    conversationKey: 'chat-1',
    sender: { id: 'user-1' },
    sentAt: AT,
    receivedAt: AT,
    text: `message ${id}`,
    attachments: [],
    replyAddress: 'chat-1',
    raw: {},
  };
}

/** A channel whose body is `{"items":[…]}` with `m:<id>`, `u:<reason>` or `s:<id>` entries, authenticated by a header. */
function fakeAdapter(seen: RawWebhookRequest[], options: { parseThrows?: Error } = {}): ChannelAdapter {
  return {
    channel: 'fakechat',
    capabilities: { quickReplies: false, typing: false, maxTextLength: 1000, deliveryReceipts: true, dialog: false, reachableLater: true },
    verify(raw) {
      seen.push(raw);
      return raw.headers['x-fake-secret'] === SECRET ? Promise.resolve() : Promise.reject(new SignatureInvalid());
    },
    parse(raw, receivedAt) {
      if (options.parseThrows) throw options.parseThrows;
      let items: unknown;
      try {
        items = (JSON.parse(raw.rawBody.toString('utf8')) as { items?: unknown }).items;
      } catch {
        throw new PayloadInvalid('not JSON');
      }
      if (!Array.isArray(items)) throw new PayloadInvalid('no items');
      return items.map((item): ParseResult => {
        const [kind, value = ''] = String(item).split(':');
        if (kind === 'm') return { kind: 'message', message: { ...message(value), receivedAt } };
        if (kind === 's') return { kind: 'status', channelMessageId: value, status: 'delivered', at: receivedAt };
        return { kind: 'unsupported', reason: value };
      });
    },
    sender: { channel: 'fakechat', send: () => Promise.resolve({ ok: true }) },
  };
}

function fakeIntake(options: { failWith?: Error } = {}): Intake & { accepted: InboundMessage[] } {
  const accepted: InboundMessage[] = [];
  const stored = new Set<string>();
  return {
    accepted,
    accept(inbound): Promise<AcceptResult> {
      if (options.failWith) return Promise.reject(options.failWith);
      accepted.push(inbound);
      const duplicate = stored.has(inbound.channelMessageId);
      stored.add(inbound.channelMessageId);
      return Promise.resolve({ messageId: `id-${inbound.channelMessageId}`, complaintId: null, reference: null, duplicate });
    },
  };
}

describe('webhookChannelRoutes', () => {
  let seen: RawWebhookRequest[];
  let logLines: string[];
  const logger = () =>
    createLogger(
      { level: 'debug' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          logLines.push(chunk.toString('utf8'));
          done();
        },
      }),
    );
  beforeEach(() => {
    seen = [];
    logLines = [];
  });

  const appWith = (adapter: ChannelAdapter, intake: Intake, bodyLimitBytes = 2048) => {
    const app = express();
    const log = logger();
    app.use(webhookChannelRoutes({ path: '/webhooks/fake', adapter, intake, clock: fixedClock(AT), bodyLimitBytes, logger: log }));
    app.use(notFoundHandler);
    // The app-wide limit differs from the route's: the 413 must name the route's own.
    app.use(createErrorHandler({ logger: log, bodyLimitBytes: 999_999 }));
    return app;
  };

  it('verifies the exact bytes, hands every message to intake in order, ignores the rest and answers 200 with an empty body', async () => {
    const intake = fakeIntake();
    const body = '{"items":["m:1","u:sticker","s:9","m:2"]}  ';
    const response = await request(appWith(fakeAdapter(seen), intake))
      .post('/webhooks/fake?x=1')
      .set('X-Fake-Secret', SECRET)
      .set('Content-Type', 'application/json')
      .send(body);
    expect(response.status).toBe(200);
    expect(response.text).toBe('');
    expect(seen).toHaveLength(1);
    expect(seen[0]?.rawBody.toString('utf8')).toBe(body);
    expect(seen[0]).toMatchObject({ method: 'POST', path: '/webhooks/fake?x=1', headers: { 'x-fake-secret': SECRET, 'content-type': 'application/json' } });
    expect(intake.accepted.map((inbound) => inbound.channelMessageId)).toEqual(['1', '2']);
    expect(intake.accepted[0]?.receivedAt).toEqual(AT);
    const ignored = logLines.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => line.msg === 'webhook updates ignored');
    expect(ignored).toMatchObject({ channel: 'fakechat', unsupported: 1, statuses: 1, level: 'debug' });
  });

  it('reads any content type as raw bytes (the adapter decides), and an absent body as empty', async () => {
    const intake = fakeIntake();
    const app = appWith(fakeAdapter(seen), intake);
    const form = await request(app).post('/webhooks/fake').set('X-Fake-Secret', SECRET).set('Content-Type', 'text/plain').send('{"items":["m:3"]}');
    expect(form.status).toBe(200);
    expect(intake.accepted).toHaveLength(1);
    const empty = await request(app).post('/webhooks/fake').set('X-Fake-Secret', SECRET);
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('PAYLOAD_INVALID');
    expect(seen[1]?.rawBody).toEqual(Buffer.alloc(0));
  });

  it('answers a duplicate 200 like the first delivery', async () => {
    const intake = fakeIntake();
    const app = appWith(fakeAdapter(seen), intake);
    for (let delivery = 0; delivery < 2; delivery += 1) {
      const response = await request(app).post('/webhooks/fake').set('X-Fake-Secret', SECRET).send('{"items":["m:7"]}');
      expect(response.status).toBe(200);
    }
    expect(intake.accepted).toHaveLength(2);
    const receipt = await receiveWebhook(
      { adapter: fakeAdapter(seen), intake, logger: logger() },
      { method: 'POST', path: '/webhooks/fake', headers: { 'x-fake-secret': SECRET }, rawBody: Buffer.from('{"items":["m:7","m:8","u:join"]}') },
      AT,
    );
    expect(receipt).toEqual({ accepted: 2, duplicates: 1, unsupported: 1, statuses: 0 });
  });

  it('shows "typing…" for each new message on a channel that can, and records delivery receipts', async () => {
    const typing: string[] = [];
    const receipts: unknown[] = [];
    const base = fakeAdapter(seen);
    const adapter: ChannelAdapter = {
      ...base,
      capabilities: { ...base.capabilities, typing: true },
      sender: {
        ...base.sender,
        sendTyping: (address) => {
          typing.push(address);
          return Promise.resolve({ ok: true });
        },
      },
    };
    const raw = (body: string) => ({ method: 'POST', path: '/webhooks/fake', headers: { 'x-fake-secret': SECRET }, rawBody: Buffer.from(body) });
    const onReceipt = (receipt: unknown) => Promise.resolve(void receipts.push(receipt));
    const intake = fakeIntake();
    await receiveWebhook({ adapter, intake, logger: logger(), onReceipt }, raw('{"items":["m:21","m:21","s:vendor-9"]}'), AT);
    // The duplicate shows nothing; the receipt names the vendor's message id.
    expect(typing).toEqual(['chat-1']);
    expect(receipts).toEqual([{ channel: 'fakechat', vendorMessageId: 'vendor-9', status: 'delivered', at: AT }]);
    // A channel without typing, or a sender that fails, never fails the webhook.
    const failing: ChannelAdapter = { ...adapter, sender: { ...base.sender, sendTyping: () => Promise.reject(new Error('vendor down')) } };
    const receipt = await receiveWebhook({ adapter: failing, intake, logger: logger() }, raw('{"items":["m:22"]}'), AT);
    expect(receipt.accepted).toBe(1);
    await receiveWebhook({ adapter: base, intake, logger: logger() }, raw('{"items":["m:23"]}'), AT);
    expect(typing).toEqual(['chat-1']);
  });

  it('answers the vendor’s subscription check on GET and the success body the vendor expects', async () => {
    const base = fakeAdapter(seen);
    const adapter: ChannelAdapter = {
      ...base,
      challenge: (raw) => {
        const query = new URL(raw.path, 'http://x').searchParams;
        return query.get('token') === SECRET ? Promise.resolve(query.get('challenge') ?? '') : Promise.reject(new SignatureInvalid());
      },
      acknowledgement: { contentType: 'text/plain', body: 'success' },
    };
    const app = appWith(adapter, fakeIntake());
    const ok = await request(app).get(`/webhooks/fake?token=${SECRET}&challenge=12345`);
    expect([ok.status, ok.text]).toEqual([200, '12345']);
    expect((await request(app).get('/webhooks/fake?token=wrong&challenge=1')).status).toBe(401);
    const posted = await request(app).post('/webhooks/fake').set('X-Fake-Secret', SECRET).send('{"items":["m:31"]}');
    expect([posted.status, posted.text, posted.type]).toEqual([200, 'success', 'text/plain']);
    // Without a challenge the GET is not mounted.
    expect((await request(appWith(base, fakeIntake())).get('/webhooks/fake')).status).toBe(404);
  });

  it('refuses an unauthentic request with 401 and the adapter’s code, before parsing, storing nothing', async () => {
    const intake = fakeIntake();
    const adapter = fakeAdapter(seen, { parseThrows: new Error('parse must not run') });
    for (const secret of ['wrong', undefined]) {
      const call = request(appWith(adapter, intake)).post('/webhooks/fake').send('{"items":["m:1"]}');
      const response = await (secret === undefined ? call : call.set('X-Fake-Secret', secret));
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe('SIGNATURE_INVALID');
    }
    expect(intake.accepted).toEqual([]);
  });

  it('answers garbage 400 PAYLOAD_INVALID, also when the adapter fails unexpectedly, never a 5xx', async () => {
    const intake = fakeIntake();
    const garbage = await request(appWith(fakeAdapter(seen), intake)).post('/webhooks/fake').set('X-Fake-Secret', SECRET).send('<xml>');
    expect(garbage.status).toBe(400);
    expect(garbage.body.error.code).toBe('PAYLOAD_INVALID');
    const buggy = await request(appWith(fakeAdapter(seen, { parseThrows: new TypeError('cannot read x of undefined') }), intake))
      .post('/webhooks/fake')
      .set('X-Fake-Secret', SECRET)
      .send('{}');
    expect(buggy.status).toBe(400);
    expect(buggy.body.error).toEqual({ code: 'PAYLOAD_INVALID', message: 'The fakechat payload could not be parsed.' });
    expect(intake.accepted).toEqual([]);
  });

  it('answers 413 beyond the route’s own limit, naming it, without verifying', async () => {
    const intake = fakeIntake();
    const response = await request(appWith(fakeAdapter(seen), intake, 1024))
      .post('/webhooks/fake')
      .set('X-Fake-Secret', SECRET)
      .send(`{"items":["m:1"],"pad":"${'x'.repeat(2000)}"}`);
    expect(response.status).toBe(413);
    expect(response.body.error).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: 'The request body exceeds the limit of 1024 bytes.' });
    expect(seen).toEqual([]);
    expect(intake.accepted).toEqual([]);
  });

  it('answers a store outage 503 with Retry-After, so the vendor redelivers', async () => {
    const response = await request(appWith(fakeAdapter(seen), fakeIntake({ failWith: new StoreUnavailable() })))
      .post('/webhooks/fake')
      .set('X-Fake-Secret', SECRET)
      .send('{"items":["m:1"]}');
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.body.error.code).toBe('STORE_UNAVAILABLE');
  });

  it('answers other methods and paths as not found', async () => {
    const app = appWith(fakeAdapter(seen), fakeIntake());
    expect((await request(app).get('/webhooks/fake')).status).toBe(404);
    expect((await request(app).post('/webhooks/other').set('X-Fake-Secret', SECRET).send('{"items":[]}')).status).toBe(404);
    expect(seen).toEqual([]);
  });

  it('is documented in the OpenAPI document only when mounted, with every answer described', () => {
    expect(Object.keys(buildOpenApiDocument({ version: '1' }).paths as object)).not.toContain('/webhooks/telegram');
    const document = buildOpenApiDocument({
      version: '1',
      webhookChannels: [
        { channel: 'telegram', path: '/webhooks/telegram', bodyLimitBytes: 1_048_576 },
        { channel: 'botframework', path: '/api/messages', bodyLimitBytes: 262_144 },
        { channel: 'fake_chat', path: '/webhooks/fake', bodyLimitBytes: 1024 },
      ],
    });
    const paths = document.paths as Record<string, { post?: { operationId?: string; responses?: Record<string, { description?: string; content?: unknown }> } }>;
    const schemas = (document.components as { schemas: Record<string, unknown> }).schemas;
    expect(['/webhooks/telegram', '/api/messages', '/webhooks/fake'].map((path) => paths[path]?.post?.operationId)).toEqual([
      'receiveTelegramWebhook',
      'receiveBotframeworkWebhook',
      'receiveFakeChatWebhook',
    ]);
    for (const path of ['/webhooks/telegram', '/api/messages', '/webhooks/fake']) {
      const responses = paths[path]?.post?.responses ?? {};
      expect(Object.keys(responses).sort()).toEqual(['200', '400', '401', '413', '503']);
      for (const answer of Object.values(responses)) expect(answer.description).not.toBe('');
      expect(responses['401']?.content).toEqual({ 'application/json': { schema: { $ref: '#/components/schemas/Error' } } });
    }
    expect(schemas).toHaveProperty('Error');
    expect(JSON.stringify(paths['/webhooks/telegram'])).toContain('1048576 bytes');
  });
});
