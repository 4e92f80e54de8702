import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeWeChat, wechatAnswer, type FakeWeChat } from '../../../test/support/fake-wechat.js';
import { fixedClock } from '../../shared/clock.js';
import { createWeChatAccessTokens } from './access-token.js';

const APP = { appId: 'wx1111222233334444', appSecret: 'aaaabbbbccccddddeeeeffff00001111' };

describe('WeChat access tokens (stable_token) against the fake API', () => {
  let fake: FakeWeChat;
  beforeAll(async () => {
    fake = await startFakeWeChat(APP);
  });
  afterAll(async () => {
    await fake.close();
  });

  const tokens = (clock = fixedClock(new Date('2026-12-01T08:00:00Z')), appSecret = APP.appSecret) =>
    createWeChatAccessTokens({ apiRoot: fake.apiRoot, appId: APP.appId, appSecret, timeoutMs: 2000, clock });

  it('fetches once with the appid and secret in the body, then serves the cached token until 5 minutes before expiry', async () => {
    const clock = fixedClock(new Date('2026-12-01T08:00:00Z'));
    const source = tokens(clock);
    const before = fake.callsOf('stable_token').length;
    const [first, second] = await Promise.all([source.current(), source.current()]);
    expect(first).toEqual(second);
    expect(fake.callsOf('stable_token').length).toBe(before + 1);
    expect(fake.callsOf('stable_token').at(-1)?.body).toEqual({ grant_type: 'client_credential', appid: APP.appId, secret: APP.appSecret, force_refresh: false });
    clock.advance((7200 - 301) * 1000);
    await source.current();
    expect(fake.callsOf('stable_token').length).toBe(before + 1);
    clock.advance(2000);
    await source.current();
    expect(fake.callsOf('stable_token').length).toBe(before + 2);
  });

  it('after a rejected token asks normally first, and forces a refresh only when handed the same token back', async () => {
    const source = tokens();
    const first = await source.current();
    if (!first.ok) throw new Error(first.error);
    const calls = fake.callsOf('stable_token').length;
    const renewed = await source.refresh(first.token);
    if (!renewed.ok) throw new Error(renewed.error);
    expect(renewed.token).not.toBe(first.token);
    expect(fake.callsOf('stable_token').slice(calls).map((call) => call.body.force_refresh)).toEqual([false, true]);
    // Another process already renewed it: the normal answer is a different token and nothing is forced.
    fake.expireTokens();
    const afterExpiry = fake.callsOf('stable_token').length;
    const other = await tokens().current();
    if (!other.ok) throw new Error(other.error);
    const again = await source.refresh(renewed.token);
    expect(again).toEqual(other);
    expect(fake.callsOf('stable_token').slice(afterExpiry).map((call) => call.body.force_refresh)).toEqual([false, false]);
  });

  it('reports a wrong secret as permanent, system busy and gateway errors as retryable, and never the secret', async () => {
    const wrong = await tokens(undefined, 'ffffffffffffffffffffffffffffffff').current();
    expect(wrong).toMatchObject({ ok: false, retryable: false, error: expect.stringContaining('40125') });
    fake.script('stable_token', wechatAnswer.systemBusy(), wechatAnswer.serverError(502));
    expect(await tokens().current()).toMatchObject({ ok: false, retryable: true, error: expect.stringContaining('errcode -1') });
    expect(await tokens().current()).toMatchObject({ ok: false, retryable: true, status: 502 });
    expect(JSON.stringify(wrong)).not.toContain('ffffffff');
  });
});
