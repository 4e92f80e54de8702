/**
 * Property tests of `POST /webhooks/sms/twilio` and `POST /webhooks/sms/vonage` over real HTTP (a whole embedded
 * Ombuds listening on a port, called with `fetch`, which sends the exact bytes): random bodies — bytes, text in other
 * encodings, JSON, forms of Twilio's and Vonage's parameters with random values, concatenated parts with random
 * numbers — under random headers (content types, signatures missing, malformed, for another body, URL or secret).
 *
 * - Unverified requests never get a 2xx, never a 5xx, and store nothing (no message, no message part).
 * - Correctly signed requests get 200 (stored, waiting as a part, counted or ignored) or a 400, never a 5xx.
 * - No request leaves an unhandled rejection behind.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signTwilio } from '../support/fake-twilio.js';
import { signVonage } from '../support/fake-vonage.js';
import { startHarness, type Harness } from '../support/ombuds-harness.js';

const RUNS = 120;
const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const AUTH_TOKEN = 'abcdef0123456789abcdef0123456789';
const PUBLIC_BASE_URL = 'https://complaints.bank.example';
const TWILIO_URL = `${PUBLIC_BASE_URL}/webhooks/sms/twilio`;
const VONAGE_SECRET = 'property-vonage-secret-0123456789';

const printable = (maxLength: number) => fc.stringMatching(new RegExp(`^[ -~]{0,${String(maxLength)}}$`));
const anyValue = fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 80 }), printable(20), fc.stringMatching(/^\+?\d{1,16}$/));
const mostly = (shaped: fc.Arbitrary<string>): fc.Arbitrary<string> => fc.oneof({ arbitrary: shaped, weight: 4 }, { arbitrary: anyValue, weight: 1 });

/** Twilio's inbound and status-callback parameters, mostly well-formed. */
const twilioParams = fc.record(
  {
    MessageSid: mostly(fc.stringMatching(/^(SM|MM)[0-9a-f]{32}$/)),
    AccountSid: mostly(fc.constant(ACCOUNT_SID)),
    From: mostly(fc.stringMatching(/^(whatsapp:)?\+[1-9]\d{6,14}$/)),
    To: mostly(fc.stringMatching(/^\+[1-9]\d{6,14}$/)),
    MessagingServiceSid: mostly(fc.stringMatching(/^MG[0-9a-f]{32}$/)),
    Body: fc.string({ unit: 'binary', maxLength: 400 }),
    NumMedia: mostly(fc.stringMatching(/^\d{1,2}$/)),
    MediaUrl0: mostly(fc.webUrl()),
    MediaContentType0: mostly(fc.constantFrom('image/jpeg', 'application/pdf', 'text/vcard', 'video/mp4')),
    MediaUrl9: fc.string({ maxLength: 3000 }),
    SmsStatus: mostly(fc.constantFrom('received', 'delivered', 'undelivered', 'queued', 'sent')),
    MessageStatus: mostly(fc.constantFrom('received', 'delivered', 'read', 'failed', 'accepted')),
    ProfileName: fc.string({ unit: 'binary', maxLength: 300 }),
  },
  { requiredKeys: [] },
);

/** Vonage's inbound, part and receipt parameters, mostly well-formed. */
const vonageParams = fc.record(
  {
    messageId: mostly(fc.stringMatching(/^[0-9A-F]{16}$/)),
    msisdn: mostly(fc.stringMatching(/^[1-9]\d{6,14}$/)),
    to: mostly(fc.stringMatching(/^[1-9]\d{6,14}$/)),
    text: fc.string({ unit: 'binary', maxLength: 400 }),
    type: mostly(fc.constantFrom('text', 'unicode', 'binary')),
    'message-timestamp': mostly(fc.date({ noInvalidDate: true }).map((date) => date.toISOString().slice(0, 19).replace('T', ' '))),
    concat: mostly(fc.constantFrom('true', 'false')),
    'concat-ref': mostly(fc.stringMatching(/^\d{1,3}$/)),
    'concat-part': mostly(fc.stringMatching(/^\d{1,3}$/)),
    'concat-total': mostly(fc.stringMatching(/^\d{1,3}$/)),
    status: mostly(fc.constantFrom('delivered', 'failed', 'accepted', 'unknown')),
    data: fc.stringMatching(/^[0-9a-f]{0,40}$/),
  },
  { requiredKeys: [] },
);

const form = (params: Record<string, string>): Buffer => Buffer.from(new URLSearchParams(params).toString(), 'utf8');

