/**
 * What assisted intake checks before anything is written (issue 8 item 4): the date the customer complained (not in
 * the future beyond a small clock skew, not older than the configured limit) and each attachment (base64 that
 * decodes, within the size limit, and bytes whose magic number is the declared content type's).
 */
import type { AssistedAttachment } from '../contracts/index.js';
import { OmbudsError } from '../shared/errors.js';

/** How far ahead of our clock a receipt time may be (a clerk's PC a little fast). */
export const RECEIVED_AT_SKEW_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

export class ReceivedAtInvalid extends OmbudsError {
  constructor(code: 'RECEIVED_AT_IN_FUTURE' | 'RECEIVED_AT_TOO_OLD', message: string) {
    super(code, message, { httpStatus: 400, details: [{ path: 'receivedAt', message }] });
  }
}

export class IncidentDateInvalid extends OmbudsError {
  constructor(message: string) {
    super('INCIDENT_DATE_AFTER_RECEIPT', message, { httpStatus: 400, details: [{ path: 'incidentDate', message }] });
  }
}

export class AttachmentInvalid extends OmbudsError {
  constructor(index: number, message: string) {
    super('ATTACHMENT_INVALID', `Attachment ${String(index)}: ${message}`, { httpStatus: 400, details: [{ path: `attachments.${String(index)}`, message }] });
  }
}

export class AttachmentTooLarge extends OmbudsError {
  constructor(index: number, limitBytes: number) {
    const message = `Attachment ${String(index)} is larger than ${String(limitBytes)} bytes once decoded.`;
    super('ATTACHMENT_TOO_LARGE', message, { httpStatus: 413, details: [{ path: `attachments.${String(index)}`, message }] });
  }
}

/** The receipt instant, checked against now: at most {@link RECEIVED_AT_SKEW_MS} ahead, at most `maxBackdateDays` back. */
export function checkReceivedAt(receivedAt: string, now: Date, maxBackdateDays: number): Date {
  const at = new Date(receivedAt);
  if (at.getTime() > now.getTime() + RECEIVED_AT_SKEW_MS) {
    throw new ReceivedAtInvalid('RECEIVED_AT_IN_FUTURE', 'receivedAt is in the future: give the date and time the customer complained.');
  }
  if (now.getTime() - at.getTime() > maxBackdateDays * DAY_MS) {
    throw new ReceivedAtInvalid('RECEIVED_AT_TOO_OLD', `receivedAt is more than ${String(maxBackdateDays)} days ago (ASSISTED_INTAKE_MAX_BACKDATE_DAYS).`);
  }
  return at;
}

/** The incident (a civil date) cannot have happened after the customer complained about it (their day, bank time zone). */
export function checkIncidentDate(incidentDate: string | undefined, receivedAt: Date, timeZone: string): void {
  if (incidentDate === undefined) return;
  // en-CA formats as YYYY-MM-DD, so the civil dates compare as strings.
  const receivedOn = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(receivedAt);
  if (incidentDate > receivedOn) {
    throw new IncidentDateInvalid(`incidentDate ${incidentDate} is after the day the customer complained (${receivedOn}, ${timeZone}).`);
  }
}

/** The leading bytes every file of a content type starts with (any one of them). */
const MAGIC: Record<AssistedAttachment['contentType'], readonly Buffer[]> = {
  'application/pdf': [Buffer.from('%PDF-', 'latin1')],
  'image/jpeg': [Buffer.from([0xff, 0xd8, 0xff])],
  'image/png': [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
  'image/tiff': [Buffer.from([0x49, 0x49, 0x2a, 0x00]), Buffer.from([0x4d, 0x4d, 0x00, 0x2a])],
};

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export interface DecodedAttachment {
  name: string;
  contentType: AssistedAttachment['contentType'];
  content: Buffer;
}

/**
 * Decodes one attachment. The size is checked from the base64 length before decoding, so an oversized file is
 * refused without allocating it; line breaks (MIME-style base64) are allowed.
 */
export function decodeAttachment(attachment: AssistedAttachment, index: number, maxBytes: number): DecodedAttachment {
  const encoded = attachment.dataBase64.replace(/[\r\n]/g, '');
  const padding = encoded.endsWith('==') ? 2 : encoded.endsWith('=') ? 1 : 0;
  if ((encoded.length / 4) * 3 - padding > maxBytes) throw new AttachmentTooLarge(index, maxBytes);
  if (encoded.length % 4 !== 0 || !BASE64.test(encoded)) throw new AttachmentInvalid(index, 'dataBase64 is not base64.');
  const content = Buffer.from(encoded, 'base64');
  if (content.length === 0) throw new AttachmentInvalid(index, 'the file is empty.');
  const matches = MAGIC[attachment.contentType].some((magic) => content.length >= magic.length && content.subarray(0, magic.length).equals(magic));
  if (!matches) throw new AttachmentInvalid(index, `the bytes are not a ${attachment.contentType} file.`);
  return { name: attachment.name, contentType: attachment.contentType, content };
}
