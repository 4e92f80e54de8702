-- Ombuds schema v1: the system of record (DESIGN.md §4). Queues only dispatch; every job is derivable from here.

CREATE TABLE staff (
  id            uuid PRIMARY KEY,
  username      text NOT NULL UNIQUE,
  display_name  text NOT NULL,
  role          text NOT NULL CHECK (role IN ('agent', 'supervisor', 'admin')),
  teams         text[] NOT NULL DEFAULT '{}',
  key_prefix    text NOT NULL UNIQUE,
  key_hash      text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  disabled_at   timestamptz
);

-- The bank's own apps that post to the API channel.
CREATE TABLE api_clients (
  id            uuid PRIMARY KEY,
  name          text NOT NULL UNIQUE,
  key_prefix    text NOT NULL UNIQUE,
  key_hash      text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  disabled_at   timestamptz
);

CREATE TABLE customers (
  id            uuid PRIMARY KEY,
  display_name  text,
  language      text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- One row per way of reaching a customer; (channel, address) identifies them across messages.
CREATE TABLE customer_identities (
  id            uuid PRIMARY KEY,
  customer_id   uuid NOT NULL REFERENCES customers (id),
  channel       text NOT NULL,
  address       text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (channel, address)
);
CREATE INDEX customer_identities_customer ON customer_identities (customer_id);

-- Dialog state lives here, never in process memory.
CREATE TABLE conversations (
  id                 uuid PRIMARY KEY,
  channel            text NOT NULL,
  conversation_key   text NOT NULL,
  customer_id        uuid REFERENCES customers (id),
  state              jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (channel, conversation_key)
);

CREATE SEQUENCE complaint_reference_seq;

CREATE TABLE complaints (
  id               uuid PRIMARY KEY,
  reference        text NOT NULL UNIQUE,
  stage            text NOT NULL,
  channel          text NOT NULL,
  customer_id      uuid REFERENCES customers (id),
  conversation_id  uuid REFERENCES conversations (id),
  kind             text,
  product          text,
  issue            text,
  urgency          text NOT NULL DEFAULT 'low',
  urgency_rank     smallint NOT NULL DEFAULT 0,
  urgency_score    real NOT NULL DEFAULT 0,
  flags            text[] NOT NULL DEFAULT '{}',
  summary          text NOT NULL DEFAULT '',
  team             text,
  assignee         uuid REFERENCES staff (id),
  regime           text,
  due_at           timestamptz,
  received_at      timestamptz NOT NULL,
  queued_at        timestamptz,
  claimed_at       timestamptz,
  record           jsonb,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
-- The human work queue: unassigned, queued tickets by urgency, then earliest deadline, then age.
CREATE INDEX complaints_work_queue ON complaints (urgency_rank DESC, due_at ASC NULLS LAST, received_at ASC)
  WHERE queued_at IS NOT NULL AND assignee IS NULL;
CREATE INDEX complaints_team_queue ON complaints (team, urgency_rank DESC, due_at ASC NULLS LAST, received_at ASC)
  WHERE queued_at IS NOT NULL AND assignee IS NULL;
CREATE INDEX complaints_customer_open ON complaints (customer_id) WHERE stage <> 'closed';

CREATE TABLE messages (
  id                  uuid PRIMARY KEY,
  direction           text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  channel             text NOT NULL,
  channel_message_id  text NOT NULL,
  conversation_key    text NOT NULL,
  complaint_id        uuid REFERENCES complaints (id) DEFERRABLE INITIALLY DEFERRED,
  sender              jsonb NOT NULL,
  text                text NOT NULL,
  attachments         jsonb NOT NULL DEFAULT '[]'::jsonb,
  fields              jsonb,
  locale              text,
  reply_address       text NOT NULL,
  raw                 jsonb,
  sent_at             timestamptz NOT NULL,
  received_at         timestamptz NOT NULL,
  -- inbound: pending → processed | failed;  outbound: queued → sent → delivered | read | failed
  status              text NOT NULL,
  attempts            integer NOT NULL DEFAULT 0,
  last_error          text,
  processed_at        timestamptz,
  UNIQUE (channel, channel_message_id)
);
CREATE INDEX messages_pending ON messages (received_at) WHERE status = 'pending';
CREATE INDEX messages_complaint ON messages (complaint_id);

CREATE TABLE complaint_deadlines (
  id            uuid PRIMARY KEY,
  complaint_id  uuid NOT NULL REFERENCES complaints (id),
  regime        text NOT NULL,
  clock         text NOT NULL,
  starts_at     timestamptz NOT NULL,
  due_at        timestamptz NOT NULL,
  status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'met', 'breached', 'paused')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (complaint_id, regime, clock)
);

-- Append-only audit trail, hash-chained per complaint: hash = sha256(canonical JSON of the row + prev_hash).
CREATE TABLE complaint_events (
  complaint_id  uuid NOT NULL REFERENCES complaints (id) DEFERRABLE INITIALLY DEFERRED,
  seq           integer NOT NULL CHECK (seq >= 1),
  type          text NOT NULL,
  actor         text NOT NULL,
  data          jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at    timestamptz NOT NULL,
  prev_hash     text,
  hash          text NOT NULL,
  PRIMARY KEY (complaint_id, seq)
);

CREATE FUNCTION complaint_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'complaint_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER complaint_events_no_update BEFORE UPDATE OR DELETE ON complaint_events
  FOR EACH ROW EXECUTE FUNCTION complaint_events_append_only();
CREATE TRIGGER complaint_events_no_truncate BEFORE TRUNCATE ON complaint_events
  FOR EACH STATEMENT EXECUTE FUNCTION complaint_events_append_only();
