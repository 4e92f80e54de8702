/**
 * Handling test fixtures: the handling services wired as main.ts wires them (dispatcher, outbound queue, templates,
 * clock engine, timers, follow-ups, workflow, registrar) on a fixed clock with an `enqueue` that records the jobs;
 * complaints registered the way the intake worker registers them (an inbound message and its shell, the customer
 * and conversation, a record built by the record builder, `registrar.register` in one transaction); follow-up
 * messages in a complaint's conversation; staff members; and a snapshot of everything an action may write, to show
 * that a refused action wrote nothing.
 */
import { randomUUID } from 'node:crypto';
import {
  urgencyRank,
  type Classification,
  type ComplaintRecord,
  type Flag,
  type Issue,
  type Kind,
  type Language,
  type Product,
  type Regime,
  type StaffMember,
  type StaffRole,
  type UrgencyLevel,
} from '../../src/contracts/index.js';
import {
  createClockEngine,
  createEventDispatcher,
  createFollowUps,
  createMessageTemplates,
  createOutboundQueue,
  createRegistrar,
  createWorkflow,
  REGIMES,
  timerJobsFor,
  type FollowUpMessage,
  type FollowUps,
  type Registrar,
  type Workflow,
} from '../../src/handling/index.js';
import { buildRecord } from '../../src/intake/record-builder.js';
import type { FollowUpJob } from '../../src/queue/index.js';
import { fixedClock } from '../../src/shared/clock.js';
import {
  insertInboundBatch,
  insertStaff,
  listEvents,
  lockInboundForProcessing,
  markInboundProcessed,
  resolveCustomerContext,
  verifyChain,
  type ChainVerdict,
  type Database,
  type Queryable,
} from '../../src/store/index.js';

export const WARNING_POINTS = [0.5, 0.8] as const;
export const APPROVAL_REDRESS_LIMIT = 500;
export const SURVEY_TIMEOUT_HOURS = 168;
export const SURVEY_LOW_SCORE = 2;
export const PRODUCT_TEAMS: Partial<Record<Product, string>> = { cards: 'cards', loans: 'lending', mortgages: 'lending', deposit_accounts: 'accounts' };
export const DEFAULT_TEAM = 'general';
/** The bank's time zone per regime in these tests. */
export const TIME_ZONES: Record<Regime, string> = {
  cn_nfra: 'Asia/Shanghai',
  uk_fca: 'Europe/London',
  uk_fca_psd: 'Europe/London',
  eu_psd2: 'Europe/Berlin',
  us_cfpb: 'America/New_York',
  hk_hkma: 'Asia/Hong_Kong',
  au_asic: 'Australia/Sydney',
};

export type FixedClock = ReturnType<typeof fixedClock>;

export interface HandlingServices {
  regime: Regime;
  timeZone: string;
  clock: FixedClock;
  registrar: Registrar;
  workflow: Workflow;
  followUps: FollowUps;
  /** Every job the workflow enqueued after its commits, in order. */
  enqueued: FollowUpJob[];
}

/** The handling services for one regime (the deployment's REGIME), as main.ts wires them. */
export function createHandlingServices(
  database: Database,
  options: { regime: Regime; at: Date; timeZone?: string; calendar?: string; /** The queue refuses every job (Redis down). */ failEnqueue?: boolean; /** Channels Ombuds can write on (default all). */ canReply?: (channel: string) => boolean },
): HandlingServices {
  const timeZone = options.timeZone ?? TIME_ZONES[options.regime];
  const calendar = options.calendar ?? REGIMES[options.regime].calendar;
  const clock = fixedClock(options.at);
  const enqueued: FollowUpJob[] = [];
  const timerJobs = (clocks: Parameters<typeof timerJobsFor>[0], now: Date) => timerJobsFor(clocks, WARNING_POINTS, now);
  const dispatcher = createEventDispatcher();
  const outbound = createOutboundQueue({ clock });
  const templates = createMessageTemplates({ referralRightsOf: (regime) => (REGIMES[regime].requiresReferralRights ? REGIMES[regime].ombudsman : null) });
  const followUps = createFollowUps({ outbound, dispatcher, templates, timerJobs, lowScore: SURVEY_LOW_SCORE });
  const workflow = createWorkflow({
    database,
    clock,
    outbound,
    dispatcher,
    templates,
    clocks: createClockEngine({ timeZone, calendar }),
    timerJobs,
    enqueue: (jobs) => {
      if (options.failEnqueue) return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
      enqueued.push(...jobs);
      return Promise.resolve();
    },
    timeZone,
    approvalRedressLimit: APPROVAL_REDRESS_LIMIT,
    surveyTimeoutHours: SURVEY_TIMEOUT_HOURS,
  });
  const registrar = createRegistrar({
    regime: options.regime,
    timeZone,
    calendar,
    productTeams: PRODUCT_TEAMS,
    defaultTeam: DEFAULT_TEAM,
    clock,
    outbound,
    dispatcher,
    templates,
    timerJobs,
    ...(options.canReply ? { canReply: options.canReply } : {}),
  });
  return { regime: options.regime, timeZone, clock, registrar, workflow, followUps, enqueued };
}

