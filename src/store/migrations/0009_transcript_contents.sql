-- The bytes of each transcript `ombuds import` stored (SHA-256), and the call message they became: a re-run finds
-- a file it has read before by its hash, before parsing and redacting it again (issue 7). Only an accelerator:
-- (channel, channel_message_id) on messages stays the dedupe key, so a missing row costs a parse, never a duplicate.
CREATE TABLE IF NOT EXISTS transcript_contents (
  content_hash  text PRIMARY KEY,
  message_id    uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS transcript_contents_message ON transcript_contents (message_id);
