-- Messages that arrive in parts (a concatenated SMS: Vonage's concat-ref / concat-part / concat-total). The parts
-- wait here until every one of a group is in; then the transaction that stores the last one writes the joined
-- message into `messages` (an ordinary pending inbound message from there on). A group that never completes is
-- handed over with the parts it has after a timeout (the reconciler).

-- One group = one long message. The channel's group key (sender, number and concat-ref) recycles: concat-ref is
-- a one- or two-byte counter, so the key names only the group still waiting; a completed group keeps its row (it
-- points at the joined message) and the next message with the same key opens a new one.
CREATE TABLE message_part_groups (
  id            uuid PRIMARY KEY,
  channel       text NOT NULL,
  group_key     text NOT NULL,
  total         integer NOT NULL CHECK (total BETWEEN 2 AND 255),
  opened_at     timestamptz NOT NULL,
  -- Receipt time of the latest part: the timeout counts from here.
  last_part_at  timestamptz NOT NULL,
  -- Set when the joined message was written (all parts in, or handed over after the timeout).
  completed_at  timestamptz,
  incomplete    boolean NOT NULL DEFAULT false,
  message_id    uuid REFERENCES messages (id)
);
-- At most one waiting group per key; the row is also the lock that serialises the parts of one group, whichever
-- process receives them.
CREATE UNIQUE INDEX message_part_groups_waiting_key ON message_part_groups (channel, group_key) WHERE completed_at IS NULL;
CREATE INDEX message_part_groups_waiting ON message_part_groups (last_part_at) WHERE completed_at IS NULL;

-- The parts. A redelivered part (the same channel message id) is stored once; a position is taken once per group.
-- `message` is the part as intake would store it (PII-redacted); it is cleared once the joined message exists.
CREATE TABLE message_parts (
  id                  uuid PRIMARY KEY,
  group_id            uuid NOT NULL REFERENCES message_part_groups (id),
  channel             text NOT NULL,
  channel_message_id  text NOT NULL,
  part_index          integer NOT NULL CHECK (part_index BETWEEN 1 AND 255),
  received_at         timestamptz NOT NULL,
  message             jsonb,
  UNIQUE (channel, channel_message_id),
  UNIQUE (group_id, part_index)
);
