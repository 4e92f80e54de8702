/**
 * What the console's queue search (`q`) looks for, read the way intake stored it: a reference (whole, or its
 * number), part of the customer's name, or a phone number or e-mail address — matched against the customer's
 * identities (stored as given by the channel: phones without separators, e-mails in lower case) and against the
 * salted hashes of the identifiers the customer wrote (intake hashes `phone:+8613812345678`, `email:a@b.cn`, with
 * the phone as digits and a leading + when written). The hash itself is the deployment's (injected).
 */
import type { ConsoleQueueSearch } from './console-queue.js';

const REFERENCE = /^CMP-\d{4}-\d{1,12}$/i;
const NUMBER = /^\d{1,12}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[\d\s().-]{7,24}$/;
/** The channels whose identity address is a phone number. */
const PHONE_CHANNELS = ['phone', 'sms', 'whatsapp'];

/** The ways one number may have been stored: as written, with and without a leading +, with and without +86. */
export function phoneVariants(text: string): string[] {
  const digits = text.replace(/\D/g, '');
  const variants = new Set([`${text.trim().startsWith('+') ? '+' : ''}${digits}`, digits, `+${digits}`]);
  // Chinese mobile numbers: written with or without the country code.
  if (digits.length === 13 && digits.startsWith('861')) {
    variants.add(digits.slice(2));
  }
  if (digits.length === 11 && digits.startsWith('1')) {
    variants.add(`86${digits}`);
    variants.add(`+86${digits}`);
  }
  return [...variants];
}

/** The search for a staff member's `q`; `hashIdentifier` is intake's (`type`, normalised value) → hash. */
export function consoleQueueSearchOf(q: string, hashIdentifier: ((type: string, value: string) => string) | null): ConsoleQueueSearch {
  const text = q.normalize('NFKC').trim();
  if (REFERENCE.test(text)) return { reference: text.toUpperCase() };
  const search: ConsoleQueueSearch = {};
  if (EMAIL.test(text)) {
    const email = text.toLowerCase();
    return { identities: [{ channel: 'email', address: email }], identifierHashes: hashIdentifier ? [hashIdentifier('email', email)] : [] };
  }
  if (NUMBER.test(text)) {
    const number = text.replace(/^0+/, '');
    if (number !== '') search.referenceNumber = number;
  }
  const digitCount = text.replace(/\D/g, '').length;
  if (PHONE.test(text) && digitCount >= 7 && digitCount <= 15) {
    const variants = phoneVariants(text);
    search.identities = PHONE_CHANNELS.flatMap((channel) => variants.map((address) => ({ channel, address })));
    search.identifierHashes = hashIdentifier ? variants.filter((variant) => /^\+?\d+$/.test(variant)).map((variant) => hashIdentifier('phone', variant)) : [];
  }
  if (/\p{L}/u.test(text)) search.name = text;
  return search;
}
