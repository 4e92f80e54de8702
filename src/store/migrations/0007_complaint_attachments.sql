-- Files attached to a complaint by staff at assisted intake (issue 8, decision 0014): scanned letters, photos of a
-- branch form. Kept in the database (bytea, size-limited at the API) so a complaint and its papers commit together
-- and back up together; `sha256` lets an auditor check a file was not changed after intake.
CREATE TABLE complaint_attachments (
  id            uuid PRIMARY KEY,
  complaint_id  uuid NOT NULL REFERENCES complaints (id),
  message_id    uuid REFERENCES messages (id),
  name          text NOT NULL,
  content_type  text NOT NULL,
  size          integer NOT NULL CHECK (size >= 0),
  sha256        text NOT NULL,
  content       bytea NOT NULL,
  created_by    uuid REFERENCES staff (id),
  created_at    timestamptz NOT NULL
);
CREATE INDEX complaint_attachments_complaint ON complaint_attachments (complaint_id, created_at);
