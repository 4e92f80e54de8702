-- Messages of one conversation in order: the web chat mailbox reads a conversation's replies after a cursor, and
-- the outbound processor looks for an earlier reply of the same conversation still on its way (order of delivery).
CREATE INDEX IF NOT EXISTS messages_conversation ON messages (channel, conversation_key, received_at, id);
