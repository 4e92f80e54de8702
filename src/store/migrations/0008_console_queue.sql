-- The staff console's queue (issue 8, decision 0014): the `mine` and `all` scopes read open complaints in queue
-- order, and the search finds a complaint by the number of its reference (`123` for CMP-2026-000123).

-- Open, registered complaints in queue order, per team (scope `all`) and per assignee (scope `mine`).
CREATE INDEX IF NOT EXISTS complaints_open_team_queue ON complaints (team, urgency_rank DESC, due_at ASC NULLS LAST, received_at ASC, id ASC)
  WHERE queued_at IS NOT NULL AND stage <> 'closed';
CREATE INDEX IF NOT EXISTS complaints_open_assignee_queue ON complaints (assignee, urgency_rank DESC, due_at ASC NULLS LAST, received_at ASC, id ASC)
  WHERE queued_at IS NOT NULL AND stage <> 'closed' AND assignee IS NOT NULL;
-- The reference's number without its leading zeros (`CMP-2026-000123` → `123`).
CREATE INDEX IF NOT EXISTS complaints_reference_number ON complaints ((ltrim(split_part(reference, '-', 3), '0')));
-- The search by name or contact finds customers first, then their complaints.
CREATE INDEX IF NOT EXISTS complaints_customer ON complaints (customer_id);
