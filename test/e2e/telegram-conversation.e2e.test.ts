/**
 * The intake-dialog conversation suite (test/support/conversation-suite.ts) on Telegram: customers post updates to
 * `POST /webhooks/telegram` with the secret-token header, tap inline-keyboard buttons (callback queries), and read
 * what the fake Bot API received through `sendMessage` (typing through `sendChatAction`).
 */
import request from 'supertest';
import type { BotReply } from '../support/chat-driver.js';
import { runConversationSuite, type SuiteChat } from '../support/conversation-suite.js';
import { startFakeTelegram, telegramAnswer } from '../support/fake-telegram.js';
import type { Harness } from '../support/ombuds-harness.js';

const BOT_TOKEN = '7000000002:AAH-conversation_token-for-the-fake-api1';
const SECRET = 'e2e-telegram-conversation-secret_01';

let nextChat = 880_000;
let nextUpdate = 1_000;

runConversationSuite({
  channel: 'telegram',
  quickReplies: true,
  async startFake() {
    const fake = await startFakeTelegram({ token: BOT_TOKEN });
    const chats = new WeakMap<SuiteChat, number>();
    return {
      env: { TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fake.apiRoot },
      newChat(harness: () => Harness, language: 'en' | 'zh'): SuiteChat {
        const chat = (nextChat += 1);
        const from = { id: chat, is_bot: false, first_name: 'Test', language_code: language === 'zh' ? 'zh-hans' : 'en' };
        let messageId = 0;
        let last = '';
        const post = async (update: object | string): Promise<void> => {
          last = typeof update === 'string' ? update : JSON.stringify(update);
          const response = await request(harness().ombuds.app)
            .post('/webhooks/telegram')
            .set('Content-Type', 'application/json')
            .set('X-Telegram-Bot-Api-Secret-Token', SECRET)
            .send(last);
          if (response.status !== 200) throw new Error(`webhook answered ${String(response.status)}`);
        };
        const suiteChat: SuiteChat = {
          async send(text) {
            messageId += 1;
            nextUpdate += 1;
            await post({ update_id: nextUpdate, message: { message_id: messageId, from, chat: { id: chat, type: 'private', first_name: 'Test' }, date: Math.floor(Date.now() / 1000), text } });
          },
          async press(value) {
            nextUpdate += 1;
            const message = { message_id: messageId, chat: { id: chat, type: 'private' }, date: Math.floor(Date.now() / 1000), text: 'question' };
            await post({ update_id: nextUpdate, callback_query: { id: `cb${String(nextUpdate)}`, from, chat_instance: `ci${String(chat)}`, data: value, message } });
          },
          repeatLast: () => post(last),
          replies(): BotReply[] {
            return fake
              .callsOf('sendMessage')
              .filter((call) => Number(call.params.chat_id) === chat && call.answered === 'normal')
              .map((call) => {
                const markup = call.params.reply_markup as { inline_keyboard?: { text: string; callback_data: string }[][] } | undefined;
                return { text: String(call.params.text), quickReplies: (markup?.inline_keyboard ?? []).flat().map((button) => ({ label: button.text, value: button.callback_data })) };
              });
          },
        };
        chats.set(suiteChat, chat);
        return suiteChat;
      },
      failNextSend: () => {
        fake.script('sendMessage', telegramAnswer.serverError(500));
      },
      typingShown: (chat) => fake.callsOf('sendChatAction').some((call) => Number(call.params.chat_id) === chats.get(chat) && call.params.action === 'typing'),
      close: () => fake.close(),
    };
  },
});
