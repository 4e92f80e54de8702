/**
 * One turn of the intake dialog (DESIGN.md §7): `(state, message) → (state', actions)`, pure. It greets, asks what
 * happened, takes product, amount, date, desired outcome and contact from what was said and asks only for what is
 * missing — one question at a time, with quick replies where the channel has them — confirms a summary, then asks
 * the worker to register. It hands off at once on "agent" / "人工" and whenever a message is critical (self-harm:
 * the crisis line and a human, never a questionnaire), answers status questions through the worker, warns when a
 * card number or code was sent, and after registration adds what the customer writes to their complaint.
 */
import type { Classification, Money, QuickReply } from '../../contracts/index.js';
import { isGreetingOnly, isNo, isSkip, isYes, statusQuery, wantsHuman } from './dialog-intents.js';
import {
  crisisLine,
  label,
  outcomeLabel,
  outcomeQuickReplies,
  productQuickReplies,
  renderDialogText,
  summaryOf,
  type DialogLanguage,
  type DialogTextId,
} from './dialog-messages.js';
import { initialDialogState, type DialogField, type DialogState } from './dialog-state.js';

export interface DialogInput {
  messageId: string;
  /** The customer's words, PII-redacted. */
  text: string;
  at: Date;
  classification: Classification;
  /** What the worker found in this message. */
  extracted: { amount: Money | null; incidentDate: string | null; contact: string | null };
  /** A full card number, PIN, password or code was sent (and redacted). */
  sensitive: boolean;
  capabilities: { quickReplies: boolean };
  /** The channel can reach the customer later (false for a browser chat session). */
  channelReachable: boolean;
}

export type DialogAction =
  | { type: 'reply'; text: string; quickReplies: QuickReply[] }
  /** Register the complaint from the state now; the worker then answers with the reference and due date. */
  | { type: 'register'; reason: 'confirmed' | 'handoff' | 'urgent' }
  | { type: 'handoff'; reason: 'customer_asked' | 'critical' | 'self_harm' }
  /** Answer with the stage and due date of this complaint (null: the conversation's own, if any). */
  | { type: 'status'; reference: string | null }
  /** Add this message to the registered complaint. */
  | { type: 'append' };

export interface DialogTurn {
  state: DialogState;
  actions: DialogAction[];
}

/** Questions at most before the summary (the description aside): a chat must not become a form. */
const MAX_QUESTIONS = 4;
const MONEY_ISSUES = new Set(['unauthorized_fraud', 'fees_interest', 'transaction_problem']);

function reply(id: DialogTextId, language: DialogLanguage, variables: Record<string, string | undefined> = {}, quickReplies: QuickReply[] = []): DialogAction {
  return { type: 'reply', text: renderDialogText(id, language, variables), quickReplies };
}

/** A tapped quick reply or a bare yes/no/skip says nothing about the customer's language. */
const LANGUAGE_NEUTRAL = /^\s*(?:(?:product|outcome|date):[a-z_]+|yes|no|skip|ok)\s*$/i;

function languageOf(state: DialogState | null, classification: Classification, text: string): DialogLanguage {
  if (state && LANGUAGE_NEUTRAL.test(text)) return state.language;
  if (classification.language === 'zh' || classification.language === 'en') return classification.language;
  return state?.language ?? 'en';
}

/** Fields the message states on its own (never overwriting what the customer already answered). */
function absorb(state: DialogState, input: DialogInput): DialogState {
  const fields = { ...state.fields };
  const { product, issue } = input.classification;
  const confident = (decision: { source: string; confidence: number; value: string }) => decision.source !== 'default' && decision.confidence >= 0.5 && decision.value !== 'other';
  if (fields.product === undefined && confident(product)) fields.product = product.value;
  if (fields.issue === undefined && confident(issue)) fields.issue = issue.value;
  if (fields.amount == null && input.extracted.amount) fields.amount = input.extracted.amount;
  if (fields.incidentDate == null && input.extracted.incidentDate) fields.incidentDate = input.extracted.incidentDate;
  if (fields.contact == null && input.extracted.contact) fields.contact = input.extracted.contact;
  return { ...state, fields };
}

