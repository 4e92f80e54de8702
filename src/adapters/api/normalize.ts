/**
 * Turns a valid API-channel body into an InboundMessage. Ids are scoped to the posting app, so two apps' client
 * message ids never collide; without a client message id the message cannot be deduplicated and gets a fresh id.
 */
import { randomUUID } from 'node:crypto';
import type { ApiMessageBody, InboundMessage } from '../../contracts/index.js';

export const API_CHANNEL = 'api';

export interface ApiClientIdentity {
  id: string;
  name: string;
}

export function normalizeApiMessage(body: ApiMessageBody, client: ApiClientIdentity, receivedAt: Date): InboundMessage {
  const conversation = body.conversationId ?? body.sender.id;
  const sentAt = body.sentAt ? new Date(body.sentAt) : receivedAt;
  return {
    channel: API_CHANNEL,
    channelMessageId: `${client.id}:${body.clientMessageId ?? `generated-${randomUUID()}`}`,
    conversationKey: `${client.id}:${conversation}`,
    sender: {
      id: `${client.id}:${body.sender.id}`,
      ...(body.sender.name ? { displayName: body.sender.name } : {}),
      ...(body.sender.phone ? { phone: body.sender.phone } : {}),
      ...(body.sender.email ? { email: body.sender.email } : {}),
    },
    // A clock far in the future on the sender's side must not start a regulatory clock late or early: the
    // customer contacted the bank when we received it, unless the app says earlier.
    sentAt: sentAt.getTime() > receivedAt.getTime() ? receivedAt : sentAt,
    receivedAt,
    text: body.text,
    attachments: body.attachments ?? [],
    ...(body.locale ? { locale: body.locale } : {}),
    replyAddress: `${client.id}:${conversation}`,
    ...(body.fields ? { fields: body.fields } : {}),
    raw: { clientMessageId: body.clientMessageId ?? null, conversationId: body.conversationId ?? null, app: client.name },
  };
}
