/**
 * The contract every channel adapter passes (STYLE.md practice 10): valid fixtures verify and parse, messages fit
 * the InboundMessage contract, bad signatures are refused with a 401 OmbudsError, garbage never throws anything but
 * PayloadInvalid (400), parsing is pure, and the sender belongs to the channel. Each adapter's
 * `<channel>.contract.test.ts` calls `runAdapterContract` with its own fixtures and signing.
 */
import { describe, expect, it } from 'vitest';
import type { ChannelAdapter, RawWebhookRequest } from '../../src/contracts/channel-adapter.js';
import { ChannelName, InboundMessage, type ParseResult } from '../../src/contracts/inbound-message.js';
import { isOmbudsError } from '../../src/shared/errors.js';

export interface AdapterContractOptions {
  /** Shown in the describe block. */
  name: string;
  createAdapter: () => ChannelAdapter;
  /** Every fixture of the channel, correctly signed. */
  validRequests: () => RawWebhookRequest[];
  /** A copy (or copies) of `request` whose signature is wrong or missing (called once per valid request). */
  unsign: (request: RawWebhookRequest) => RawWebhookRequest | RawWebhookRequest[];
  /** A correctly signed request around any body: the garbage bodies are sent this way, so verification passes. */
  signBody: (body: Buffer) => RawWebhookRequest;
  /** More bodies the channel must refuse, beyond the standard garbage. */
  extraGarbage?: { name: string; body: Buffer }[];
  /** The receipt time handed to parse. */
  receivedAt?: Date;
}

const RECEIVED_AT = new Date('2026-12-01T08:00:00.000Z');

/** Bodies no channel may accept. */
export function standardGarbage(): { name: string; body: Buffer }[] {
  let seed = 7;
  const random = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed;
  };
  const binary = Buffer.alloc(4096);
  for (let index = 0; index < binary.length; index += 1) binary[index] = random() % 256;
  binary[0] = 0xff; // never valid UTF-8 at the start
  return [
    { name: 'empty', body: Buffer.alloc(0) },
    { name: 'truncated JSON', body: Buffer.from('{') },
    { name: 'null', body: Buffer.from('null') },
    { name: 'empty array', body: Buffer.from('[]') },
    { name: 'empty object', body: Buffer.from('{}') },
    { name: 'a number', body: Buffer.from('42') },
    { name: 'a string', body: Buffer.from('"hello"') },
    { name: '1 MB of junk', body: Buffer.from('junk '.repeat(209_716), 'utf8') },
    { name: 'binary', body: binary },
  ];
}

function copyOf(request: RawWebhookRequest): RawWebhookRequest {
  return { ...request, headers: { ...request.headers }, rawBody: Buffer.from(request.rawBody) };
}

function expectPayloadInvalid(run: () => unknown): void {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, 'parse must throw PayloadInvalid').toBeDefined();
  expect(isOmbudsError(thrown), `threw a non-Ombuds error: ${String(thrown)}`).toBe(true);
  expect(thrown).toMatchObject({ code: 'PAYLOAD_INVALID', httpStatus: 400 });
}

function checkResult(result: ParseResult, adapter: ChannelAdapter, receivedAt: Date): void {
  if (result.kind === 'message') {
    const checked = InboundMessage.safeParse(result.message);
    expect(checked.success, checked.success ? '' : JSON.stringify(checked.error.issues)).toBe(true);
    expect(result.message.channel).toBe(adapter.channel);
    expect(result.message.receivedAt.getTime()).toBe(receivedAt.getTime());
    expect(result.message.sentAt.getTime()).toBeLessThanOrEqual(receivedAt.getTime());
  } else if (result.kind === 'status') {
    expect(result.channelMessageId.length).toBeGreaterThan(0);
    expect(Number.isNaN(result.at.getTime())).toBe(false);
  } else {
    expect(result.reason.length).toBeGreaterThan(0);
  }
}

export function runAdapterContract(options: AdapterContractOptions): void {
  const receivedAt = options.receivedAt ?? RECEIVED_AT;

  describe(`${options.name}: channel adapter contract`, () => {
    it('names its channel and declares sane capabilities; its sender is for the same channel', () => {
      const adapter = options.createAdapter();
      expect(ChannelName.safeParse(adapter.channel).success).toBe(true);
      expect(Number.isInteger(adapter.capabilities.maxTextLength)).toBe(true);
      expect(adapter.capabilities.maxTextLength).toBeGreaterThan(0);
      expect(typeof adapter.capabilities.quickReplies).toBe('boolean');
      expect(typeof adapter.capabilities.typing).toBe('boolean');
      expect(typeof adapter.capabilities.deliveryReceipts).toBe('boolean');
      expect(adapter.sender.channel).toBe(adapter.channel);
      expect(typeof adapter.sender.send).toBe('function');
    });

    it('has fixtures to check', () => {
      expect(options.validRequests().length).toBeGreaterThan(0);
    });

    it('verifies every fixture and parses it into valid results', async () => {
      const adapter = options.createAdapter();
      for (const request of options.validRequests()) {
        await expect(adapter.verify(request)).resolves.toBeUndefined();
        const results = adapter.parse(request, receivedAt);
        expect(results.length).toBeGreaterThan(0);
        for (const result of results) checkResult(result, adapter, receivedAt);
      }
    });

    it('parses purely: the same request gives the same results and is left unchanged', () => {
      const adapter = options.createAdapter();
      for (const request of options.validRequests()) {
        const before = copyOf(request);
        const first = adapter.parse(request, receivedAt);
        const second = adapter.parse(copyOf(request), receivedAt);
        expect(second).toEqual(first);
        expect(request).toEqual(before);
      }
    });

    it('refuses every unsigned or wrongly signed copy with a 401 OmbudsError', async () => {
      const adapter = options.createAdapter();
      for (const request of options.validRequests()) {
        const unsigned = options.unsign(copyOf(request));
        const copies = Array.isArray(unsigned) ? unsigned : [unsigned];
        expect(copies.length).toBeGreaterThan(0);
        for (const copy of copies) {
          const error: unknown = await adapter.verify(copy).then(
            () => undefined,
            (reason: unknown) => reason,
          );
          expect(isOmbudsError(error), `verify accepted or threw a non-Ombuds error: ${String(error)}`).toBe(true);
          expect(error).toMatchObject({ httpStatus: 401, code: expect.stringMatching(/^(SIGNATURE_INVALID|UNAUTHENTICATED)$/) });
        }
      }
    });

    const garbage = [...standardGarbage(), ...(options.extraGarbage ?? [])];
    it.each(garbage.map((item) => [item.name, item.body] as const))('refuses garbage (%s) with PayloadInvalid only', async (_name, body) => {
      const adapter = options.createAdapter();
      const request = options.signBody(body);
      const verified: unknown = await adapter.verify(request).then(
        () => undefined,
        (reason: unknown) => reason,
      );
      if (verified !== undefined) {
        // Some channels cannot verify a body they cannot read; then the refusal must still be one of ours.
        expect(isOmbudsError(verified)).toBe(true);
      }
      expectPayloadInvalid(() => adapter.parse(request, receivedAt));
    });
  });
}
