/**
 * The staff console's queue (issue 8, decision 0014): the work queue with scopes (the teams' unassigned tickets,
 * mine, or every open one), filters and a search, each row with the customer's name and language and the warning
 * point of its earliest open clock. Every query first picks the rows' ids in queue order (urgency, earliest
 * deadline, age, id) and only then reads those rows' details, so the default view — a team's unassigned tickets,
 * no filter — reads the same partial indexes in order as the plain work queue (work-queue.ts) and stays as fast.
 */
import type { ConsoleQueueItem, Flag, QueueScope, Stage, UrgencyLevel } from '../contracts/index.js';
import type { Queryable } from './database.js';
import type { WorkRow } from './work-queue.js';

/** What to look for: any of these matches (OR); the route builds them from the staff member's `q`. */
export interface ConsoleQueueSearch {
  /** A whole reference (`CMP-2026-000123`). */
  reference?: string;
  /** A reference's number without leading zeros (`123`). */
  referenceNumber?: string;
  /** Part of the customer's name (case-insensitive). */
  name?: string;
  /** Salted hashes of a phone number or e-mail address as intake hashes those the customer wrote. */
  identifierHashes?: readonly string[];
  /** Ways of reaching the customer (customer_identities: `phone`, `email`, `sms`, `whatsapp` …). */
  identities?: readonly { channel: string; address: string }[];
}

export interface ConsoleQueueFilter {
  scope: QueueScope;
  /** The teams the staff member may see (already narrowed to the one asked for); null = every team. */
  teams: string[] | null;
  /** Whether `teams` is a team the staff member asked for (then own tickets of other teams are left out too). */
  teamRequested: boolean;
  /** The staff member: `mine`, and their own tickets in `all`. */
  staffId: string;
  channel?: string;
  urgency?: UrgencyLevel;
  flag?: Flag;
  stage?: Stage;
  language?: string;
  search?: ConsoleQueueSearch;
  limit: number;
}

/** A queue row as read by {@link CONSOLE_QUEUE_COLUMNS} (complaints `c`, customers `cu`, the clock `clock`). */
export interface ConsoleQueueRow extends WorkRow {
  language: string | null;
  customer_name: string | null;
  clock_starts_at: Date | null;
  clock_due_at: Date | null;
}

/**
 * The columns of a {@link ConsoleQueueRow}, over `complaints c` joined with {@link CONSOLE_QUEUE_JOINS}. For other
 * lists of complaints shown as queue rows (the supervision dashboard): `SELECT ${CONSOLE_QUEUE_COLUMNS} FROM
 * complaints c ${CONSOLE_QUEUE_JOINS} WHERE …`, then {@link toConsoleQueueItem}.
 */
export const CONSOLE_QUEUE_COLUMNS = `c.id, c.reference, c.stage, c.urgency, c.urgency_score, c.flags, c.product, c.issue, c.team, c.assignee,
  c.channel, c.summary, c.due_at, c.received_at, c.record->'customer'->>'language' AS language,
  COALESCE(c.record->'customer'->>'name', cu.display_name) AS customer_name, clock.starts_at AS clock_starts_at, clock.due_at AS clock_due_at`;

/** The customer and the earliest open (not optional) clock: the one `due_at` is the due time of. */
export const CONSOLE_QUEUE_JOINS = `LEFT JOIN customers cu ON cu.id = c.customer_id
  LEFT JOIN LATERAL (
    SELECT d.starts_at, d.due_at FROM complaint_deadlines d
    WHERE d.complaint_id = c.id AND d.status = 'open' AND COALESCE(d.rule->>'optional', 'false') <> 'true'
    ORDER BY d.due_at ASC LIMIT 1
  ) clock ON true`;

const ORDER = `c.urgency_rank DESC, c.due_at ASC NULLS LAST, c.received_at ASC, c.id ASC`;
const UNASSIGNED = `c.queued_at IS NOT NULL AND c.assignee IS NULL`;
const OPEN = `c.queued_at IS NOT NULL AND c.stage <> 'closed'`;

/**
 * A row as the console shows it. `warningFraction` is the warning point the console turns amber at — the largest
 * of TIMER_WARNING_POINTS, the one that also tells the supervisors (timers.ts); null: no warning point.
 */
export function toConsoleQueueItem(row: ConsoleQueueRow, warningFraction: number | null): ConsoleQueueItem {
  const warnAt =
    warningFraction !== null && row.clock_starts_at !== null && row.clock_due_at !== null
      ? new Date(row.clock_starts_at.getTime() + warningFraction * (row.clock_due_at.getTime() - row.clock_starts_at.getTime()))
      : null;
  return {
    id: row.id,
    reference: row.reference,
    stage: row.stage,
    urgency: row.urgency,
    urgencyScore: row.urgency_score,
    flags: row.flags,
    product: row.product,
    issue: row.issue,
    team: row.team,
    assignee: row.assignee,
    channel: row.channel,
    summary: row.summary,
    dueAt: row.due_at?.toISOString() ?? null,
    receivedAt: row.received_at.toISOString(),
    warnAt: warnAt?.toISOString() ?? null,
    language: row.language,
    customerName: row.customer_name,
  };
}

