/**
 * The Meta adapter against the shared channel-adapter contract (test/support/adapter-contract.ts): the webhook
 * adapter and the WhatsApp channel with the WhatsApp fixtures, the Messenger channel with the Messenger fixtures.
 */
import { runAdapterContract } from '../../../test/support/adapter-contract.js';
import { metaFixtures, metaWebhookRequest, type MetaProductName } from '../../../test/support/fake-meta.js';
import type { ChannelAdapter, RawWebhookRequest } from '../../contracts/channel-adapter.js';
import { createMetaAdapter, metaSignature, type MetaAdapter } from './index.js';

const APP_SECRET = 'contract-meta-app-secret-0123456789';

function adapter(): MetaAdapter {
  return createMetaAdapter({ appSecret: APP_SECRET, verifyToken: 'contract-verify-token', accessToken: 'contract-access-token', graphApiRoot: 'http://127.0.0.1:9', timeoutMs: 1000 });
}

function unsign(request: RawWebhookRequest): RawWebhookRequest[] {
  const { 'x-hub-signature-256': signature = '', ...unsigned } = request.headers;
  const flipped = `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`;
  const oneByteChanged = Buffer.from(request.rawBody);
  oneByteChanged[oneByteChanged.length - 2] = (oneByteChanged[oneByteChanged.length - 2] ?? 0) ^ 0x01;
  return [
    { ...request, headers: unsigned },
    { ...request, headers: { ...unsigned, 'x-hub-signature-256': flipped } },
    { ...request, headers: { ...unsigned, 'x-hub-signature-256': metaSignature(request.rawBody, `${APP_SECRET}x`) } },
    { ...request, rawBody: oneByteChanged },
  ];
}

const extraGarbage = [
  { name: 'an envelope without entry', body: Buffer.from('{"object":"whatsapp_business_account"}') },
  { name: 'entry as an object', body: Buffer.from('{"object":"page","entry":{"id":"1"}}') },
  { name: 'changes as a string', body: Buffer.from('{"object":"whatsapp_business_account","entry":[{"id":"1","changes":"messages"}]}') },
  { name: 'a numeric object', body: Buffer.from('{"object":7,"entry":[]}') },
];

const runs: { name: string; product: MetaProductName; pick: (meta: MetaAdapter) => ChannelAdapter }[] = [
  { name: 'meta webhook (WhatsApp fixtures)', product: 'whatsapp', pick: (meta) => meta },
  { name: 'meta: whatsapp channel', product: 'whatsapp', pick: (meta) => meta.whatsapp },
  { name: 'meta: messenger channel', product: 'messenger', pick: (meta) => meta.messenger },
];

for (const run of runs) {
  runAdapterContract({
    name: run.name,
    createAdapter: () => run.pick(adapter()),
    validRequests: () => metaFixtures(run.product).map((item) => metaWebhookRequest(item.body, APP_SECRET)),
    unsign,
    signBody: (body) => metaWebhookRequest(body, APP_SECRET),
    extraGarbage,
  });
}
