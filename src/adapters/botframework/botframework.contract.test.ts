/**
 * The Bot Framework adapter against the shared channel-adapter contract (test/support/adapter-contract.ts). The
 * fixtures are posted byte for byte; each gets a channel token (minted by the local fake Bot Framework) whose
 * `serviceurl` claim is the fixture's own serviceUrl, as the real channel service would issue it.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, vi } from 'vitest';
import { runAdapterContract } from '../../../test/support/adapter-contract.js';
import { DEFAULT_ENDORSEMENTS, startFakeBotFramework, type FakeBotFramework } from '../../../test/support/fake-bot-framework.js';
import { fixturePath, listFixtures, readJsonFixture } from '../../../test/support/fixtures.js';
import type { RawWebhookRequest } from '../../contracts/channel-adapter.js';
import { createBotFrameworkAdapter } from './index.js';

const APP_ID = '5f0e7a3c-1b2d-4e6f-8a9b-0c1d2e3f4a5b';

interface SignedFixture {
  body: Buffer;
  token: string;
  /** Tokens that must not verify for this body. */
  bad: { forged: string; wrongAudience: string; otherServiceUrl: string };
}

let fake: FakeBotFramework;
let fixtures: SignedFixture[] = [];
let anyToken = '';

// The SDK writes every refused token's error (and the public key) to console.error: kept off the test output.
const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);

beforeAll(async () => {
  // The documented sample's channelId is a placeholder; the fake's key endorses it so the sample verifies too.
  fake = await startFakeBotFramework({ client: { appId: APP_ID, appPassword: 'contract-password' }, endorsements: [...DEFAULT_ENDORSEMENTS, "channel's name/id"] });
  fixtures = [];
  for (const file of listFixtures('botframework')) {
    const serviceUrl = readJsonFixture(file).serviceUrl;
    if (typeof serviceUrl !== 'string') throw new Error(`${file} has no serviceUrl`);
    fixtures.push({
      body: readFileSync(fixturePath(file)),
      token: await fake.mintToken({ claims: { serviceurl: serviceUrl } }),
      bad: {
        forged: await fake.mintToken({ claims: { serviceurl: serviceUrl }, untrustedKey: true }),
        wrongAudience: await fake.mintToken({ claims: { serviceurl: serviceUrl, aud: 'another-bot' } }),
        otherServiceUrl: await fake.mintToken({ claims: { serviceurl: 'https://attacker.example/' } }),
      },
    });
  }
  anyToken = await fake.mintToken();
});

afterAll(async () => {
  consoleError.mockRestore();
  await fake.close();
});

const request = (body: Buffer, authorization: string | undefined): RawWebhookRequest => ({
  method: 'POST',
  path: '/api/messages',
  headers: { 'content-type': 'application/json', authorization },
  rawBody: body,
});

runAdapterContract({
  name: 'botframework',
  createAdapter: () =>
    createBotFrameworkAdapter({
      appId: APP_ID,
      appPassword: 'contract-password',
      openIdMetadataUrl: fake.openIdMetadataUrl,
      tokenEndpoint: fake.tokenEndpoint,
      channelServiceOrigin: fake.url,
      timeoutMs: 2_000,
    }),
  validRequests: () => fixtures.map((fixture) => request(fixture.body, `Bearer ${fixture.token}`)),
  unsign: (signed): RawWebhookRequest[] => {
    const fixture = fixtures.find((candidate) => candidate.body.equals(signed.rawBody));
    if (!fixture) throw new Error('unsign: not one of the fixtures');
    return [
      request(signed.rawBody, undefined),
      request(signed.rawBody, 'Bearer '),
      request(signed.rawBody, `Bearer ${fixture.bad.forged}`),
      request(signed.rawBody, `Bearer ${fixture.bad.wrongAudience}`),
      request(signed.rawBody, `Bearer ${fixture.bad.otherServiceUrl}`),
      request(signed.rawBody, `Bearer ${fixture.token.slice(0, -4)}AAAA`),
    ];
  },
  signBody: (body) => request(body, `Bearer ${anyToken}`),
  extraGarbage: [
    { name: 'an Activity without type', body: Buffer.from('{"text":"hi","serviceUrl":"https://smba.trafficmanager.net/apis"}') },
    { name: 'a message without conversation', body: Buffer.from('{"type":"message","id":"1","channelId":"webchat","serviceUrl":"https://x.example","from":{"id":"u"},"recipient":{"id":"b"},"text":"hi"}') },
    { name: 'a message with a javascript: serviceUrl', body: Buffer.from('{"type":"message","id":"1","channelId":"webchat","serviceUrl":"javascript:alert(1)","from":{"id":"u"},"recipient":{"id":"b"},"conversation":{"id":"c"},"text":"hi"}') },
  ],
});
