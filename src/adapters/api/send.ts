/**
 * The API channel's sender: customer-facing messages go to the callback URL the bank's app registered
 * (`PUT /v1/callback`), as a signed JSON POST. The reply address is `<appId>:<conversationId>` (normalize.ts).
 *
 * Headers: `Ombuds-Signature` (HMAC of the exact body, src/shared/signing.ts), `Ombuds-Delivery: <messageId>` (the
 * same on every attempt: the app's idempotency key) and `Ombuds-Attempt`. 2xx is delivered; 408/425/429/5xx,
 * timeouts and network errors are retried (Retry-After honoured); other 4xx fail at once, and so does a callback
 * that is or resolves to a non-public address (shared/outbound-address-guard.ts).
 *
 * An app with no callback registered has chosen not to receive messages (its 202 answers carry the references):
 * the message fails at once, not retried, and stays on the complaint as not delivered, so staff can reach the
 * customer another way. Retrying for hours would only load the queue for a callback that may never come.
 */
import type { ChannelSender, OutboundDelivery, SendResult } from '../../contracts/index.js';
import { systemClock, type Clock } from '../../shared/clock.js';
import { postForDelivery } from '../../shared/http-delivery.js';
import { createOutboundAddressGuard, type OutboundAddressGuard } from '../../shared/outbound-address-guard.js';
import { SIGNATURE_HEADER, signBody } from '../../shared/signing.js';
import { API_CHANNEL } from './normalize.js';

export const DELIVERY_HEADER = 'Ombuds-Delivery';
export const ATTEMPT_HEADER = 'Ombuds-Attempt';

/** The JSON body POSTed to the app's callback. */
export interface ApiCallbackMessage {
  type: 'message';
  messageId: string;
  conversationId: string;
  complaintReference: string | null;
  purpose: OutboundDelivery['purpose'];
  language: OutboundDelivery['language'];
  text: string;
  quickReplies: OutboundDelivery['quickReplies'];
  sentAt: string;
}

export interface ApiCallbackSenderConfig {
  /** The app's callback (URL and signing secret); null when none is registered or the app is disabled. */
  callbackOf: (appId: string) => Promise<{ url: string; secret: string } | null>;
  /** OUTBOUND_TIMEOUT_MS. */
  timeoutMs: number;
  /** Which addresses callbacks may be delivered to (OUTBOUND_ALLOW_PRIVATE_NETWORKS); default: public only. */
  addressGuard?: OutboundAddressGuard;
  clock?: Clock;
}

/** `<appId>:<conversationId>` → its parts; null when it has no app part. */
export function parseApiReplyAddress(address: string): { appId: string; conversationId: string } | null {
  const index = address.indexOf(':');
  if (index <= 0 || index === address.length - 1) return null;
  return { appId: address.slice(0, index), conversationId: address.slice(index + 1) };
}

export function createApiCallbackSender(config: ApiCallbackSenderConfig): ChannelSender {
  const clock = config.clock ?? systemClock;
  const guard = config.addressGuard ?? createOutboundAddressGuard({ allowPrivateNetworks: false });
  return {
    channel: API_CHANNEL,
    async send(delivery: OutboundDelivery): Promise<SendResult> {
      const address = parseApiReplyAddress(delivery.replyAddress);
      if (!address) return { ok: false, retryable: false, error: `not an API-channel reply address: "${delivery.replyAddress}"` };
      let callback: { url: string; secret: string } | null;
      try {
        callback = await config.callbackOf(address.appId);
      } catch (error) {
        return { ok: false, retryable: true, error: `callback lookup failed: ${error instanceof Error ? error.message : String(error)}` };
      }
      if (!callback) return { ok: false, retryable: false, error: `no callback registered for app ${address.appId}` };
      const now = clock.now();
      const message: ApiCallbackMessage = {
        type: 'message',
        messageId: delivery.messageId,
        conversationId: address.conversationId,
        complaintReference: delivery.complaintReference,
        purpose: delivery.purpose,
        language: delivery.language,
        text: delivery.text,
        quickReplies: delivery.quickReplies,
        sentAt: now.toISOString(),
      };
      const body = JSON.stringify(message);
      const outcome = await postForDelivery(callback.url, {
        body,
        headers: {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: signBody(callback.secret, body, now),
          [DELIVERY_HEADER]: delivery.messageId,
          [ATTEMPT_HEADER]: String(delivery.attempt),
        },
        timeoutMs: config.timeoutMs,
        now: () => clock.now(),
        guard,
      });
      if (outcome.ok) return { ok: true };
      return {
        ok: false,
        retryable: outcome.retryable,
        error: outcome.error ?? 'delivery failed',
        ...(outcome.status === undefined ? {} : { status: outcome.status }),
        ...(outcome.retryAfterMs === undefined ? {} : { retryAfterMs: outcome.retryAfterMs }),
      };
    },
  };
}