function missing(state: DialogState, input: DialogInput): DialogField | null {
  const asked = new Set(state.asked);
  const { fields } = state;
  const open = (field: DialogField, needed: boolean) => needed && !asked.has(field);
  if (state.description.length === 0 && !asked.has('description')) return 'description';
  if (state.asked.filter((field) => field !== 'description').length >= MAX_QUESTIONS) return null;
  if (open('product', fields.product === undefined)) return 'product';
  if (open('amount', fields.amount === undefined && MONEY_ISSUES.has(fields.issue ?? ''))) return 'amount';
  if (open('incidentDate', fields.incidentDate === undefined)) return 'incidentDate';
  if (open('desiredOutcome', fields.desiredOutcome === undefined)) return 'desiredOutcome';
  if (open('contact', fields.contact === undefined && !input.channelReachable)) return 'contact';
  return null;
}

function question(field: DialogField, language: DialogLanguage, quickReplies: boolean): DialogAction {
  const skip: QuickReply = { label: label('skip', language), value: 'skip' };
  switch (field) {
    case 'description':
      return reply('ask_description', language);
    case 'product':
      return reply('ask_product', language, {}, quickReplies ? productQuickReplies(language) : []);
    case 'amount':
      return reply('ask_amount', language, {}, quickReplies ? [skip] : []);
    case 'incidentDate':
      return reply('ask_incident_date', language, {}, quickReplies ? [{ label: label('today', language), value: 'date:today' }, { label: label('yesterday', language), value: 'date:yesterday' }, skip] : []);
    case 'desiredOutcome':
      return reply('ask_desired_outcome', language, {}, quickReplies ? outcomeQuickReplies(language) : []);
    case 'contact':
      return reply('ask_contact', language, {}, quickReplies ? [skip] : []);
  }
}

/** Takes the customer's answer to the pending question; returns the state with the field set. */
function answer(state: DialogState, input: DialogInput, field: DialogField): DialogState {
  const text = input.text.trim();
  const skipped = isSkip(text);
  const fields = { ...state.fields };
  switch (field) {
    case 'description':
      return isGreetingOnly(text) ? state : { ...state, description: [...state.description, text] };
    case 'product': {
      const picked = /^product:([a-z_]+)$/.exec(text)?.[1];
      const parsed = picked ?? (input.classification.product.source !== 'default' ? input.classification.product.value : undefined);
      fields.product = (parsed as typeof fields.product) ?? 'other';
      break;
    }
    case 'amount':
      fields.amount = skipped ? null : input.extracted.amount;
      break;
    case 'incidentDate':
      fields.incidentDate = skipped ? null : input.extracted.incidentDate;
      break;
    case 'desiredOutcome': {
      const picked = /^outcome:([a-z]+)$/.exec(text)?.[1];
      fields.desiredOutcome = skipped ? null : picked ? outcomeLabel(picked, state.language) : text.slice(0, 2000);
      break;
    }
    case 'contact':
      fields.contact = skipped ? null : input.extracted.contact;
      break;
  }
  // An answer that was more than the value asked for is kept as part of the story.
  const extra = !skipped && field !== 'desiredOutcome' && !/^(?:product|outcome|date):/.test(text) && fields[field] == null && text.length > 0;
  return { ...state, fields, description: extra ? [...state.description, text] : state.description };
}

function nextStep(state: DialogState, input: DialogInput): DialogTurn {
  const field = missing(state, input);
  if (field) return { state: { ...state, phase: 'collecting', pending: field, asked: [...state.asked, field] }, actions: [question(field, state.language, input.capabilities.quickReplies)] };
  const quick = input.capabilities.quickReplies ? [{ label: label('yes', state.language), value: 'yes' }, { label: label('no', state.language), value: 'no' }] : [];
  return { state: { ...state, phase: 'confirming', pending: null }, actions: [reply('confirm', state.language, { summary: summaryOf(state) }, quick)] };
}

function urgentTurn(state: DialogState, input: DialogInput, warnings: DialogAction[]): DialogTurn {
  const selfHarm = input.classification.flags.some((flag) => flag.flag === 'self_harm');
  const registered = { ...state, phase: 'handed_off' as const, pending: null };
  const actions: DialogAction[] = [...warnings, { type: 'register', reason: 'urgent' }, { type: 'handoff', reason: selfHarm ? 'self_harm' : 'critical' }];
  actions.splice(warnings.length, 0, selfHarm ? reply('crisis', state.language, { crisisLine: crisisLine(state.language) }) : reply('handoff_urgent', state.language));
  return { state: registered, actions };
}

