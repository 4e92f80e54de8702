/**
 * `POST <path>` for any conversational channel (DESIGN.md §6): one route factory for every ChannelAdapter. The body
 * is read raw (signatures cover the exact bytes; 413 beyond the channel's limit), then verify (401, nothing stored)
 * → parse (400 PAYLOAD_INVALID on garbage, never 5xx) → intake.accept for each message, in order → 200 with an empty
 * body, which every vendor takes as "received" (Telegram: any 2xx; Bot Framework: 200/201/202, empty). A store
 * outage is a 503 and the vendor redelivers; a redelivered message is a duplicate and stores nothing new.
 *
 * A new message on a channel that can show "typing…" starts the indicator at once (best effort, not awaited), so
 * the customer sees the bot at work while the dialog turn runs. Delivery receipts move the outbound message they
 * name forward (`onReceipt`).
 *
 * A channel with a subscription check also gets `GET <path>` (the adapter's `challenge`), and a channel that
 * expects a particular success body gets it (`acknowledgement`) instead of the empty one.
 *
 * `receiveWebhook` is the same pipeline without HTTP, for updates that arrive another way (Telegram long polling).
 */
import express, { Router, type ErrorRequestHandler } from 'express';
import type { ChannelAdapter, RawWebhookRequest } from '../contracts/channel-adapter.js';
import type { ParseResult } from '../contracts/inbound-message.js';
import type { Intake } from '../intake/index.js';
import type { Clock } from '../shared/clock.js';
import { isOmbudsError, PayloadInvalid, PayloadTooLarge } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';

export interface WebhookChannelRouteOptions {
  /** Where the vendor POSTs (`/webhooks/telegram`, `/api/messages`). */
  path: string;
  adapter: ChannelAdapter;
  intake: Intake;
  clock: Clock;
  /** Largest body accepted on this route (413 beyond). */
  bodyLimitBytes: number;
  /** Records a delivery receipt the channel sent (delivered / read / failed) on the outbound message. */
  onReceipt?: (receipt: DeliveryReceiptInput) => Promise<void>;
  logger: Logger;
}

export interface DeliveryReceiptInput {
  channel: string;
  vendorMessageId: string;
  status: 'delivered' | 'read' | 'failed';
  at: Date;
}

export interface WebhookReceipt {
  /** Messages handed to intake (new or duplicate). */
  accepted: number;
  duplicates: number;
  /** Updates the channel sent that Ombuds does not handle (joins, edits, stickers …). */
  unsupported: number;
  /** Delivery receipts. */
  statuses: number;
}

/** verify → parse → intake.accept for each message in order. Throws the adapter's 401, a 400 on garbage, or the store's 503. */
export async function receiveWebhook(
  deps: { adapter: ChannelAdapter; intake: Intake; logger: Logger; onReceipt?: (receipt: DeliveryReceiptInput) => Promise<void> },
  raw: RawWebhookRequest,
  receivedAt: Date,
): Promise<WebhookReceipt> {
  const { adapter } = deps;
  await adapter.verify(raw);
  let results: ParseResult[];
  try {
    results = adapter.parse(raw, receivedAt);
  } catch (error) {
    // An adapter bug on strange input is still the sender's garbage to us: 400, never a 5xx the vendor retries.
    if (isOmbudsError(error)) throw error;
    deps.logger.warn({ err: error, channel: adapter.channel }, 'adapter parse failed');
    throw new PayloadInvalid(`The ${adapter.channel} payload could not be parsed.`);
  }
  const receipt: WebhookReceipt = { accepted: 0, duplicates: 0, unsupported: 0, statuses: 0 };
  const reasons: string[] = [];
  for (const result of results) {
    if (result.kind === 'message') {
      const accepted = await deps.intake.accept(result.message);
      receipt.accepted += 1;
      if (accepted.duplicate) receipt.duplicates += 1;
      else if (adapter.capabilities.typing) showTyping(deps, result.message.replyAddress);
    } else if (result.kind === 'unsupported') {
      receipt.unsupported += 1;
      reasons.push(result.reason);
    } else {
      receipt.statuses += 1;
      if (result.status !== 'sent' && deps.onReceipt) {
        await deps.onReceipt({ channel: adapter.channel, vendorMessageId: result.channelMessageId, status: result.status, at: result.at });
      }
    }
  }
  if (receipt.unsupported > 0 || receipt.statuses > 0) {
    deps.logger.debug({ channel: adapter.channel, unsupported: receipt.unsupported, statuses: receipt.statuses, reasons }, 'webhook updates ignored');
  }
  return receipt;
}

function showTyping(deps: { adapter: ChannelAdapter; logger: Logger }, replyAddress: string): void {
  const { sender } = deps.adapter;
  if (!sender.sendTyping) return;
  sender.sendTyping(replyAddress).then(
    (result) => {
      if (!result.ok) deps.logger.debug({ channel: sender.channel, error: result.error }, 'typing indicator not shown');
    },
    (error: unknown) => {
      deps.logger.debug({ err: error, channel: sender.channel }, 'typing indicator failed');
    },
  );
}

/** Header names in lower case, repeated headers joined as node joins them. */
function lowerCaseHeaders(headers: NodeJS.Dict<string | string[]>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** The route's own limit in the 413 (the app's error handler knows only the global one). */
function tooLargeWithLimit(limitBytes: number): ErrorRequestHandler {
  return (error: unknown, _request, _response, next) => {
    const tooLarge = typeof error === 'object' && error !== null && (error as { type?: unknown }).type === 'entity.too.large';
    next(tooLarge ? new PayloadTooLarge(limitBytes) : error);
  };
}

function rawRequestOf(request: express.Request): RawWebhookRequest {
  const body: unknown = request.body;
  return {
    method: request.method,
    path: request.originalUrl,
    headers: lowerCaseHeaders(request.headers),
    rawBody: Buffer.isBuffer(body) ? body : Buffer.alloc(0),
  };
}

export function webhookChannelRoutes(options: WebhookChannelRouteOptions): Router {
  const router = Router();
  const { adapter } = options;
  if (adapter.challenge) {
    router.get(options.path, async (request, response) => {
      const answer = (await adapter.challenge?.(rawRequestOf(request))) ?? '';
      response.status(200).type('text/plain').send(answer);
    });
  }
  const acknowledgement = options.adapter.acknowledgement;
  router.post(options.path, express.raw({ type: () => true, limit: options.bodyLimitBytes, inflate: false }), async (request, response) => {
    await receiveWebhook(options, rawRequestOf(request), options.clock.now());
    if (acknowledgement) response.status(200).type(acknowledgement.contentType).send(acknowledgement.body);
    else response.status(200).end();
  });
  router.use(tooLargeWithLimit(options.bodyLimitBytes));
  return router;
}
