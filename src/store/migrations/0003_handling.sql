-- The handling workflow (issue 4, DESIGN.md §9): stage bookkeeping on complaints, clocks that pause, extend, warn
-- and breach, proposed resolutions with four-eyes approval, outbound messages (rows in `messages` before they are
-- jobs), surveys, downstream webhooks with their delivery outbox, staff notifications, idempotency keys.

-- Stages: when the current one was entered and is due (each stage has an owner and a time limit).
ALTER TABLE complaints ADD COLUMN stage_entered_at timestamptz;
ALTER TABLE complaints ADD COLUMN stage_due_at timestamptz;
ALTER TABLE complaints ADD COLUMN stage_before_escalation text;
ALTER TABLE complaints ADD COLUMN escalated_at timestamptz;
ALTER TABLE complaints ADD COLUMN responded_at timestamptz;
ALTER TABLE complaints ADD COLUMN closed_at timestamptz;
ALTER TABLE complaints ADD COLUMN merged_into uuid REFERENCES complaints (id);
CREATE INDEX complaints_merged_into ON complaints (merged_into) WHERE merged_into IS NOT NULL;
-- Set while staff wait for the customer's answer to a request for information; the answer joins this complaint.
ALTER TABLE complaints ADD COLUMN awaiting_information_since timestamptz;
CREATE INDEX complaints_awaiting_information ON complaints (conversation_id) WHERE awaiting_information_since IS NOT NULL;
-- The work-queue indexes end with the id, the queue's last tie-breaker, so PostgreSQL reads them in queue order
-- without a sort step.
DROP INDEX complaints_work_queue;
DROP INDEX complaints_team_queue;
CREATE INDEX complaints_work_queue ON complaints (urgency_rank DESC, due_at ASC NULLS LAST, received_at ASC, id ASC)
  WHERE queued_at IS NOT NULL AND assignee IS NULL;
CREATE INDEX complaints_team_queue ON complaints (team, urgency_rank DESC, due_at ASC NULLS LAST, received_at ASC, id ASC)
  WHERE queued_at IS NOT NULL AND assignee IS NULL;
-- Agents' own open tickets, and the reports' time windows.
CREATE INDEX complaints_assignee_open ON complaints (assignee) WHERE stage <> 'closed';
CREATE INDEX complaints_received ON complaints (received_at);

-- Clocks: the rule they were computed from (unit, offset, allowed extensions and pauses), pause bookkeeping, the
-- extension applied, and when they were met or breached. `warned_points` makes a re-fired timer a no-op.
ALTER TABLE complaint_deadlines ADD COLUMN rule jsonb NOT NULL DEFAULT '{}'::jsonb;
ALTER TABLE complaint_deadlines ADD COLUMN original_due_at timestamptz;
ALTER TABLE complaint_deadlines ADD COLUMN extension text;
ALTER TABLE complaint_deadlines ADD COLUMN paused_at timestamptz;
ALTER TABLE complaint_deadlines ADD COLUMN pause_reason text;
ALTER TABLE complaint_deadlines ADD COLUMN paused_ms bigint NOT NULL DEFAULT 0;
ALTER TABLE complaint_deadlines ADD COLUMN met_at timestamptz;
ALTER TABLE complaint_deadlines ADD COLUMN breached_at timestamptz;
ALTER TABLE complaint_deadlines ADD COLUMN warned_points text[] NOT NULL DEFAULT '{}';
CREATE INDEX complaint_deadlines_open ON complaint_deadlines (due_at) WHERE status IN ('open', 'paused');
CREATE INDEX complaint_deadlines_complaint ON complaint_deadlines (complaint_id);

