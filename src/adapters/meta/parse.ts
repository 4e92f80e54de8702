/**
 * Parses one verified Meta webhook body into parse results, routed by `object`: `whatsapp_business_account`
 * (every `entry[].changes[].value`: its `messages[]` and `statuses[]`) or `page` (every `entry[].messaging[]`
 * event). One POST may batch many entries, changes and messages; all of them are read, in order, and a message
 * repeated within the batch (Messenger does this) is returned once.
 *
 * A body that is not UTF-8 JSON with an `object` and an `entry` array throws PayloadInvalid (400). Inside a valid
 * envelope, an item that does not match the documented shape is `unsupported` (acknowledged, counted), not a 400,
 * so it cannot hold back the other messages of its batch for Meta's days of redelivery. Other objects Meta can send
 * to the same app (`instagram`, `user`, `permissions`, …) are unsupported too. Pure.
 *
 * InboundMessage.raw keeps each message with its envelope (object, entry id, metadata, its contact), not the whole
 * batch, so a 3 MB batch is not stored once per message. U+0000 (`\u0000` in the JSON) is removed from every string
 * first: PostgreSQL cannot store it, and one such character would fail the whole batch with a 5xx.
 */
import type { RawWebhookRequest } from '../../contracts/channel-adapter.js';
import type { ParseResult } from '../../contracts/inbound-message.js';
import { PayloadInvalid } from '../../shared/errors.js';
import { clip, jsonWithoutNul } from './normalize-common.js';
import { normalizeMessengerEvent } from './normalize-messenger.js';
import { normalizeWhatsAppMessage, normalizeWhatsAppStatus } from './normalize-whatsapp.js';
import { decodeJsonBody } from '../../shared/json.js';
import {
  MessengerEvent,
  MetaEnvelope,
  WhatsAppChange,
  WhatsAppContact,
  WhatsAppMessage,
  WhatsAppMetadata,
  WhatsAppStatus,
  WhatsAppValue,
} from './schema.js';

export const WHATSAPP_OBJECT = 'whatsapp_business_account';
export const MESSENGER_OBJECT = 'page';

function decodeJson(body: Buffer): unknown {
  return decodeJsonBody(body, 'The Meta webhook body');
}

function issuesOf(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.map(String).join('.') || '(item)'}: ${issue.message}`)
    .join('; ');
}

function whatsAppResults(entryId: string | undefined, changes: readonly unknown[], receivedAt: Date): ParseResult[] {
  const results: ParseResult[] = [];
  for (const [index, rawChange] of changes.entries()) {
    const change = WhatsAppChange.safeParse(rawChange);
    if (!change.success) {
      results.push({ kind: 'unsupported', reason: `whatsapp change ${String(index)} is not an object with a value` });
      continue;
    }
    if (change.data.field !== undefined && change.data.field !== 'messages') {
      results.push({ kind: 'unsupported', reason: `whatsapp webhook field "${clip(change.data.field, 64)}" is not handled` });
      continue;
    }
    const value = WhatsAppValue.safeParse(change.data.value);
    if (!value.success) {
      results.push({ kind: 'unsupported', reason: `whatsapp change ${String(index)}: ${issuesOf(value.error)}` });
      continue;
    }
    const metadata = WhatsAppMetadata.safeParse(value.data.metadata);
    const phoneNumberId = metadata.success ? metadata.data.phone_number_id : undefined;
    const contacts = (value.data.contacts ?? []).flatMap((contact) => {
      const parsed = WhatsAppContact.safeParse(contact);
      return parsed.success ? [parsed.data] : [];
    });
    for (const [position, rawMessage] of (value.data.messages ?? []).entries()) {
      const message = WhatsAppMessage.safeParse(rawMessage);
      if (!message.success) {
        results.push({ kind: 'unsupported', reason: `whatsapp message ${String(position)} does not match the documented shape: ${issuesOf(message.error)}` });
        continue;
      }
      const envelope = { object: WHATSAPP_OBJECT, entryId, metadata: value.data.metadata };
      results.push(normalizeWhatsAppMessage(message.data, { phoneNumberId, contacts, envelope, rawMessage, receivedAt }));
    }
    for (const [position, rawStatus] of (value.data.statuses ?? []).entries()) {
      const status = WhatsAppStatus.safeParse(rawStatus);
      results.push(
        status.success
          ? normalizeWhatsAppStatus(status.data, receivedAt)
          : { kind: 'unsupported', reason: `whatsapp status ${String(position)} does not match the documented shape: ${issuesOf(status.error)}` },
      );
    }
    if ((value.data.messages ?? []).length === 0 && (value.data.statuses ?? []).length === 0) {
      results.push({ kind: 'unsupported', reason: 'whatsapp change without messages or statuses' });
    }
  }
  return results;
}

function messengerResults(entryId: string | undefined, events: readonly unknown[], receivedAt: Date): ParseResult[] {
  return events.map((rawEvent, position): ParseResult => {
    const event = MessengerEvent.safeParse(rawEvent);
    if (!event.success) return { kind: 'unsupported', reason: `messenger event ${String(position)} does not match the documented shape: ${issuesOf(event.error)}` };
    return normalizeMessengerEvent(event.data, { object: MESSENGER_OBJECT, entryId, event: rawEvent }, receivedAt);
  });
}

/** The first of each (channel, message id): Messenger may repeat a message within one batch. */
function withoutRepeats(results: ParseResult[]): ParseResult[] {
  const seen = new Set<string>();
  return results.filter((result) => {
    if (result.kind !== 'message') return true;
    const key = `${result.message.channel}\u0000${result.message.channelMessageId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function parseMetaRequest(request: RawWebhookRequest, receivedAt: Date): ParseResult[] {
  try {
    return parseBody(request.rawBody, receivedAt);
  } catch (error) {
    // JSON nested thousands deep parses, then overflows the stack of whatever walks it: garbage all the same.
    if (error instanceof RangeError) throw new PayloadInvalid('The Meta webhook body is nested too deeply.');
    throw error;
  }
}

function parseBody(rawBody: Buffer, receivedAt: Date): ParseResult[] {
  // U+0000 is taken out once, here, so no text, id, name or raw payload can carry it into the database.
  const json = jsonWithoutNul(decodeJson(rawBody));
  const envelope = MetaEnvelope.safeParse(json);
  if (!envelope.success) {
    throw new PayloadInvalid(
      'The body is not a Meta webhook payload (an object with "object" and "entry").',
      envelope.error.issues.slice(0, 20).map((issue) => ({ path: issue.path.map(String).join('.') || '(body)', message: issue.message })),
    );
  }
  const { object, entry } = envelope.data;
  if (object !== WHATSAPP_OBJECT && object !== MESSENGER_OBJECT) {
    return [{ kind: 'unsupported', reason: `meta webhook object "${clip(object, 64)}" is not handled` }];
  }
  const results: ParseResult[] = [];
  for (const [index, item] of entry.entries()) {
    const items = object === WHATSAPP_OBJECT ? item.changes : item.messaging;
    if (items === undefined) {
      results.push({ kind: 'unsupported', reason: `meta entry ${String(index)} has no ${object === WHATSAPP_OBJECT ? 'changes' : 'messaging'}` });
      continue;
    }
    results.push(...(object === WHATSAPP_OBJECT ? whatsAppResults(item.id, items, receivedAt) : messengerResults(item.id, items, receivedAt)));
  }
  if (results.length === 0) return [{ kind: 'unsupported', reason: 'meta webhook with no entries' }];
  return withoutRepeats(results);
}
