/**
 * The intake dialog in the worker (decision 0010): one turn per customer message on a chat channel, and the idle
 * timeout. A turn locks the conversation, reads its dialog state, classifies the message and takes out what the
 * dialog needs (amount, incident date, contact), lets the pure `dialogTurn` decide, then carries out its actions in
 * the intake transaction: replies as outbound rows of the conversation's draft complaint, registration of the draft
 * from everything said, hand-off to staff, status answers, and later messages added to the registered complaint.
 *
 * The first message's shell complaint is the draft; every later message of the dialog moves onto it (its own shell
 * is closed as merged), so the complaint's timeline holds the whole conversation.
 */
import { jobIds, type Classification, type ComplaintRecord, type QuickReply } from '../contracts/index.js';
import { extractIncidentDate, largestAmount, parseAmounts, type Classifier } from '../classifier/index.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { enqueueFollowUps, type FollowUpJob, type QueueDriver } from '../queue/index.js';
import {
  appendEvents,
  findComplaintStage,
  findFirstInboundMessage,
  findCustomerComplaintStatus,
  listConversationsInDialog,
  lockComplaintForAction,
  lockConversation,
  mergeInboundInto,
  saveConversationState,
  type AuditEventInput,
  type ChainHead,
  type Database,
  type InboundMessageRow,
  type Queryable,
} from '../store/index.js';
import { dialogTurn, registeredNote, type DialogAction, type DialogInput } from './dialog/dialog-turn.js';
import { renderDialogText, stageLabel, type DialogLanguage } from './dialog/dialog-messages.js';
import { mentionedReference, statusQuery } from './dialog/dialog-intents.js';
import { initialDialogState, readDialogState, type DialogState } from './dialog/dialog-state.js';
import type { ComplaintRegistrar } from './ports.js';
import { buildRecord } from './record-builder.js';

/** What a chat channel can do, as far as the dialog cares (from its adapter's capabilities). */
export interface DialogChannel {
  quickReplies: boolean;
  reachableLater: boolean;
}

/** The handling services a turn uses (implemented by the handling workflow, wired in the composition root). */
export interface DialogServices {
  /** Queues a message to the customer on the complaint's conversation; returns its delivery jobs. */
  reply(tx: Queryable, request: { complaintId: string; text: string; quickReplies: QuickReply[]; language: DialogLanguage; at: Date }): Promise<FollowUpJob[]>;
  /** Tells staff that a customer is waiting for a person (the team; supervisors too when critical). */
  handOff(tx: Queryable, request: { complaintId: string; reason: 'customer_asked' | 'critical' | 'self_harm'; at: Date }): Promise<void>;
  /** Tells the complaint's owner (assignee, else team) that the customer wrote again. */
  customerWrote(tx: Queryable, request: { complaintId: string; messageId: string; at: Date }): Promise<void>;
}

export interface DialogRunnerConfig {
  classifier: Classifier;
  registrar: ComplaintRegistrar;
  services: DialogServices;
  /** The channels whose customers chat (their adapters declare `capabilities.dialog`). */
  channels: ReadonlyMap<string, DialogChannel>;
  /** The bank's time zone: "yesterday" and due dates are read there. */
  timeZone: string;
  /** DIALOG_IDLE_TIMEOUT_MS: a dialog quiet this long is registered with what was said. */
  idleTimeoutMs: number;
  clock: Clock;
  logger: Logger;
}

export interface DialogTurnContext {
  message: InboundMessageRow;
  /** The message's own shell complaint (opened at accept time) and its chain head, read under its lock. */
  shell: { reference: string; chainHead: ChainHead };
  customerId: string;
  conversationId: string;
  /** The customer has another open complaint (a repeat). */
  repeat: boolean;
}

export interface DialogRunner {
  /** Whether messages of this channel go through the dialog. */
  handles(channel: string): boolean;
  /** One turn, inside the intake transaction; returns the jobs to enqueue after the commit. */
  turn(tx: Queryable, context: DialogTurnContext): Promise<FollowUpJob[]>;
  /** The idle timer fired: registers the draft if the dialog is still where the timer left it (inside `tx`). */
  idle(tx: Queryable, conversationId: string, lastActivityAt: string): Promise<FollowUpJob[]>;
}