-- Proposed resolutions. Four eyes: a resolution that needs approval is decided by someone other than its proposer.
CREATE TABLE resolutions (
  id                 uuid PRIMARY KEY,
  complaint_id       uuid NOT NULL REFERENCES complaints (id),
  summary            text NOT NULL,
  upheld             boolean NOT NULL,
  redress_value      numeric(18, 2),
  redress_currency   text,
  proposed_by        uuid NOT NULL REFERENCES staff (id),
  proposed_at        timestamptz NOT NULL,
  requires_approval  boolean NOT NULL,
  status             text NOT NULL CHECK (status IN ('proposed', 'approved', 'rejected', 'superseded')),
  decided_by         uuid REFERENCES staff (id),
  decided_at         timestamptz,
  decision_reason    text,
  CHECK (decided_by IS NULL OR decided_by <> proposed_by)
);
CREATE INDEX resolutions_complaint ON resolutions (complaint_id, proposed_at DESC);

-- Outbound messages are rows in `messages` (direction 'outbound'): queued → sent → delivered | read, or
-- retrying → … → failed. `next_attempt_at` lets the reconciler re-enqueue what Redis lost.
ALTER TABLE messages ADD COLUMN purpose text;
ALTER TABLE messages ADD COLUMN quick_replies jsonb NOT NULL DEFAULT '[]'::jsonb;
ALTER TABLE messages ADD COLUMN vendor_message_id text;
ALTER TABLE messages ADD COLUMN next_attempt_at timestamptz;
ALTER TABLE messages ADD COLUMN sent_by text;
ALTER TABLE messages ADD COLUMN delivered_at timestamptz;
CREATE INDEX messages_outbound_due ON messages (next_attempt_at) WHERE direction = 'outbound' AND status IN ('queued', 'retrying');
CREATE INDEX messages_vendor_id ON messages (channel, vendor_message_id) WHERE vendor_message_id IS NOT NULL;

-- The bank's app's callback for API-channel replies. The secret signs each POST (HMAC), so it is kept readable.
ALTER TABLE api_clients ADD COLUMN callback_url text;
ALTER TABLE api_clients ADD COLUMN callback_secret text;

-- Satisfaction surveys: one per complaint response; a later response supersedes (upsert).
CREATE TABLE surveys (
  complaint_id         uuid PRIMARY KEY REFERENCES complaints (id),
  conversation_id      uuid REFERENCES conversations (id),
  outbound_message_id  uuid,
  sent_at              timestamptz NOT NULL,
  expires_at           timestamptz NOT NULL,
  answered_at          timestamptz,
  score                smallint CHECK (score BETWEEN 1 AND 5),
  resolved             boolean,
  comment              text,
  outcome              text CHECK (outcome IN ('closed', 'reopened', 'callback', 'expired'))
);
CREATE INDEX surveys_open ON surveys (conversation_id) WHERE outcome IS NULL;

-- Downstream webhooks (the bank's helpdesk) and their delivery outbox.
CREATE TABLE webhook_subscriptions (
  id           uuid PRIMARY KEY,
  url          text NOT NULL,
  secret       text NOT NULL,
  events       text[] NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  disabled_at  timestamptz
);

CREATE TABLE webhook_deliveries (
  id               uuid PRIMARY KEY,
  subscription_id  uuid NOT NULL REFERENCES webhook_subscriptions (id),
  event_type       text NOT NULL,
  complaint_id     uuid REFERENCES complaints (id),
  payload          jsonb NOT NULL,
  status           text NOT NULL CHECK (status IN ('queued', 'retrying', 'delivered', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  last_status      integer,
  last_error       text,
  next_attempt_at  timestamptz,
  created_at       timestamptz NOT NULL,
  delivered_at     timestamptz
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status IN ('queued', 'retrying');

-- Events for staff (the console's live feed): breaches and warnings for supervisors, new work for teams.
CREATE TABLE notifications (
  id            bigserial PRIMARY KEY,
  kind          text NOT NULL,
  complaint_id  uuid REFERENCES complaints (id),
  audience      text NOT NULL,
  data          jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at    timestamptz NOT NULL
);

-- Staff POSTs with an Idempotency-Key header answer a repeat with the first answer.
CREATE TABLE idempotency_keys (
  staff_id      uuid NOT NULL REFERENCES staff (id),
  key           text NOT NULL,
  request_hash  text NOT NULL,
  status_code   integer NOT NULL,
  response      jsonb NOT NULL,
  created_at    timestamptz NOT NULL,
  PRIMARY KEY (staff_id, key)
);