const randomBytes: fc.Arbitrary<Buffer> = fc.oneof(
  fc.uint8Array({ maxLength: 2048 }).map((bytes) => Buffer.from(bytes)),
  fc.string({ maxLength: 500 }).map((text) => Buffer.from(text, 'utf8')),
  fc.string({ unit: 'binary', maxLength: 200 }).map((text) => Buffer.from(text, 'latin1')),
  fc.jsonValue({ maxDepth: 3 }).map((value) => Buffer.from(JSON.stringify(value), 'utf8')),
);
const twilioBody: fc.Arbitrary<Buffer> = fc.oneof(
  { arbitrary: twilioParams.map(form), weight: 4 },
  { arbitrary: twilioParams.map((params) => Buffer.from(new URLSearchParams(params).toString(), 'utf16le')), weight: 1 },
  { arbitrary: randomBytes, weight: 2 },
);
const vonageBody: fc.Arbitrary<Buffer> = fc.oneof(
  { arbitrary: vonageParams.map((params) => Buffer.from(JSON.stringify(params), 'utf8')), weight: 3 },
  { arbitrary: vonageParams.map(form), weight: 2 },
  { arbitrary: randomBytes, weight: 2 },
);

const contentType = fc.constantFrom('application/x-www-form-urlencoded', 'application/json', 'text/plain', 'text/xml', 'application/octet-stream', undefined);
const extraHeaders = fc.dictionary(fc.stringMatching(/^x-[a-z]{1,12}$/), printable(40), { maxKeys: 3 });

/** The body's parameters as the adapters read them (form or JSON object of primitives); null when unreadable. */
function paramsOf(bytes: Buffer): Record<string, string> | null {
  const text = bytes.toString('utf8');
  if (Buffer.compare(Buffer.from(text, 'utf8'), bytes) !== 0) return null;
  try {
    const json = JSON.parse(text) as unknown;
    if (typeof json === 'object' && json !== null && !Array.isArray(json) && Object.values(json).every((value) => typeof value === 'string')) return json as Record<string, string>;
  } catch {
    // not JSON: a form
  }
  return Object.fromEntries(new URLSearchParams(text));
}

/** Vonage parameters with a fresh timestamp and `sig`, as the body Vonage would send. */
function signedVonage(params: Record<string, string>, format: 'json' | 'form', secret = VONAGE_SECRET): Buffer {
  const withTime = { ...params, timestamp: String(Math.floor(Date.now() / 1000)) };
  const signed = { ...withTime, sig: signVonage(withTime, secret, 'md5hash') };
  return format === 'json' ? Buffer.from(JSON.stringify(signed), 'utf8') : form(signed);
}

