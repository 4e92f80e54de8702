/**
 * Property tests of `POST /webhooks/meta` over real HTTP (a whole embedded Ombuds listening on a port, called with
 * `fetch`, which sends the exact bytes — supertest re-serialises an empty Buffer under a JSON content type): random
 * bodies — bytes, JSON, text in other encodings, Meta-shaped envelopes with random items — under random headers
 * (content types, a content encoding, signatures missing, malformed, for another body, for another secret).
 *
 * - Unverified requests never get a 2xx, never a 5xx, and store nothing.
 * - Correctly signed requests get 200 (stored, ignored or counted) or a 4xx for garbage, never a 5xx.
 * - No request leaves an unhandled rejection behind.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metaSignature } from '../../src/adapters/meta/index.js';
import { metaJson } from '../support/fake-meta.js';
import { startHarness, type Harness } from '../support/ombuds-harness.js';

const APP_SECRET = 'property-meta-app-secret-0123456789';
const RUNS = 120;

const printable = (maxLength: number) => fc.stringMatching(new RegExp(`^[ -~]{0,${String(maxLength)}}$`));

/** Values Meta's items are made of, mixed with anything. */
const field = fc.oneof(fc.string({ maxLength: 40 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 2 }));
/** Mostly the documented shape, sometimes anything. */
const mostly = <T>(shaped: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ arbitrary: shaped, weight: 4 }, { arbitrary: field, weight: 1 });

const digits = fc.stringMatching(/^\d{1,20}$/);

const whatsAppMessage = fc.record(
  {
    id: mostly(fc.string({ maxLength: 300 })),
    from: mostly(digits),
    from_user_id: mostly(fc.constant('US.1234')),
    timestamp: mostly(fc.stringMatching(/^\d{1,17}$/)),
    type: mostly(fc.constantFrom('text', 'image', 'voice', 'document', 'interactive', 'button', 'location', 'reaction', 'sticker', 'unknown')),
    text: mostly(fc.record({ body: fc.string({ maxLength: 200 }) })),
    image: mostly(fc.record({ id: fc.string({ maxLength: 600 }), mime_type: fc.string({ maxLength: 200 }) })),
    interactive: mostly(fc.record({ type: fc.constantFrom('button_reply', 'list_reply', 'nfm_reply'), button_reply: fc.record({ id: fc.string(), title: fc.string() }) })),
    location: mostly(fc.record({ latitude: fc.double(), longitude: fc.double() })),
  },
  { requiredKeys: ['id', 'type', 'timestamp'] },
);

const whatsAppValue = fc.record(
  {
    messaging_product: fc.constant('whatsapp'),
    metadata: mostly(fc.record({ phone_number_id: fc.oneof(digits, fc.string()) })),
    contacts: mostly(fc.array(fc.record({ wa_id: mostly(digits), user_id: field, profile: fc.record({ name: fc.string(), username: field }, { requiredKeys: [] }) }, { requiredKeys: [] }), { maxLength: 3 })),
    messages: mostly(fc.array(whatsAppMessage, { maxLength: 4 })),
    statuses: mostly(fc.array(fc.record({ id: mostly(fc.string()), status: mostly(fc.constantFrom('sent', 'delivered', 'read', 'failed', 'deleted')), timestamp: mostly(digits) }, { requiredKeys: [] }), { maxLength: 3 })),
  },
  { requiredKeys: [] },
);

const messengerEvent = fc.record(
  {
    sender: mostly(fc.record({ id: fc.oneof(digits, fc.string()) })),
    recipient: mostly(fc.record({ id: digits })),
    timestamp: mostly(fc.nat()),
    message: mostly(
      fc.record(
        {
          mid: fc.string({ maxLength: 300 }),
          text: fc.string({ maxLength: 200 }),
          is_echo: fc.boolean(),
          quick_reply: fc.record({ payload: fc.string() }),
          attachments: fc.array(fc.record({ type: fc.string(), payload: mostly(fc.record({ url: fc.string({ maxLength: 3000 }) })) }), { maxLength: 25 }),
        },
        { requiredKeys: ['mid'] },
      ),
    ),
    postback: mostly(fc.record({ mid: fc.string(), payload: fc.string(), title: fc.string() }, { requiredKeys: [] })),
    delivery: field,
  },
  { requiredKeys: ['sender', 'recipient'] },
);

const whatsAppEntry = fc.record({ id: field, changes: mostly(fc.array(fc.record({ field: mostly(fc.constant('messages')), value: mostly(whatsAppValue) }, { requiredKeys: ['value'] }), { maxLength: 3 })) }, { requiredKeys: ['changes'] });
const messengerEntry = fc.record({ id: field, time: field, messaging: mostly(fc.array(messengerEvent, { maxLength: 4 })) }, { requiredKeys: ['messaging'] });

const envelope = fc.oneof(
  fc.record({ object: fc.constant('whatsapp_business_account'), entry: mostly(fc.array(whatsAppEntry, { maxLength: 3 })) }),
  fc.record({ object: fc.constant('page'), entry: mostly(fc.array(messengerEntry, { maxLength: 3 })) }),
  fc.record({ object: mostly(fc.constantFrom('instagram', 'user', 'page')), entry: mostly(fc.array(fc.oneof(whatsAppEntry, messengerEntry), { maxLength: 3 })) }, { requiredKeys: [] }),
);

