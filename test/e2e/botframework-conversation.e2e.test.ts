/**
 * The intake-dialog conversation suite (test/support/conversation-suite.ts) on the Bot Framework: customers post
 * Activities to `POST /api/messages` with channel JWTs minted by the local Bot Framework fake, tap suggested actions
 * (an imBack comes back as an ordinary message), and read the message Activities the fake Bot Connector accepted
 * (typing Activities separately).
 */
import request from 'supertest';
import type { BotReply } from '../support/chat-driver.js';
import { runConversationSuite, type SuiteChat } from '../support/conversation-suite.js';
import { startFakeBotFramework } from '../support/fake-bot-framework.js';
import { reply, type ReceiverReply } from '../support/fake-receiver.js';
import { readJsonFixture } from '../support/fixtures.js';
import type { Harness } from '../support/ombuds-harness.js';

const APP_ID = '5a0e9b7c-1d2f-4e3a-8b9c-0d1e2f3a4b5c';
const APP_PASSWORD = 'e2e~conversation.password_012345';

let nextConversation = 0;

const activitiesPath = (conversation: string) => `/v3/conversations/${encodeURIComponent(conversation)}/activities`;

runConversationSuite({
  channel: 'botframework',
  quickReplies: true,
  async startFake() {
    const fake = await startFakeBotFramework({ client: { appId: APP_ID, appPassword: APP_PASSWORD } });
    const conversations = new WeakMap<SuiteChat, string>();
    const accepted = (answer: ReceiverReply) => answer.type === 'status' && answer.status === 200;
    return {
      env: {
        BOTFRAMEWORK_APP_ID: APP_ID,
        BOTFRAMEWORK_APP_PASSWORD: APP_PASSWORD,
        BOTFRAMEWORK_OPENID_METADATA_URL: fake.openIdMetadataUrl,
        BOTFRAMEWORK_TOKEN_ENDPOINT: fake.tokenEndpoint,
        BOTFRAMEWORK_CHANNEL_SERVICE_ORIGIN: fake.url,
      },
      newChat(harness: () => Harness, language: 'en' | 'zh'): SuiteChat {
        const conversation = `conversation-suite-${String((nextConversation += 1))}|livechat`;
        const fixture = readJsonFixture('botframework/botframework-1.json');
        let sequence = 0;
        let last = '';
        const post = async (body: string): Promise<void> => {
          last = body;
          const response = await request(harness().ombuds.app)
            .post('/api/messages')
            .set('Content-Type', 'application/json')
            .set('Authorization', `Bearer ${await fake.mintToken()}`)
            .send(body);
          if (response.status !== 200) throw new Error(`/api/messages answered ${String(response.status)}`);
        };
        const send = async (text: string): Promise<void> => {
          sequence += 1;
          // Each chat is its own user (the fixture's user id would make every chat one customer).
          const from = { ...(fixture.from as object), id: `user-${conversation}` };
          const activity = { ...fixture, from, id: `${conversation}-${String(sequence)}`, text, locale: language === 'zh' ? 'zh-CN' : 'en-US', serviceUrl: fake.url, conversation: { ...(fixture.conversation as object), id: conversation } };
          await post(JSON.stringify(activity));
        };
        const chat: SuiteChat = {
          send,
          press: send,
          repeatLast: () => post(last),
          replies(): BotReply[] {
            return fake.connectorRequests
              .filter((received) => received.path.startsWith(activitiesPath(conversation)) && accepted(received.reply))
              .map((received) => received.json as { type?: string; text?: string; suggestedActions?: { actions?: { title: string; value: string }[] } })
              .filter((sent) => sent.type === 'message')
              .map((sent) => ({ text: String(sent.text), quickReplies: (sent.suggestedActions?.actions ?? []).map((action) => ({ label: action.title, value: action.value })) }));
          },
        };
        conversations.set(chat, conversation);
        return chat;
      },
      failNextSend: () => {
        fake.scriptConnector(reply.serverError(500));
      },
      typingShown: (chat) =>
        fake.connectorRequests.some((received) => received.path.startsWith(activitiesPath(conversations.get(chat) ?? '-')) && (received.json as { type?: string }).type === 'typing'),
      close: () => fake.close(),
    };
  },
});
