/** The WeChat adapter against the shared channel-adapter contract (test/support/adapter-contract.ts), in plain and in safe mode. */
import { runAdapterContract } from '../../../test/support/adapter-contract.js';
import { officialVectorRequest, rawWeChatRequest, signedWeChatPost, WECHAT_OFFICIAL_VECTOR, wechatPlainFixtures, wechatWebhookRequest } from '../../../test/support/fake-wechat.js';
import type { RawWebhookRequest } from '../../contracts/channel-adapter.js';
import { fixedClock } from '../../shared/clock.js';
import { createWeChatAdapter, wechatSignature } from './index.js';

const RECEIVED_AT = new Date('2026-12-01T08:00:00.000Z');
const TIMESTAMP = String(Math.floor(RECEIVED_AT.getTime() / 1000));
const TOKEN = 'contractToken42';
const APP = { appId: 'wx0123456789abcdef', appSecret: '0123456789abcdef0123456789abcdef' };
const plainSigning = { token: TOKEN, timestamp: TIMESTAMP, nonce: '271828' };

/** Copies whose query lost or changed a signature part, or whose timestamp is stale. */
function unsignedCopies(request: RawWebhookRequest, token: string): RawWebhookRequest[] {
  const [path = '', query = ''] = request.path.split('?');
  const params = new URLSearchParams(query);
  const variant = (change: (copy: URLSearchParams) => void): RawWebhookRequest => {
    const copy = new URLSearchParams(params);
    change(copy);
    return { ...request, path: `${path}?${copy.toString()}` };
  };
  const signature = params.get('signature') ?? '';
  const flipped = `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`;
  const stale = String(Number(params.get('timestamp')) - 3600);
  return [
    variant((copy) => { copy.delete('signature'); }),
    variant((copy) => { copy.set('signature', flipped); }),
    variant((copy) => { copy.set('nonce', `${params.get('nonce') ?? ''}1`); }),
    variant((copy) => {
      copy.set('timestamp', stale);
      copy.set('signature', wechatSignature([token, stale, params.get('nonce') ?? '']));
    }),
    { ...request, path },
  ];
}

runAdapterContract({
  name: 'wechat (plain mode)',
  receivedAt: RECEIVED_AT,
  createAdapter: () => createWeChatAdapter({ token: TOKEN, ...APP, apiRoot: 'http://127.0.0.1:9', timeoutMs: 1000, clock: fixedClock(RECEIVED_AT) }),
  validRequests: () => wechatPlainFixtures().map((fixture) => wechatWebhookRequest(fixture.body, plainSigning)),
  unsign: (request) => unsignedCopies(request, TOKEN),
  signBody: (body) => wechatWebhookRequest(body, plainSigning),
  extraGarbage: [
    { name: 'a DOCTYPE with an entity', body: Buffer.from('<!DOCTYPE xml [<!ENTITY x "boom">]><xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>&x;</Content><MsgId>1</MsgId></xml>') },
    { name: 'a message without FromUserName', body: Buffer.from('<xml><ToUserName>a</ToUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>hi</Content><MsgId>1</MsgId></xml>') },
    { name: 'a MsgId that is not a number', body: Buffer.from('<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>hi</Content><MsgId>12ab</MsgId></xml>') },
    { name: 'a repeated Content', body: Buffer.from('<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>a</Content><Content>b</Content><MsgId>1</MsgId></xml>') },
    { name: 'two root elements', body: Buffer.from('<xml><MsgType>text</MsgType></xml><xml><MsgType>text</MsgType></xml>') },
    { name: 'a JSON body', body: Buffer.from('{"ToUserName":"a","FromUserName":"b","CreateTime":1,"MsgType":"text","Content":"hi","MsgId":1}') },
  ],
});

const SAFE = { token: WECHAT_OFFICIAL_VECTOR.token, aes: { encodingAesKey: WECHAT_OFFICIAL_VECTOR.encodingAesKey, appId: WECHAT_OFFICIAL_VECTOR.appId } };
const safeAdapter = (clockAt: Date) =>
  createWeChatAdapter({
    token: SAFE.token,
    appId: SAFE.aes.appId,
    appSecret: APP.appSecret,
    encodingAesKey: SAFE.aes.encodingAesKey,
    apiRoot: 'http://127.0.0.1:9',
    timeoutMs: 1000,
    clock: fixedClock(clockAt),
  });

/** The official vector was signed in 2014: in its own describe, with the clock at its timestamp. */
const VECTOR_AT = new Date(Number(WECHAT_OFFICIAL_VECTOR.timestamp) * 1000);
runAdapterContract({
  name: 'wechat (safe mode, official vector)',
  receivedAt: VECTOR_AT,
  createAdapter: () => safeAdapter(VECTOR_AT),
  validRequests: () => [officialVectorRequest()],
  unsign: (request) => {
    const [path = '', query = ''] = request.path.split('?');
    const params = new URLSearchParams(query);
    params.set('msg_signature', wechatSignature([SAFE.token, WECHAT_OFFICIAL_VECTOR.timestamp, WECHAT_OFFICIAL_VECTOR.nonce, 'not the Encrypt']));
    const tampered = Buffer.from(request.rawBody);
    const at = tampered.indexOf('<Encrypt><![CDATA[') + 30;
    tampered[at] = tampered[at] === 0x41 ? 0x42 : 0x41;
    const withoutAes = new URLSearchParams(query);
    withoutAes.delete('encrypt_type');
    withoutAes.delete('msg_signature');
    return [
      { ...request, path: `${path}?${params.toString()}` },
      { ...request, rawBody: tampered },
      // Safe mode configured: the plaintext copy alone is refused.
      { ...request, path: `${path}?${withoutAes.toString()}` },
      ...unsignedCopies(request, SAFE.token),
    ];
  },
  signBody: (body) => {
    const signed = signedWeChatPost(body, { ...SAFE, timestamp: WECHAT_OFFICIAL_VECTOR.timestamp, nonce: WECHAT_OFFICIAL_VECTOR.nonce });
    return rawWeChatRequest(signed.body, signed.query);
  },
});

runAdapterContract({
  name: 'wechat (safe mode, every fixture encrypted)',
  receivedAt: RECEIVED_AT,
  createAdapter: () => safeAdapter(RECEIVED_AT),
  validRequests: () => wechatPlainFixtures().map((fixture) => wechatWebhookRequest(fixture.body, { ...SAFE, timestamp: TIMESTAMP })),
  unsign: (request) => unsignedCopies(request, SAFE.token),
  signBody: (body) => wechatWebhookRequest(body, { ...SAFE, timestamp: TIMESTAMP }),
});