/** Positional parameters, added as the SQL is built. */
class Parameters {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${String(this.values.length)}`;
  }
}

/** `%`, `_` and `\` match themselves in an ILIKE pattern. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

function searchCondition(search: ConsoleQueueSearch, parameters: Parameters): string {
  const any: string[] = [];
  if (search.reference) any.push(`c.reference = ${parameters.add(search.reference)}`);
  if (search.referenceNumber) any.push(`ltrim(split_part(c.reference, '-', 3), '0') = ${parameters.add(search.referenceNumber)}`);
  if (search.name) any.push(`c.customer_id IN (SELECT n.id FROM customers n WHERE n.display_name ILIKE ${parameters.add(likePattern(search.name))})`);
  if (search.identifierHashes && search.identifierHashes.length > 0) any.push(`c.identifier_hashes && ${parameters.add(search.identifierHashes)}::text[]`);
  if (search.identities && search.identities.length > 0) {
    const channels = parameters.add(search.identities.map((identity) => identity.channel));
    const addresses = parameters.add(search.identities.map((identity) => identity.address));
    any.push(
      `c.customer_id IN (SELECT i.customer_id FROM customer_identities i
         JOIN unnest(${channels}::text[], ${addresses}::text[]) AS wanted (channel, address) ON i.channel = wanted.channel AND i.address = wanted.address)`,
    );
  }
  return any.length === 0 ? 'false' : `(${any.join(' OR ')})`;
}

/** The filters' conditions (AND), beside the scope's. */
function filterConditions(filter: ConsoleQueueFilter, parameters: Parameters): string[] {
  const where: string[] = [];
  if (filter.channel) where.push(`c.channel = ${parameters.add(filter.channel)}`);
  if (filter.urgency) where.push(`c.urgency = ${parameters.add(filter.urgency)}`);
  if (filter.flag) where.push(`${parameters.add(filter.flag)} = ANY(c.flags)`);
  if (filter.stage) where.push(`c.stage = ${parameters.add(filter.stage)}`);
  if (filter.language) where.push(`c.record->'customer'->>'language' = ${parameters.add(filter.language)}`);
  if (filter.search) where.push(searchCondition(filter.search, parameters));
  return where;
}

const PICK = `c.id, c.urgency_rank, c.due_at, c.received_at`;

/**
 * The ids of the page, in queue order (`SELECT c.id, <order columns>`). Shaped so that PostgreSQL reads a partial
 * index in queue order and stops at the page: every team (one read), one team, or several teams each read in order
 * and merged (`c.team = ANY(...)` would make it sort every matching row of those teams) — the shapes of
 * listWorkQueue — plus, in `all` for an agent, their own tickets of other teams; `mine` reads the assignee's.
 */
function pageIds(filter: ConsoleQueueFilter, parameters: Parameters): string {
  const limit = parameters.add(filter.limit);
  const { teams } = filter;
  const base = filter.scope === 'team' ? UNASSIGNED : OPEN;
  const select = (where: string[]) => `SELECT ${PICK} FROM complaints c WHERE ${where.join(' AND ')} ORDER BY ${ORDER} LIMIT ${limit}`;
  if (filter.scope === 'mine') {
    const where = [OPEN, `c.assignee = ${parameters.add(filter.staffId)}::uuid`];
    if (teams && filter.teamRequested) where.push(`c.team = ANY(${parameters.add(teams)}::text[])`);
    return select([...where, ...filterConditions(filter, parameters)]);
  }
  if (teams === null) return select([base, ...filterConditions(filter, parameters)]);
  const ownElsewhere = filter.scope === 'all' && !filter.teamRequested;
  if (teams.length === 1 && !ownElsewhere) return select([base, `c.team = ${parameters.add(teams[0])}`, ...filterConditions(filter, parameters)]);
  const teamList = parameters.add(teams);
  const perTeam = `SELECT c.* FROM unnest(${teamList}::text[]) AS t(team)
    CROSS JOIN LATERAL (${select([base, 'c.team = t.team', ...filterConditions(filter, parameters)])}) AS c`;
  // An agent's own tickets outside their teams (they moved since): theirs to see in `all`.
  const own = ownElsewhere
    ? ` UNION ALL (${select([OPEN, `c.assignee = ${parameters.add(filter.staffId)}::uuid`, `(c.team IS NULL OR c.team <> ALL(${teamList}::text[]))`, ...filterConditions(filter, parameters)])})`
    : '';
  return `SELECT c.* FROM (${perTeam}${own}) AS c ORDER BY ${ORDER} LIMIT ${limit}`;
}

/** One page of the console's queue, most urgent first. */
export async function listConsoleQueue(db: Queryable, filter: ConsoleQueueFilter, options: { warningFraction: number | null }): Promise<ConsoleQueueItem[]> {
  const parameters = new Parameters();
  const page = pageIds(filter, parameters);
  const result = await db.query<ConsoleQueueRow>(
    `SELECT ${CONSOLE_QUEUE_COLUMNS} FROM (${page}) page JOIN complaints c ON c.id = page.id ${CONSOLE_QUEUE_JOINS} ORDER BY ${ORDER}`,
    parameters.values,
  );
  return result.rows.map((row) => toConsoleQueueItem(row, options.warningFraction));
}