const ACTOR = 'system:dialog';
const COLLECTING = ['new', 'collecting', 'confirming'] as const;
/** Placeholders the redaction leaves for a card number or a secret (pii.ts). */
const SENSITIVE_PLACEHOLDER = /\[(?:SECRET|CARD [^\]]{0,12})\]/;

const isoDateFormatters = new Map<string, Intl.DateTimeFormat>();

function isoDateIn(at: Date, timeZone: string): string {
  let formatter = isoDateFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    isoDateFormatters.set(timeZone, formatter);
  }
  return formatter.format(at);
}

/** The idle timer of a dialog whose last activity was at `lastActivityAt` (a deterministic id per activity). */
function idleTimer(conversationId: string, lastActivityAt: string, idleTimeoutMs: number, now: Date): FollowUpJob {
  const last = new Date(lastActivityAt);
  return {
    queue: 'timers',
    payload: { kind: 'dialog_idle', conversationId, lastActivityAt },
    options: { jobId: jobIds.dialogIdle(conversationId, last), delayMs: Math.max(0, last.getTime() + idleTimeoutMs - now.getTime()) },
  };
}

function stillCollecting(state: DialogState): boolean {
  return (COLLECTING as readonly string[]).includes(state.phase) && state.description.length > 0;
}

export function createDialogRunner(config: DialogRunnerConfig): DialogRunner {
  const { classifier, registrar, services, clock, logger } = config;

  function extract(message: InboundMessageRow): DialogInput['extracted'] {
    // Quick replies for the date carry `date:today` / `date:yesterday`.
    const text = message.text.replace(/^date:/, '');
    const amount = largestAmount(parseAmounts(text));
    return {
      amount: amount ? { value: amount.value, currency: amount.currency } : null,
      incidentDate: extractIncidentDate(text, { now: message.receivedAt, timeZone: config.timeZone }),
      contact: message.textContacts[0]?.value ?? null,
    };
  }

  /** Registers the draft from everything the dialog gathered; returns the reference and the jobs. */
  async function register(
    tx: Queryable,
    input: { state: DialogState; draftId: string; message: InboundMessageRow; customerId: string; conversationId: string; repeat: boolean; afterTimeout: boolean; at: Date },
  ): Promise<{ record: ComplaintRecord; jobs: FollowUpJob[] } | null> {
    const draft = await lockComplaintForAction(tx, input.draftId);
    if (draft?.stage !== 'intake') return null;
    const { state, message } = input;
    const text = state.description.length > 0 ? state.description.join('\n') : message.text;
    const product = state.fields.product && state.fields.product !== 'other' ? state.fields.product : undefined;
    const classification: Classification = await classifier.classify({
      text,
      ...(message.locale ? { locale: message.locale } : {}),
      ...(product ? { productHint: product } : {}),
      customerHasOpenComplaint: input.repeat,
    });
    const contact = state.fields.contact ?? null;
    const textContacts = [...message.textContacts];
    if (contact && !textContacts.some((known) => known.value === contact)) textContacts.push({ type: contact.includes('@') ? 'email' : 'phone', value: contact });
    const gathered: InboundMessageRow = {
      ...message,
      complaintId: input.draftId,
      text,
      receivedAt: draft.receivedAt,
      textContacts,
      fields: {
        ...(message.fields ?? {}),
        ...(state.fields.amount ? { amount: state.fields.amount } : {}),
        ...(state.fields.incidentDate ? { incidentDate: state.fields.incidentDate } : {}),
        ...(state.fields.desiredOutcome ? { desiredOutcome: state.fields.desiredOutcome } : {}),
      },
    };
    const record = buildRecord({ complaintId: input.draftId, reference: draft.reference, message: gathered, customerId: input.customerId, classification });
    const classified: AuditEventInput = {
      complaintId: input.draftId,
      type: 'classified',
      actor: ACTOR,
      data: {
        messageIds: state.messageIds,
        language: classification.language,
        kind: classification.kind,
        product: classification.product,
        issue: classification.issue,
        urgency: classification.urgency,
        flags: classification.flags,
        needsReview: classification.needsReview,
        dialog: input.afterTimeout ? 'timeout' : 'dialog',
      },
      at: clock.now(),
    };
    return registrar.register(tx, {
      record,
      customerId: input.customerId,
      conversationId: input.conversationId,
      actor: ACTOR,
      precedingEvents: [classified],
      acknowledgementBody: registeredNote(state.language, draft.reference, input.afterTimeout),
      at: input.at,
    });
  }

  async function statusReply(tx: Queryable, state: DialogState, reference: string | null, customerId: string): Promise<{ text: string; quickReplies: QuickReply[] }> {
    const language = state.language;
    const wanted = reference ?? state.complaintReference;
    if (!wanted) return { text: renderDialogText('status_ask_reference', language), quickReplies: [] };
    const found = await findCustomerComplaintStatus(tx, wanted, customerId);
    if (!found || found.stage === 'intake') return { text: renderDialogText('status_not_found', language), quickReplies: [] };
    return {
      text: renderDialogText('status', language, {
        reference: found.reference,
        stage: stageLabel(found.stage as Parameters<typeof stageLabel>[0], language),
        dueDate: found.dueAt && found.stage !== 'closed' ? isoDateIn(found.dueAt, config.timeZone) : undefined,
      }),
      quickReplies: [],
    };
  }

  async function readState(tx: Queryable, conversationId: string): Promise<DialogState | null> {
    const conversation = await lockConversation(tx, conversationId);
    if (!conversation) throw new Error(`conversation ${conversationId} does not exist`);
    const state = readDialogState(conversation.state);
    // A dialog whose complaint was closed (or merged away) is over: the next message starts a new one.
    if (state?.complaintId && (state.phase === 'registered' || state.phase === 'handed_off')) {
      const stage = await findComplaintStage(tx, state.complaintId);
      if (stage === null || stage === 'closed') return null;
    }
    return state;
  }

  /**
   * A new conversation whose first message names one of the customer's own open complaints (written on another
   * channel, say): the conversation joins that complaint instead of starting a dialog. A status question is not
   * joining; it is answered.
   */
  async function joinedComplaint(tx: Queryable, message: InboundMessageRow, customerId: string, language: string): Promise<DialogState | null> {
    const reference = mentionedReference(message.text);
    if (!reference || statusQuery(message.text)) return null;
    const own = await findCustomerComplaintStatus(tx, reference, customerId);
    if (!own || own.stage === 'intake' || own.stage === 'closed') return null;
    return { ...initialDialogState(language === 'zh' ? 'zh' : 'en', message.receivedAt), phase: 'registered', complaintId: own.id, complaintReference: own.reference };
  }

  return {
    handles: (channel) => config.channels.has(channel),

    async turn(tx, context) {
      const { message, customerId, conversationId } = context;
      const channel = config.channels.get(message.channel) ?? { quickReplies: false, reachableLater: true };
      const classification = await classifier.classify({
        text: message.text,
        ...(message.locale ? { locale: message.locale } : {}),
        customerHasOpenComplaint: context.repeat,
      });
      const stored = (await readState(tx, conversationId)) ?? (await joinedComplaint(tx, message, customerId, classification.language));
      const at = clock.now();
      const turn = dialogTurn(stored, {
        messageId: message.id,
        text: message.text,
        at: message.receivedAt,
        classification,
        extracted: extract(message),
        sensitive: SENSITIVE_PLACEHOLDER.test(message.text),
        capabilities: { quickReplies: channel.quickReplies },
        channelReachable: channel.reachableLater,
      });

      // The draft: this message's shell for a new dialog; otherwise the message joins the dialog's complaint.
      const draftId = stored?.complaintId ?? message.complaintId;
      let state: DialogState = { ...turn.state, complaintId: draftId, complaintReference: stored?.complaintReference ?? null };
      if (draftId !== message.complaintId) {
        await mergeInboundInto(tx, { messageId: message.id, shellComplaintId: message.complaintId, intoComplaintId: draftId, at });
        await appendEvents(
          tx,
          [{ complaintId: message.complaintId, type: 'merged', actor: ACTOR, data: { into: draftId, messageId: message.id, reason: 'dialog' }, at }],
          new Map([[message.complaintId, context.shell.chainHead]]),
        );
      }

      const jobs: FollowUpJob[] = [];
      const language = state.language;
      // The turn's messages a millisecond apart, so the customer reads them in the order the dialog said them.
      let step = 0;
      const nextAt = () => new Date(at.getTime() + step++);
      for (const action of turn.actions) {
        jobs.push(...(await carryOut(tx, action)));
      }
      await saveConversationState(tx, conversationId, state, at);
      if (stillCollecting(state)) jobs.push(idleTimer(conversationId, state.lastActivityAt, config.idleTimeoutMs, at));
      logger.debug({ messageId: message.id, conversationId, phase: state.phase, actions: turn.actions.map((action) => action.type) }, 'dialog turn');
      return jobs;

      async function carryOut(tx: Queryable, action: DialogAction): Promise<FollowUpJob[]> {
        switch (action.type) {
          case 'reply':
            return services.reply(tx, { complaintId: draftId, text: action.text, quickReplies: action.quickReplies, language, at: nextAt() });
          case 'register': {
            const registered = await register(tx, { state, draftId, message, customerId, conversationId, repeat: context.repeat, afterTimeout: false, at: nextAt() });
            if (!registered) return [];
            state = { ...state, complaintReference: registered.record.reference };
            logger.info({ complaintId: draftId, reference: registered.record.reference, reason: action.reason, urgency: registered.record.urgency.level }, 'complaint registered from the dialog');
            return registered.jobs;
          }
          case 'handoff':
            await lockComplaintForAction(tx, draftId);
            await appendEvents(tx, [{ complaintId: draftId, type: 'dialog.handed_off', actor: ACTOR, data: { reason: action.reason, messageId: message.id }, at }]);
            await services.handOff(tx, { complaintId: draftId, reason: action.reason, at });
            return [];
          case 'status': {
            const answer = await statusReply(tx, state, action.reference, customerId);
            return services.reply(tx, { complaintId: draftId, ...answer, language, at: nextAt() });
          }
          case 'append':
            await lockComplaintForAction(tx, draftId);
            await appendEvents(tx, [{ complaintId: draftId, type: 'customer.message', actor: `customer:${customerId}`, data: { messageId: message.id, channel: message.channel }, at }]);
            await services.customerWrote(tx, { complaintId: draftId, messageId: message.id, at });
            return [];
        }
      }
    },

    async idle(tx, conversationId, lastActivityAt) {
      const conversation = await lockConversation(tx, conversationId);
      const state = conversation ? readDialogState(conversation.state) : null;
      if (!state?.complaintId || state.lastActivityAt !== lastActivityAt || !stillCollecting(state)) return [];
      const first = await findFirstInboundMessage(tx, state.complaintId);
      if (!first || !conversation?.customerId) return [];
      const registered = await register(tx, {
        state,
        draftId: state.complaintId,
        message: first,
        customerId: conversation.customerId,
        conversationId,
        repeat: false,
        afterTimeout: true,
        at: clock.now(),
      });
      const at = clock.now();
      const next: DialogState = { ...state, phase: 'registered', pending: null, complaintReference: registered?.record.reference ?? state.complaintReference };
      await saveConversationState(tx, conversationId, next, at);
      if (registered) logger.info({ conversationId, complaintId: state.complaintId, reference: registered.record.reference }, 'idle dialog registered with what was said');
      return registered?.jobs ?? [];
    },
  };
}

/**
 * The idle timers the queue should hold (after a Redis loss, or a crash between a turn's commit and its enqueue):
 * one per conversation still collecting, with its deterministic id, so a timer still waiting is not added twice.
 * A conversation that only greeted gets one too; it finds nothing to register.
 */
export async function reconcileIdleDialogs(database: Database, driver: QueueDriver, idleTimeoutMs: number, now: Date, pageSize = 500): Promise<number> {
  let afterId: string | undefined;
  let enqueued = 0;
  for (;;) {
    const page = await listConversationsInDialog(database, { phases: COLLECTING, limit: pageSize, ...(afterId ? { afterId } : {}) });
    const jobs = page.flatMap((conversation) => (conversation.lastActivityAt ? [idleTimer(conversation.id, conversation.lastActivityAt, idleTimeoutMs, now)] : []));
    if (jobs.length > 0) {
      await enqueueFollowUps(driver, jobs);
      enqueued += jobs.length;
    }
    if (page.length < pageSize) return enqueued;
    afterId = page[page.length - 1]?.id;
  }
}