export interface ComplaintSeed {
  text?: string;
  language?: Language;
  kind?: Kind;
  product?: Product;
  issue?: Issue;
  urgency?: UrgencyLevel;
  flags?: Flag[];
  /** Default: the services' clock. */
  receivedAt?: Date;
}

export interface SeededComplaint {
  id: string;
  reference: string;
  customerId: string;
  conversationId: string;
  conversationKey: string;
  customerAddress: string;
  messageId: string;
  record: ComplaintRecord;
  /** The jobs registration returned. */
  jobs: FollowUpJob[];
}

/** A classification as the classifier would give it, with the labels the test chooses. */
export function classificationOf(seed: ComplaintSeed): Classification {
  const decided = <T>(value: T) => ({ value, source: 'rule' as const, confidence: 0.9, reason: 'test fixture' });
  const urgency = seed.urgency ?? 'medium';
  return {
    language: seed.language ?? 'en',
    kind: decided(seed.kind ?? 'complaint'),
    product: decided(seed.product ?? 'cards'),
    issue: decided(seed.issue ?? 'transaction_problem'),
    sentiment: decided('negative' as const),
    flags: (seed.flags ?? []).map((flag) => ({ flag, source: 'rule' as const, rule: 'test fixture', matched: [] })),
    urgency: { level: urgency, score: urgencyRank(urgency) * 25, reasons: [] },
    needsReview: false,
  };
}

/** Stores an inbound message (and its intake shell) from the API channel; returns the ids intake gave it. */
export async function receiveInbound(
  database: Database,
  message: { conversationKey: string; customerAddress: string; text: string; at: Date; timeZone: string },
): Promise<{ messageId: string; shellComplaintId: string; reference: string }> {
  const messageId = randomUUID();
  const [accepted] = await insertInboundBatch(
    database,
    [
      {
        messageId,
        complaintId: randomUUID(),
        channel: 'api',
        channelMessageId: `app:m-${messageId}`,
        conversationKey: message.conversationKey,
        sender: { id: message.customerAddress },
        text: message.text,
        attachments: [],
        fields: null,
        locale: null,
        replyAddress: message.conversationKey,
        raw: null,
        sentAt: message.at,
        receivedAt: message.at,
        identifierHashes: [],
        textContacts: [],
      },
    ],
    message.timeZone,
  );
  if (!accepted?.complaintId || !accepted.reference) throw new Error('inbound message not stored');
  return { messageId: accepted.messageId, shellComplaintId: accepted.complaintId, reference: accepted.reference };
}

/**
 * Registers a complaint as the intake worker does: stores its inbound message, resolves the customer and
 * conversation, builds the record from the classification and calls `registrar.register` in one transaction.
 */
