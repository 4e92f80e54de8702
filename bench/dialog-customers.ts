/**
 * The customers of the dialog bench: four scripted intake conversations (two English, two Chinese; 4 or 5 turns,
 * typed answers and tapped buttons, as in test/e2e/telegram-conversation.e2e.test.ts), and one customer playing one
 * conversation in a new Telegram chat through `POST /webhooks/telegram` (with the secret header), sending each
 * message only once the previous turn's first reply reached the fake Bot API (and, optionally, after a pause, as a
 * person reads and types). Each turn's latency runs from just
 * before its webhook POST to the arrival of its first `sendMessage` at the fake.
 */
import { Agent, request } from 'node:http';
import type { FakeTelegramApi } from './fake-telegram-api.js';

export interface ScriptStep {
  /** A typed message, or a tap on an inline-keyboard button (a callback query with this data). */
  send: { text: string } | { press: string };
  /** What the turn's first reply must say (a different reply is counted as unexpected). */
  expect: RegExp;
}

export interface Script {
  name: string;
  /** Telegram's `language_code` of the customer. */
  languageCode: string;
  steps: ScriptStep[];
}

const REFERENCE = /CMP-\d{4}-\d{6,}/;

/**
 * Every script ends with the confirmation ("yes" / "是的" / "确认"), answered with the reference. The Chinese customers
 * type their answers: the data of a tapped button (`date:yesterday`) is classified as English, which switches the
 * dialog's replies to English.
 */
export const SCRIPTS: readonly Script[] = [
  {
    name: 'en-buttons',
    languageCode: 'en',
    steps: [
      { send: { text: 'My credit card was charged twice for the same £300 purchase at a supermarket.' }, expect: /when did this happen/i },
      { send: { press: 'date:yesterday' }, expect: /what would you like us to do/i },
      { send: { press: 'outcome:refund' }, expect: /Is this correct\?/ },
      { send: { text: 'yes' }, expect: REFERENCE },
    ],
  },
  {
    name: 'zh-typed',
    languageCode: 'zh-hans',
    steps: [
      { send: { text: '我的储蓄卡上个月被扣了一笔200元的账户管理费，我从来没有同意过' }, expect: /什么时候发生/ },
      { send: { text: '上个月15号' }, expect: /如何处理/ },
      { send: { text: '退还费用' }, expect: /是否正确/ },
      { send: { text: '是的' }, expect: REFERENCE },
    ],
  },
  {
    name: 'en-greeting',
    languageCode: 'en',
    steps: [
      { send: { text: 'hi' }, expect: /tell me what happened/i },
      { send: { text: 'I was charged a £40 late fee on my loan even though I paid on time.' }, expect: /when did this happen/i },
      { send: { text: 'last Monday' }, expect: /what would you like us to do/i },
      { send: { text: 'Refund the fee and explain why it happened' }, expect: /Is this correct\?/ },
      { send: { text: 'yes' }, expect: REFERENCE },
    ],
  },
  {
    name: 'zh-greeting',
    languageCode: 'zh-hans',
    steps: [
      { send: { text: '你好' }, expect: /发生了什么/ },
      { send: { text: '信用卡被多扣了两笔年费，每笔300元' }, expect: /什么时候发生/ },
      { send: { text: '昨天' }, expect: /如何处理/ },
      { send: { text: '退款' }, expect: /是否正确/ },
      { send: { text: '确认' }, expect: REFERENCE },
    ],
  },
];

export interface TurnResult {
  /** performance.now() just before the POST. */
  startedAt: number;
  /** Date.now() at the same moment. */
  wallStartedAt: number;
  /** Until the webhook answered (ms), or null when it did not answer. */
  webhookMs: number | null;
  /** Until the first reply arrived at the fake (ms), or null when none came within the limit (a lost turn). */
  latencyMs: number | null;
  /** The webhook's status, or the request error. */
  webhook: number | string;
  /** The first reply matched what the script expected. */
  expected: boolean;
}

export interface ConversationResult {
  script: string;
  chat: number;
  turns: TurnResult[];
  /** The customer sent the confirmation (its webhook POST answered 200). */
  confirmed: boolean;
  /** The reference the last reply carried (the conversation completed), or null. */
  reference: string | null;
}

export interface DialogTarget {
  baseUrl: string;
  secret: string;
  fake: FakeTelegramApi;
  agent: Agent;
  /** A turn whose first reply has not arrived after this long is lost. */
  lostAfterMs: number;
  /** The customer's pause before each message (0: at once). */
  thinkMs: number;
}

let nextUpdateId = 1;

function post(target: DialogTarget, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL('/webhooks/telegram', target.baseUrl);
    const outgoing = request(
      url,
      {
        method: 'POST',
        agent: target.agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-telegram-bot-api-secret-token': target.secret },
        timeout: target.lostAfterMs,
      },
      (response) => {
        response.resume();
        response.on('end', () => {
          resolve(response.statusCode ?? 0);
        });
        response.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${target.lostAfterMs} ms`)));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

function updateFor(step: ScriptStep, chat: number, languageCode: string, messageId: number, lastBotMessage: number): Record<string, unknown> {
  const from = { id: chat, is_bot: false, first_name: 'Bench', language_code: languageCode };
  const date = Math.floor(Date.now() / 1000);
  const update_id = nextUpdateId++;
  if ('text' in step.send) {
    return { update_id, message: { message_id: messageId, from, chat: { id: chat, type: 'private', first_name: 'Bench' }, date, text: step.send.text } };
  }
  return {
    update_id,
    callback_query: {
      id: `bench-${String(update_id)}`,
      from,
      chat_instance: `bench-${String(chat)}`,
      data: step.send.press,
      message: { message_id: lastBotMessage, chat: { id: chat, type: 'private' }, date, text: 'question' },
    },
  };
}

/** Plays `script` in the new chat `chat`; stops early at a failed webhook call or a lost turn. */
export async function playConversation(target: DialogTarget, script: Script, chat: number): Promise<ConversationResult> {
  const turns: TurnResult[] = [];
  let confirmed = false;
  let reference: string | null = null;
  let seen = 0;
  for (const [index, step] of script.steps.entries()) {
    if (target.thinkMs > 0) await new Promise((resolve) => setTimeout(resolve, target.thinkMs));
    const body = JSON.stringify(updateFor(step, chat, script.languageCode, index + 1, seen));
    const wallStartedAt = Date.now();
    const startedAt = performance.now();
    const replyArrived = target.fake.nextReply(chat, seen, target.lostAfterMs);
    let webhook: number | string;
    let webhookMs: number | null = null;
    try {
      webhook = await post(target, body);
      webhookMs = performance.now() - startedAt;
    } catch (error) {
      webhook = error instanceof Error ? error.message : String(error);
    }
    const last = index === script.steps.length - 1;
    if (webhook !== 200) {
      turns.push({ startedAt, wallStartedAt, webhookMs, latencyMs: null, webhook, expected: false });
      break;
    }
    if (last) confirmed = true;
    const reply = await replyArrived;
    const latencyMs = reply === null ? null : reply.at - startedAt;
    turns.push({ startedAt, wallStartedAt, webhookMs, latencyMs, webhook, expected: reply !== null && step.expect.test(reply.text) });
    if (reply === null) break;
    // Replies that came with the first one are skipped (the bench counts them as extra replies at the end).
    seen = target.fake.repliesOf(chat).length;
    if (last) reference = REFERENCE.exec(reply.text)?.[0] ?? null;
  }
  return { script: script.name, chat, turns, confirmed, reference };
}
