/**
 * What the WhatsApp and Messenger normalizers share: fitting strings into the InboundMessage contract's limits,
 * keeping out the one character PostgreSQL cannot store (U+0000, which JSON may carry as `\u0000`: in a text or
 * jsonb column it fails the whole insert, and Meta would redeliver the batch for days), and turning Meta's
 * timestamps into a sending time that never lies in the future.
 */
import type { Attachment } from '../../contracts/inbound-message.js';

/** The InboundMessage contract's own limits. */
export const MAX_TEXT_LENGTH = 100_000;
export const MAX_ATTACHMENTS = 20;
const MAX_URL_LENGTH = 2048;
const MAX_NAME_LENGTH = 512;
const MAX_MIME_TYPE_LENGTH = 128;

export function clip(value: string, max: number): string {
  return value.length <= max ? value : value.slice(0, max);
}

/** `value` without U+0000. */
export function withoutNul(value: string): string {
  return value.includes('\u0000') ? value.split('\u0000').join('') : value;
}

/** A parsed JSON value with U+0000 taken out of every string and key (what InboundMessage.raw keeps). */
export function jsonWithoutNul(value: unknown): unknown {
  if (typeof value === 'string') return withoutNul(value);
  if (Array.isArray(value)) return value.map(jsonWithoutNul);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [withoutNul(key), jsonWithoutNul(item)]));
  }
  return value;
}

/** Optional attachment fields, only where they fit the contract (a URL too long to keep is left out, never cut). */
export function attachmentDetails(details: { url?: string | undefined; name?: string | undefined; mimeType?: string | undefined }): Partial<Attachment> {
  return {
    ...(details.url && details.url.length <= MAX_URL_LENGTH ? { url: details.url } : {}),
    ...(details.name ? { name: clip(details.name, MAX_NAME_LENGTH) } : {}),
    ...(details.mimeType && details.mimeType.length <= MAX_MIME_TYPE_LENGTH ? { mimeType: details.mimeType } : {}),
  };
}

/**
 * Meta's timestamp → Date, never later than the receipt (a skewed clock must not move a regulatory clock). WhatsApp
 * sends unix seconds (as a string) but has been seen sending milliseconds; Messenger sends milliseconds.
 */
export function sentAtOf(timestamp: string | number | undefined, unit: 'seconds' | 'milliseconds', receivedAt: Date): Date {
  const value = typeof timestamp === 'string' ? Number(timestamp) : timestamp;
  if (value === undefined || !Number.isFinite(value) || value <= 0) return receivedAt;
  const ms = unit === 'milliseconds' || value >= 1e12 ? value : value * 1000;
  const at = new Date(ms);
  return Number.isNaN(at.getTime()) || at.getTime() > receivedAt.getTime() ? receivedAt : at;
}