const body: fc.Arbitrary<Buffer> = fc.oneof(
  { arbitrary: envelope.map((value) => Buffer.from(metaJson(value), 'utf8')), weight: 4 },
  { arbitrary: envelope.map((value) => Buffer.from(JSON.stringify(value), 'utf8')), weight: 2 },
  fc.jsonValue({ maxDepth: 4 }).map((value) => Buffer.from(JSON.stringify(value), 'utf8')),
  fc.uint8Array({ maxLength: 2048 }).map((bytes) => Buffer.from(bytes)),
  fc.string({ maxLength: 500 }).map((text) => Buffer.from(text, 'utf8')),
  envelope.map((value) => Buffer.from(JSON.stringify(value), 'utf16le')),
  fc.string({ unit: 'binary', maxLength: 200 }).map((text) => Buffer.from(text, 'latin1')),
);

const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream', 'multipart/form-data; boundary=x', undefined);
const contentEncoding = fc.constantFrom(undefined, undefined, undefined, 'gzip', 'identity');
const extraHeaders = fc.dictionary(fc.stringMatching(/^x-[a-z]{1,12}$/), printable(40), { maxKeys: 3 });

/** A signature that must not verify for `bytes`. */
function wrongSignature(bytes: Buffer): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    fc.constant(undefined),
    printable(100),
    fc.stringMatching(/^[0-9a-f]{64}$/).map((hex) => `sha256=${hex}`),
    fc.constant(metaSignature(bytes, `${APP_SECRET}-other`)),
    fc.constant(metaSignature(Buffer.concat([bytes, Buffer.from(' ')]), APP_SECRET)),
    fc.constant(`sha1=${metaSignature(bytes, APP_SECRET).slice(7, 47)}`),
  );
}

describe('POST /webhooks/meta under random input (embedded Ombuds, real HTTP)', () => {
  let harness: Harness;
  let url: string;
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown): void => {
    rejections.push(reason);
  };

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    // No workers: what is stored stays pending, so the properties see exactly what the webhook wrote.
    harness = await startHarness('embedded', {
      workers: false,
      env: { META_APP_SECRET: APP_SECRET, META_VERIFY_TOKEN: 'property-verify-token', META_ACCESS_TOKEN: 'property-access-token', META_GRAPH_API_ROOT: 'http://127.0.0.1:9' },
    });
    url = await harness.ombuds.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await harness.close();
    process.off('unhandledRejection', onRejection);
  });

  const stored = async (): Promise<number> => {
    const result = await harness.ombuds.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages`);
    return result.rows[0]?.n ?? -1;
  };

  const send = async (bytes: Buffer, headers: Record<string, string | undefined>): Promise<{ status: number; body: { error?: { code?: string } } }> => {
    const present = Object.fromEntries(Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined));
    const response = await fetch(`${url}/webhooks/meta`, { method: 'POST', headers: present, body: new Uint8Array(bytes) });
    const text = await response.text();
    let parsed: { error?: { code?: string } } = {};
    try {
      parsed = JSON.parse(text) as { error?: { code?: string } };
    } catch {
      // an empty 200
    }
    return { status: response.status, body: parsed };
  };

  it('refuses every unverified request with a 4xx and stores nothing', async () => {
    const before = await stored();
    await fc.assert(
      fc.asyncProperty(
        body.chain((bytes) => fc.record({ bytes: fc.constant(bytes), signature: wrongSignature(bytes), type: contentType, encoding: contentEncoding, extra: extraHeaders })),
        async ({ bytes, signature, type, encoding, extra }) => {
          const response = await send(bytes, { ...extra, 'content-type': type, 'content-encoding': encoding, 'x-hub-signature-256': signature });
          expect(response.status).toBeGreaterThanOrEqual(400);
          expect(response.status).toBeLessThan(500);
          expect(await stored()).toBe(before);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('answers every correctly signed request with 200 or a 4xx, never a 5xx', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(body, contentType, contentEncoding, extraHeaders, async (bytes, type, encoding, extra) => {
        const response = await send(bytes, { ...extra, 'content-type': type, 'content-encoding': encoding, 'x-hub-signature-256': metaSignature(bytes, APP_SECRET) });
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        expect(response.status).toBeLessThan(500);
        expect([200, 400, 415]).toContain(response.status);
        if (response.status !== 200) expect(response.body.error?.code).toMatch(/^[A-Z_]+$/);
      }),
      { numRuns: RUNS },
    );
    // The generators reach both sides: accepted payloads and refused garbage.
    expect(statuses.get(200)).toBeGreaterThan(0);
    expect(statuses.get(400)).toBeGreaterThan(0);
  });

  it('stores every signed, well-formed message whatever its text, ids and names (any Unicode, control characters included)', async () => {
    const anyText = fc.string({ unit: 'binary', minLength: 1, maxLength: 300 }).filter((text) => text.split('\u0000').join('').trim() !== '');
    await fc.assert(
      fc.asyncProperty(fc.uuid(), anyText, fc.string({ unit: 'binary', maxLength: 60 }), fc.stringMatching(/^[1-9]\d{5,14}$/), fc.boolean(), async (id, text, name, from, messenger) => {
        const before = await stored();
        const payload = messenger
          ? { object: 'page', entry: [{ id: '1234567890', time: 1, messaging: [{ sender: { id: from }, recipient: { id: '1234567890' }, timestamp: 1_764_000_000_000, message: { mid: `m_${id}`, text } }] }] }
          : {
              object: 'whatsapp_business_account',
              entry: [{ id: '1', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { phone_number_id: '1234567890' }, contacts: [{ profile: { name }, wa_id: from }], messages: [{ from, id: `wamid.${id}`, timestamp: '1764000000', type: 'text', text: { body: text } }] } }] }],
            };
        const bytes = Buffer.from(metaJson(payload), 'utf8');
        const response = await send(bytes, { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature(bytes, APP_SECRET) });
        expect(response.status).toBe(200);
        expect(await stored()).toBe(before + 1);
      }),
      { numRuns: RUNS },
    );
  });

  it('left no unhandled rejection behind', () => {
    expect(rejections).toEqual([]);
  });
});
