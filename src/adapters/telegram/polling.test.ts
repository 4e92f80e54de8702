import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeTelegram, telegramAnswer, type FakeTelegram } from '../../../test/support/fake-telegram.js';
import type { RawWebhookRequest } from '../../contracts/channel-adapter.js';
import { PayloadInvalid, StoreUnavailable } from '../../shared/errors.js';
import { createTelegramAdapter } from './index.js';
import { startTelegramPolling, TelegramPollingFailed } from './polling.js';

const TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
const SECRET = 'polling-secret';
const AT = new Date('2026-12-01T08:00:00.000Z');

function update(id: number, text: string): Record<string, unknown> {
  return {
    update_id: id,
    message: { message_id: id - 100, date: 1_790_000_000, chat: { id: 5_550_001, type: 'private' }, from: { id: 5_550_001, first_name: 'Li' }, text },
  };
}

describe('Telegram long polling against the fake Bot API', () => {
  let fake: FakeTelegram;
  let controller: AbortController;
  beforeEach(async () => {
    fake = await startFakeTelegram({ token: TOKEN });
    controller = new AbortController();
  });
  afterEach(async () => {
    controller.abort();
    await fake.close();
  });

  const poll = (onUpdate: (request: RawWebhookRequest) => Promise<void>, onError?: (error: unknown) => void) =>
    startTelegramPolling({
      botToken: TOKEN,
      apiRoot: fake.apiRoot,
      secretToken: SECRET,
      signal: controller.signal,
      pollTimeoutSeconds: 20,
      retryBaseMs: 1,
      onUpdate,
      ...(onError ? { onError } : {}),
    });

  it('hands two batches on as webhook requests the adapter accepts, confirming each with the next offset', async () => {
    const received: RawWebhookRequest[] = [];
    fake.pushUpdates(update(501, 'first'), update(502, 'second'));
    const done = poll((request) => {
      received.push(request);
      return Promise.resolve();
    });
    // The second getUpdates long-polls with nothing pending until the second batch arrives.
    await fake.waitForCalls('getUpdates', 2);
    fake.pushUpdates(update(503, 'third'));
    await fake.waitForCalls('getUpdates', 3);
    controller.abort();
    await expect(done).resolves.toBeUndefined();

    expect(fake.callsOf('getUpdates').map((call) => call.params.offset)).toEqual([0, 503, 504]);
    expect(fake.callsOf('getUpdates')[0]?.params).toMatchObject({ timeout: 20, limit: 100, allowed_updates: ['message', 'edited_message', 'callback_query'] });
    const adapter = createTelegramAdapter({ secretToken: SECRET, botToken: TOKEN, apiRoot: fake.apiRoot, timeoutMs: 1000 });
    const texts: string[] = [];
    for (const request of received) {
      expect(request).toMatchObject({ method: 'POST', path: '/webhooks/telegram' });
      await adapter.verify(request);
      const [result] = adapter.parse(request, AT);
      if (result?.kind === 'message') texts.push(result.message.text);
    }
    expect(texts).toEqual(['first', 'second', 'third']);
  });

  it('keeps an update unconfirmed while handling it fails retryably, and skips one that can never be accepted', async () => {
    const attempts = new Map<number, number>();
    const errors: unknown[] = [];
    fake.pushUpdates(update(601, 'flaky'), update(602, 'garbage'), update(603, 'fine'));
    const done = poll(
      (request) => {
        const id = Number(/"update_id":(\d+)/.exec(request.rawBody.toString('utf8'))?.[1]);
        attempts.set(id, (attempts.get(id) ?? 0) + 1);
        if (id === 601 && attempts.get(id) === 1) return Promise.reject(new StoreUnavailable());
        if (id === 602) return Promise.reject(new PayloadInvalid('never valid'));
        return Promise.resolve();
      },
      (error) => errors.push(error),
    );
    await fake.waitForCalls('getUpdates', 3);
    controller.abort();
    await done;
    expect(Object.fromEntries(attempts)).toEqual({ 601: 2, 602: 1, 603: 1 });
    expect(fake.callsOf('getUpdates').map((call) => call.params.offset)).toEqual([0, 0, 604]);
    expect(errors.map((error) => (error as Error).name)).toEqual(['StoreUnavailable', 'PayloadInvalid']);
  });

  it('waits out 429 and server errors from getUpdates, reporting them without the token', async () => {
    const errors: unknown[] = [];
    fake.script('getUpdates', telegramAnswer.tooManyRequests(0), telegramAnswer.badGatewayHtml(), telegramAnswer.drop());
    fake.pushUpdates(update(701, 'after the storm'));
    const texts: string[] = [];
    const done = poll(
      (request) => {
        texts.push(request.rawBody.toString('utf8'));
        return Promise.resolve();
      },
      (error) => errors.push(error),
    );
    await fake.waitForCalls('getUpdates', 5);
    controller.abort();
    await done;
    expect(texts).toHaveLength(1);
    expect(errors).toHaveLength(3);
    for (const error of errors) expect(String(error)).not.toContain(TOKEN);
  });

  it('stops with an error when a webhook is set (409) or the token is wrong (401)', async () => {
    fake.script('getUpdates', telegramAnswer.conflict());
    const conflict: unknown = await poll(() => Promise.resolve()).catch((error: unknown) => error);
    expect(conflict).toBeInstanceOf(TelegramPollingFailed);
    expect(String(conflict)).toMatch(/webhook is active/);
    const wrong: unknown = await startTelegramPolling({
      botToken: '999:wrong-token',
      apiRoot: fake.apiRoot,
      signal: controller.signal,
      onUpdate: () => Promise.resolve(),
    }).catch((error: unknown) => error);
    expect(wrong).toMatchObject({ code: 'TELEGRAM_POLLING_FAILED', message: expect.stringMatching(/401/) });
    expect(String(wrong)).not.toContain('wrong-token');
  });
});