describe('POST /webhooks/sms/* under random input (embedded Ombuds, real HTTP)', () => {
  let harness: Harness;
  let url: string;
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown): void => {
    rejections.push(reason);
  };

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    // No workers: what is stored stays as the webhook wrote it.
    harness = await startHarness('embedded', {
      workers: false,
      env: {
        TWILIO_ACCOUNT_SID: ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        TWILIO_PUBLIC_BASE_URL: PUBLIC_BASE_URL,
        TWILIO_API_ROOT: 'http://127.0.0.1:9',
        VONAGE_SIGNATURE_SECRET: VONAGE_SECRET,
        VONAGE_API_KEY: 'property1',
        VONAGE_API_SECRET: 'property-api-secret',
        VONAGE_API_ROOT: 'http://127.0.0.1:9',
      },
    });
    url = await harness.ombuds.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await harness.close();
    process.off('unhandledRejection', onRejection);
  });

  const stored = async (): Promise<number> => {
    const result = await harness.ombuds.database.query<{ n: number }>(`SELECT ((SELECT count(*) FROM messages) + (SELECT count(*) FROM message_parts))::int AS n`);
    return result.rows[0]?.n ?? -1;
  };

  const send = async (path: string, bytes: Buffer, headers: Record<string, string | undefined>): Promise<{ status: number; body: { error?: { code?: string } } }> => {
    const present = Object.fromEntries(Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined));
    const response = await fetch(`${url}${path}`, { method: 'POST', headers: present, body: new Uint8Array(bytes) });
    const text = await response.text();
    let parsed: { error?: { code?: string } } = {};
    try {
      parsed = JSON.parse(text) as { error?: { code?: string } };
    } catch {
      // an empty 200, or TwiML
    }
    return { status: response.status, body: parsed };
  };

  /** A Twilio signature that must not verify for `bytes`. */
  const wrongTwilioSignature = (bytes: Buffer): fc.Arbitrary<string | undefined> =>
    fc.oneof(
      fc.constant(undefined),
      printable(60),
      fc.stringMatching(/^[A-Za-z0-9+/]{27}=$/),
      fc.constant(signTwilio(`${AUTH_TOKEN.slice(1)}0`, TWILIO_URL, bytes.toString('utf8'))),
      fc.constant(signTwilio(AUTH_TOKEN, 'http://127.0.0.1/webhooks/sms/twilio', bytes.toString('utf8'))),
      fc.constant(signTwilio(AUTH_TOKEN, TWILIO_URL, `${bytes.toString('utf8')}&Extra=1`)),
    );

  it('refuses every unverified Twilio request with a 4xx and stores nothing', async () => {
    const before = await stored();
    await fc.assert(
      fc.asyncProperty(
        twilioBody.chain((bytes) => fc.record({ bytes: fc.constant(bytes), signature: wrongTwilioSignature(bytes), type: contentType, extra: extraHeaders })),
        async ({ bytes, signature, type, extra }) => {
          const response = await send('/webhooks/sms/twilio', bytes, { ...extra, 'content-type': type, 'x-twilio-signature': signature });
          expect(response.status).toBeGreaterThanOrEqual(400);
          expect(response.status).toBeLessThan(500);
          expect(await stored()).toBe(before);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('refuses every unverified Vonage request with a 4xx and stores nothing', async () => {
    const before = await stored();
    const unverified = fc.oneof(
      vonageBody,
      // Signed, then changed: another secret, a value changed after signing, a stale timestamp.
      vonageParams.map((params) => signedVonage(params, 'json', 'another-secret-0123456789abcdef')),
      vonageParams.map((params) => Buffer.from(signedVonage(params, 'json').toString('utf8').replace('"messageId":"', '"messageId":"0'), 'utf8')),
      vonageParams.map((params) => {
        const stale = { ...params, timestamp: String(Math.floor(Date.now() / 1000) - 3 * 86_400) };
        return Buffer.from(JSON.stringify({ ...stale, sig: signVonage(stale, VONAGE_SECRET, 'md5hash') }), 'utf8');
      }),
    );
    await fc.assert(
      fc.asyncProperty(unverified, contentType, extraHeaders, async (bytes, type, extra) => {
        // Skip the (rare) case where the change left a valid, fresh signature in place (no messageId to change).
        const params = paramsOf(bytes);
        const validSignature = params?.sig !== undefined && params.sig === signVonage(params, VONAGE_SECRET, 'md5hash');
        const fresh = Math.abs(Date.now() - Number(params?.timestamp) * 1000) < 86_400_000;
        fc.pre(!(validSignature && fresh));
        const response = await send('/webhooks/sms/vonage', bytes, { ...extra, 'content-type': type });
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        expect(await stored()).toBe(before);
      }),
      { numRuns: RUNS },
    );
  });

  it('answers every correctly signed request with 200 or a 400, never a 5xx', async () => {
    const statuses = new Map<string, number>();
    const count = (key: string): void => {
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
    };
    await fc.assert(
      fc.asyncProperty(twilioBody, contentType, extraHeaders, async (bytes, type, extra) => {
        const response = await send('/webhooks/sms/twilio', bytes, { ...extra, 'content-type': type, 'x-twilio-signature': signTwilio(AUTH_TOKEN, TWILIO_URL, bytes.toString('utf8')) });
        count(`twilio ${String(response.status)}`);
        expect([200, 400, 401]).toContain(response.status);
        // 401 only where the body is not UTF-8 (then it cannot be the form Twilio signed).
        if (response.status === 401) expect(paramsOf(bytes)).toBeNull();
        if (response.status !== 200) expect(response.body.error?.code).toMatch(/^[A-Z_]+$/);
      }),
      { numRuns: RUNS },
    );
    await fc.assert(
      fc.asyncProperty(vonageParams, fc.constantFrom('json', 'form' as const), contentType, async (params, format, type) => {
        const bytes = signedVonage(params, format);
        const response = await send('/webhooks/sms/vonage', bytes, { 'content-type': format === 'json' ? 'application/json' : (type ?? 'application/x-www-form-urlencoded') });
        count(`vonage ${String(response.status)}`);
        expect([200, 400]).toContain(response.status);
        if (response.status !== 200) expect(response.body.error?.code).toBe('PAYLOAD_INVALID');
      }),
      { numRuns: RUNS },
    );
    // The generators reach both sides on both channels: accepted payloads and refused garbage.
    for (const key of ['twilio 200', 'twilio 400', 'vonage 200', 'vonage 400']) expect(statuses.get(key), key).toBeGreaterThan(0);
  });

  it('left no unhandled rejection behind', () => {
    expect(rejections).toEqual([]);
  });
});
