/**
 * What every channel adapter offers (DESIGN.md §6, STYLE.md practice 2): verify the raw request, parse it into
 * messages / delivery receipts / unsupported updates, say what the channel can do, and send replies. The HTTP
 * layer runs verify → parse → intake for any adapter; shared code never switches on a channel name.
 */
import type { ChannelSender } from './handling.js';
import type { ParseResult } from './inbound-message.js';

/** A webhook request as received, before anything reads its body (signatures cover the exact bytes). */
export interface RawWebhookRequest {
  method: string;
  /** Path and query string as received (`/webhooks/telegram?x=1`). */
  path: string;
  /** Header names in lower case. */
  headers: Readonly<Record<string, string | undefined>>;
  rawBody: Buffer;
}

export interface ChannelCapabilities {
  /** Buttons the customer can tap instead of typing (inline keyboards, suggested actions). */
  quickReplies: boolean;
  /** A "typing…" indicator can be shown. */
  typing: boolean;
  /** Longest text one outbound message may carry; longer replies are split. */
  maxTextLength: number;
  /** The channel reports delivered / read. */
  deliveryReceipts: boolean;
  /** Customers chat here: their messages go through the intake dialog (decision 0010), not straight to registration. */
  dialog: boolean;
  /** Ombuds can write to the customer here after they leave (false for a browser chat session): if not, the dialog asks for a contact. */
  reachableLater: boolean;
}

export interface ChannelAdapter {
  readonly channel: string;
  readonly capabilities: ChannelCapabilities;
  /** Throws an OmbudsError with httpStatus 401 (code SIGNATURE_INVALID or UNAUTHENTICATED) when not authentic. */
  verify(request: RawWebhookRequest): Promise<void>;
  /** Every message, receipt or unsupported update the request carries; throws PayloadInvalid (400) on garbage. */
  parse(request: RawWebhookRequest, receivedAt: Date): ParseResult[];
  readonly sender: ChannelSender;
  /**
   * The vendor's subscription check (`GET` on the webhook path: Meta's `hub.challenge`, WeChat's `echostr`): the
   * text to answer with 200, or an OmbudsError (401/403) when the check fails. Channels without one answer 404.
   */
  challenge?(request: RawWebhookRequest): Promise<string>;
  /** The body the vendor expects on success (WeChat `success`, Twilio an empty TwiML `<Response/>`); default empty. */
  readonly acknowledgement?: { contentType: string; body: string };
}
