/**
 * How staff views show a customer's contacts (decision 0014, "PII"): masked, enough to recognise one
 * (`+86 138****5678`, `j***@example.com`), never enough to use it. Revealing one is an explicit, audited action
 * (`POST /v1/complaints/{id}/contact/reveal`).
 */
import type { ComplaintRecord, CustomerContact } from '../contracts/index.js';

/** Country calling codes of one or two digits that are common in Ombuds's deployments; others show two digits. */
const ONE_DIGIT_CODES = new Set(['1', '7']);

/** `+8613812345678` → `+86 138****5678`; `13812345678` → `138****5678`; short numbers keep their last two digits. */
export function maskPhone(value: string): string {
  const digits = value.replace(/\D/g, '');
  const international = value.trim().startsWith('+');
  const codeLength = international ? (ONE_DIGIT_CODES.has(digits.charAt(0)) ? 1 : 2) : 0;
  const code = international ? `+${digits.slice(0, codeLength)} ` : '';
  const national = digits.slice(codeLength);
  if (national.length < 8) return `${code}${'*'.repeat(Math.max(national.length - 2, 2))}${national.slice(-2)}`;
  return `${code}${national.slice(0, 3)}${'*'.repeat(national.length - 7)}${national.slice(-4)}`;
}

/** `jane.doe@example.com` → `j***@example.com`. */
export function maskEmail(value: string): string {
  const at = value.lastIndexOf('@');
  if (at <= 0) return maskOpaque(value);
  return `${value.charAt(0)}***${value.slice(at)}`;
}

/** A channel address (a chat id, a WeChat OpenID): its first and last two characters. */
function maskOpaque(value: string): string {
  if (value.length <= 6) return '***';
  return `${value.slice(0, 2)}***${value.slice(-2)}`;
}

const PHONE_LIKE = /^\+?[\d\s().-]{7,24}$/;

export function maskContact(contact: CustomerContact): CustomerContact {
  const value =
    contact.type === 'email' ? maskEmail(contact.value) : contact.type === 'phone' || PHONE_LIKE.test(contact.value) ? maskPhone(contact.value) : maskOpaque(contact.value);
  return { ...contact, value };
}

/** The record with the customer's contacts masked (everything else as stored: texts are redacted at intake). */
export function withMaskedContacts(record: ComplaintRecord): ComplaintRecord {
  return { ...record, customer: { ...record.customer, contacts: record.customer.contacts.map(maskContact) } };
}