export async function seedComplaint(database: Database, services: HandlingServices, seed: ComplaintSeed = {}): Promise<SeededComplaint> {
  const conversationKey = `app:conversation-${randomUUID()}`;
  const customerAddress = `app:customer-${randomUUID()}`;
  const receivedAt = seed.receivedAt ?? services.clock.now();
  const stored = await receiveInbound(database, {
    conversationKey,
    customerAddress,
    text: seed.text ?? 'My card was charged twice for the same purchase and I want the money back.',
    at: receivedAt,
    timeZone: services.timeZone,
  });
  return database.transaction(async (tx) => {
    const locked = await lockInboundForProcessing(tx, stored.messageId);
    if (!locked) throw new Error('inbound message vanished');
    const context = await resolveCustomerContext(tx, {
      channel: 'api',
      address: customerAddress,
      displayName: null,
      conversationKey,
      complaintId: stored.shellComplaintId,
    });
    const record = buildRecord({
      complaintId: stored.shellComplaintId,
      reference: locked.reference,
      message: locked.message,
      customerId: context.customerId,
      classification: classificationOf(seed),
    });
    const registered = await services.registrar.register(tx, {
      record,
      customerId: context.customerId,
      conversationId: context.conversationId,
      actor: 'system:intake',
      chainHead: locked.chainHead,
    });
    await markInboundProcessed(tx, stored.messageId, services.clock.now());
    return {
      id: record.id,
      reference: record.reference,
      customerId: context.customerId,
      conversationId: context.conversationId,
      conversationKey,
      customerAddress,
      messageId: stored.messageId,
      record: registered.record,
      jobs: registered.jobs,
    };
  });
}

/**
 * The customer's next message in a conversation, stored by intake (with its own shell) and ready for
 * `followUps.claim`: what the intake worker hands it.
 */
export async function followUpIn(
  database: Database,
  conversation: { conversationKey: string; customerAddress: string },
  text: string,
  at: Date,
  timeZone: string,
): Promise<FollowUpMessage> {
  const stored = await receiveInbound(database, { ...conversation, text, at, timeZone });
  const context = await database.transaction((tx) =>
    resolveCustomerContext(tx, {
      channel: 'api',
      address: conversation.customerAddress,
      displayName: null,
      conversationKey: conversation.conversationKey,
      complaintId: stored.shellComplaintId,
    }),
  );
  return { messageId: stored.messageId, shellComplaintId: stored.shellComplaintId, conversationId: context.conversationId, text, at };
}

/** A staff member as the authenticator would hand it to the workflow. */
export async function addStaff(database: Database, role: StaffRole, teams: string[] = [], options: { disabled?: boolean } = {}): Promise<StaffMember> {
  const id = randomUUID();
  const username = `${role}-${id.slice(0, 8)}`;
  await insertStaff(database, { id, username, displayName: username, role, teams, keyPrefix: `staff_${id.slice(0, 12)}`, keyHash: '0'.repeat(64) });
  if (options.disabled) await database.query('UPDATE staff SET disabled_at = now() WHERE id = $1', [id]);
  return { id, username, displayName: username, role, teams };
}

export async function chainOf(db: Queryable, complaintId: string): Promise<ChainVerdict> {
  return verifyChain(await listEvents(db, complaintId));
}

/** Everything an action on a complaint may write, to compare before and after a refused one. */
export async function snapshot(db: Queryable, complaintId: string): Promise<Record<string, unknown>> {
  const rows = async (sql: string) => (await db.query(sql, [complaintId])).rows;
  return {
    complaint: await rows('SELECT * FROM complaints WHERE id = $1'),
    events: await rows('SELECT seq, type, hash FROM complaint_events WHERE complaint_id = $1 ORDER BY seq'),
    deadlines: await rows('SELECT * FROM complaint_deadlines WHERE complaint_id = $1 ORDER BY clock'),
    messages: await rows('SELECT id, direction, purpose, status FROM messages WHERE complaint_id = $1 ORDER BY id'),
    resolutions: await rows('SELECT * FROM resolutions WHERE complaint_id = $1 ORDER BY id'),
    notifications: await rows('SELECT id, kind, audience FROM notifications WHERE complaint_id = $1 ORDER BY id'),
    deliveries: await rows('SELECT id, event_type FROM webhook_deliveries WHERE complaint_id = $1 ORDER BY id'),
    surveys: await rows('SELECT * FROM surveys WHERE complaint_id = $1'),
  };
}
