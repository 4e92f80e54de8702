-- Linking repeat complaints without storing identifiers: salted hashes (HMAC) of the phone numbers, e-mails, card
-- numbers, ID numbers and IBANs found in a message's text, on the message and on its complaint; the phones and
-- e-mails found in the text, kept as the customer's contacts. The deployment's hash secret lives in settings.

CREATE TABLE settings (
  key         text PRIMARY KEY,
  value       text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE messages ADD COLUMN identifier_hashes text[] NOT NULL DEFAULT '{}';
ALTER TABLE messages ADD COLUMN text_contacts jsonb NOT NULL DEFAULT '[]'::jsonb;
ALTER TABLE complaints ADD COLUMN identifier_hashes text[] NOT NULL DEFAULT '{}';
CREATE INDEX complaints_open_identifier_hashes ON complaints USING gin (identifier_hashes) WHERE stage <> 'closed';
