import { describe, expect, it } from 'vitest';
import { telegramWebhookRequest } from '../../../test/support/fake-telegram.js';
import { isOmbudsError } from '../../shared/errors.js';
import { assertTelegramSecretToken, verifyTelegramRequest } from './verify.js';

const SECRET = 'Abc_123-secret';
const BODY = '{"update_id":1}';

async function refusal(promise: Promise<void>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('Telegram webhook verification', () => {
  it('accepts the configured secret token', async () => {
    await expect(verifyTelegramRequest(telegramWebhookRequest(BODY, SECRET), SECRET)).resolves.toBeUndefined();
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['wrong', 'Abc_123-secreT'],
    ['a prefix', 'Abc_123'],
    ['longer', `${SECRET}0`],
  ])('refuses a %s secret with SIGNATURE_INVALID (401)', async (_case, presented) => {
    const error = await refusal(verifyTelegramRequest(telegramWebhookRequest(BODY, presented), SECRET));
    expect(isOmbudsError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'SIGNATURE_INVALID', httpStatus: 401 });
    expect(String(error)).not.toContain(SECRET);
  });

  it('reads only the header, never the path or body', async () => {
    const request = { ...telegramWebhookRequest(`{"secret":"${SECRET}"}`), path: `/webhooks/telegram?secret=${SECRET}` };
    expect(await refusal(verifyTelegramRequest(request, SECRET))).toMatchObject({ code: 'SIGNATURE_INVALID' });
  });

  it('checks the configured secret is one setWebhook accepts', () => {
    expect(() => {
      assertTelegramSecretToken(SECRET);
    }).not.toThrow();
    for (const bad of ['', 'has space', 'slash/no', 'x'.repeat(257), '密钥']) {
      expect(() => {
        assertTelegramSecretToken(bad);
      }).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    }
  });
});