/** One turn. `stored` is the conversation's state (null for a new conversation or one whose state did not parse). */
export function dialogTurn(stored: DialogState | null, input: DialogInput): DialogTurn {
  const language = languageOf(stored, input.classification, input.text);
  const text = input.text.trim();
  const base: DialogState = { ...(stored ?? initialDialogState(language, input.at)), language, lastActivityAt: input.at.toISOString() };
  const warnings: DialogAction[] = input.sensitive ? [reply('sensitive_warning', language)] : [];
  const withMessage = (state: DialogState): DialogState => ({ ...state, messageIds: [...state.messageIds, input.messageId].slice(-100) });

  // After registration or hand-off, the conversation belongs to the complaint.
  if (base.phase === 'registered' || base.phase === 'handed_off') {
    const status = statusQuery(text);
    if (status) return { state: base, actions: [...warnings, { type: 'status', reference: status.reference }] };
    if (base.phase === 'handed_off') return { state: withMessage(base), actions: [...warnings, { type: 'append' }, reply('already_handed_off', language)] };
    if (wantsHuman(text)) return { state: { ...withMessage(base), phase: 'handed_off' }, actions: [...warnings, { type: 'append' }, { type: 'handoff', reason: 'customer_asked' }, reply('handoff', language)] };
    return { state: withMessage(base), actions: [...warnings, { type: 'append' }, reply('added_to_complaint', language, { reference: base.complaintReference ?? undefined })] };
  }

  const status = statusQuery(text);
  if (status && base.description.length === 0) return { state: base, actions: [...warnings, { type: 'status', reference: status.reference }] };

  if (input.classification.urgency.level === 'critical') {
    return urgentTurn(withMessage(absorb({ ...base, description: [...base.description, text] }, input)), input, warnings);
  }

  if (wantsHuman(text)) {
    // Registered even when nothing was said yet: staff answer on a complaint (the `reply` action), so there must be one.
    const state = { ...withMessage(base), phase: 'handed_off' as const, pending: null };
    return { state, actions: [...warnings, { type: 'register', reason: 'handoff' }, { type: 'handoff', reason: 'customer_asked' }, reply('handoff', language)] };
  }

  if (base.phase === 'new') {
    if (isGreetingOnly(text)) return { state: { ...base, phase: 'collecting', pending: 'description', asked: ['description'] }, actions: [...warnings, reply('greeting', language)] };
    const state = absorb(withMessage({ ...base, description: [text] }), input);
    const turn = nextStep(state, input);
    return { state: turn.state, actions: [...warnings, ...turn.actions] };
  }

  if (base.phase === 'confirming') {
    if (isYes(text) || text === 'yes') return { state: { ...base, phase: 'registered', pending: null }, actions: [...warnings, { type: 'register', reason: 'confirmed' }] };
    if (isNo(text) || text === 'no') return { state: { ...base, phase: 'collecting', pending: 'correction' }, actions: [...warnings, reply('ask_correction', language)] };
    // Anything else is more detail: keep it and confirm again.
    const state = absorb(withMessage({ ...base, description: [...base.description, text] }), input);
    const turn = nextStep(state, input);
    return { state: turn.state, actions: [...warnings, ...turn.actions] };
  }

  // Collecting: the message answers the pending question (or corrects the summary), and may say more.
  let state = withMessage(base);
  if (state.pending === 'correction') state = { ...state, description: [...state.description, text], pending: null };
  else if (state.pending) state = answer(state, input, state.pending);
  else state = { ...state, description: [...state.description, text] };
  state = absorb(state, input);
  const turn = nextStep(state, input);
  return { state: turn.state, actions: [...warnings, ...turn.actions] };
}

/**
 * The dialog's line in the acknowledgement the registration sends (reference and due date are the acknowledgement's
 * own): how to ask for the status here, or (`afterTimeout`) why it was registered without a confirmation.
 */
export function registeredNote(language: DialogLanguage, reference: string, afterTimeout = false): string {
  return renderDialogText(afterTimeout ? 'registered_after_timeout' : 'registered', language, { reference });
}
