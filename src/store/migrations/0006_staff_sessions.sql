-- Staff console sign-in (issue 8, decision 0014): an optional password per staff member (scrypt, see
-- src/shared/password.ts), and the console's sessions. Only the sha256 of a session's 256-bit token is stored, so
-- a copy of this table signs no one in. A session ends when idle (last_seen_at + CONSOLE_IDLE_TIMEOUT_MS), at
-- expires_at (the absolute lifetime), on sign-out, or when its staff member's password changes.

ALTER TABLE staff ADD COLUMN password_hash text;
ALTER TABLE staff ADD COLUMN password_changed_at timestamptz;

CREATE TABLE staff_sessions (
  id            uuid PRIMARY KEY,
  token_hash    text NOT NULL UNIQUE,
  staff_id      uuid NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
  csrf_token    text NOT NULL,
  created_at    timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL
);

-- Clean-up of ended sessions (absolute and idle), and "sign out everywhere" for one staff member.
CREATE INDEX staff_sessions_expires_at ON staff_sessions (expires_at);
CREATE INDEX staff_sessions_last_seen_at ON staff_sessions (last_seen_at);
CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id);
