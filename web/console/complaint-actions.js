/*
 * The complaint page's actions: one form for each action the API says the complaint allows now
 * (state.allowedActions), those reserved to supervisors shown only to supervisors and admins. Replies, questions,
 * proposals and final responses can start from a template in the customer's language (GET /v1/templates). Assigning
 * offers the staff GET /v1/staff/members gives for the complaint's team (an agent: only themselves, as the workflow
 * allows); extending offers the running clocks and the extensions their regime still allows (`deadline.extensions`).
 * Each submission goes to POST /v1/complaints/{id}/actions with its own Idempotency-Key; an error shows the API's
 * code, message and details, and success redraws the page.
 */
import { api, isApiError, newIdempotencyKey } from './api.js';
import { field, h, replace, select, uniqueId } from './dom.js';
import { formatDate, formatDateTime, label, t } from './i18n.js';

const SUPERVISOR_ONLY = new Set(['approve_resolution', 'reject_resolution']);
/** Actions the console offers, in the order it shows them. */
const OFFERED = [
  'start_investigation', 'triage', 'assign', 'reply', 'request_information', 'propose_resolution', 'approve_resolution', 'reject_resolution',
  'send_final_response', 'add_note', 'escalate', 'extend_deadline', 'pause_clock', 'resume_clock', 'record_acknowledgement', 'close', 'reopen',
];

/** Clocks `extend_deadline` can move: running, with an extension their regime still allows. */
function extendableClocks(deadlines) {
  const seen = new Set();
  return deadlines.filter((deadline) => {
    const running = deadline.status === 'open' || deadline.status === 'paused';
    if (!running || !Array.isArray(deadline.extensions) || deadline.extensions.length === 0 || seen.has(deadline.clock)) return false;
    seen.add(deadline.clock);
    return true;
  });
}

function textArea(name, { required = false, maxlength = 5000, rows = 4 } = {}) {
  return h('textarea', { name, required, maxlength: String(maxlength), rows: String(rows) });
}

function fill(template, context) {
  return template.body
    .split('{{reference}}').join(context.reference)
    .split('{{customerName}}').join(context.customerName ?? '')
    .split('{{dueDate}}').join(context.dueAt ? formatDate(context.dueAt) : '');
}

/** A template picker that fills `target` (a textarea) with the chosen template. */
function templatePicker(templates, purpose, target, context) {
  const matching = templates.filter((template) => template.purpose === purpose);
  if (matching.length === 0) return null;
  const picker = select({ name: 'template' }, [['', t('noTemplate')], ...matching.map((template) => [template.id, template.title])], '');
  picker.addEventListener('change', () => {
    const chosen = matching.find((template) => template.id === picker.value);
    if (chosen) target.value = fill(chosen, context);
  });
  return field(t('template'), picker);
}

function optional(value) {
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** The controls of one action and how to read its body from them. */
function formFor(type, templates, context) {
  switch (type) {
    case 'reply': {
      const message = textArea('message', { required: true });
      const channel = select({ name: 'channel' }, [['', t('lastChannel')], ...context.channels.map((name) => [name, label('channel', name)])], '');
      return {
        controls: [templatePicker(templates, 'reply', message, context), field(t('message'), message), context.channels.length > 1 ? field(t('channel'), channel) : null],
        body: () => ({ type, message: message.value.trim(), ...(channel.value ? { channel: channel.value } : {}) }),
      };
    }
    case 'request_information': {
      const question = textArea('question', { required: true, maxlength: 2000 });
      return { controls: [templatePicker(templates, 'request_information', question, context), field(t('question'), question)], body: () => ({ type, question: question.value.trim() }) };
    }
    case 'propose_resolution': {
      const summary = textArea('summary', { required: true });
      const upheld = h('input', { type: 'checkbox', id: uniqueId('upheld'), name: 'upheld', checked: true });
      const amount = h('input', { type: 'number', name: 'redress', min: '0', step: '0.01', inputmode: 'decimal' });
      const currency = h('input', { name: 'currency', value: context.currency ?? 'CNY', pattern: '[A-Z]{3}', maxlength: '3', size: '4' });
      return {
        controls: [
          templatePicker(templates, 'propose_resolution', summary, context),
          field(t('resolutionSummary'), summary),
          h('div', { class: 'field field-check' }, upheld, h('label', { for: upheld.id }, t('upheld'))),
          h('div', { class: 'field-row' }, field(t('redress'), amount), field(t('currency'), currency)),
        ],
        body: () => ({
          type,
          summary: summary.value.trim(),
          upheld: upheld.checked,
          ...(amount.value !== '' ? { redress: { value: Number(amount.value), currency: currency.value.trim().toUpperCase() } } : {}),
        }),
      };
    }
    case 'approve_resolution': {
      const comment = textArea('comment', { maxlength: 2000, rows: 2 });
      return { controls: [field(t('commentOptional'), comment)], body: () => ({ type, ...(optional(comment.value) ? { comment: comment.value.trim() } : {}) }) };
    }
    case 'send_final_response': {
      const message = textArea('message');
      return {
        controls: [templatePicker(templates, 'send_final_response', message, context), field(t('messageOptional'), message, t('finalResponseHint'))],
        body: () => ({ type, ...(optional(message.value) ? { message: message.value.trim() } : {}) }),
      };
    }
    case 'add_note': {
      const text = textArea('text', { required: true, maxlength: 10_000 });
      return { controls: [field(t('note'), text, t('noteHint'))], body: () => ({ type, text: text.value.trim() }) };
    }
    case 'close': {
      const reason = textArea('reason', { maxlength: 2000, rows: 2 });
      return { controls: [field(t('reasonOptional'), reason)], body: () => ({ type, ...(optional(reason.value) ? { reason: reason.value.trim() } : {}) }) };
    }
    case 'reject_resolution':
    case 'reopen':
    case 'escalate': {
      const reason = textArea('reason', { required: true, maxlength: 2000, rows: 2 });
      return { controls: [field(t('reason'), reason)], body: () => ({ type, reason: reason.value.trim() }) };
    }
    case 'assign': {
      const assignee = select({ name: 'assignee', required: true }, context.assignees.map((member) => [member.id, `${member.displayName} (${member.username}) · ${label('role', member.role)}`]), context.assignees[0]?.id);
      return { controls: [field(t('assignTo'), assignee, context.currentAssignee ? t('assignedNow', { name: context.currentAssignee }) : t('unassignedNow'))], body: () => ({ type, assignee: assignee.value }) };
    }
    case 'extend_deadline': {
      const clocks = extendableClocks(context.deadlines);
      const clock = select(
        { name: 'clock', required: true },
        clocks.map((deadline) => [deadline.clock, `${label('regime', deadline.regime)} · ${deadline.clock.replace(/_/g, ' ')} · ${t('dueAt')} ${formatDateTime(deadline.dueAt)}`]),
        clocks[0]?.clock,
      );
      const extension = h('select', { name: 'extension', required: true });
      const fillExtensions = () => {
        const chosen = clocks.find((deadline) => deadline.clock === clock.value);
        replace(extension, (chosen?.extensions ?? []).map((name) => h('option', { value: name }, label('extension', name))));
      };
      clock.addEventListener('change', fillExtensions);
      fillExtensions();
      const reason = textArea('reason', { required: true, maxlength: 2000, rows: 2 });
      return {
        controls: [field(t('clock'), clock), field(t('extension'), extension, t('extensionHint')), field(t('reason'), reason)],
        body: () => ({ type, clock: clock.value, extension: extension.value, reason: reason.value.trim() }),
      };
    }
    case 'pause_clock': {
      const reason = select({ name: 'reason' }, ['awaiting_customer_information', 'external_appraisal'].map((value) => [value, label('pauseReason', value)]), 'awaiting_customer_information');
      return { controls: [field(t('reason'), reason)], body: () => ({ type, reason: reason.value }) };
    }
    case 'record_acknowledgement': {
      const method = select({ name: 'method', required: true }, ['in_person', 'phone', 'letter', 'email', 'other'].map((value) => [value, label('ackMethod', value)]), 'phone');
      const note = textArea('note', { maxlength: 2000, rows: 2 });
      return {
        controls: [field(t('ackMethod'), method, t('ackHint')), field(t('noteOptional'), note, t('noteHint'))],
        body: () => ({ type, method: method.value, ...(optional(note.value) ? { note: note.value.trim() } : {}) }),
      };
    }
    default:
      return { controls: [], body: () => ({ type }) };
  }
}

function errorDetails(error) {
  if (!isApiError(error)) return [t('unexpectedError')];
  return [
    `${t('error')} ${error.code}: ${error.message}`,
    error.details.length > 0 ? h('ul', {}, error.details.map((detail) => h('li', {}, `${String(detail.path)}: ${String(detail.message)}`))) : null,
  ];
}

function actionForm(complaintId, type, templates, context, onDone) {
  const { controls, body } = formFor(type, templates, context);
  const status = h('div', { class: 'form-error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'button-primary' }, label('action', type));
  let idempotencyKey = newIdempotencyKey();
  const form = h('form', { class: 'action-form', dataset: { action: type } }, controls, status, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    replace(status);
    submit.disabled = true;
    try {
      const result = await api(`/v1/complaints/${encodeURIComponent(complaintId)}/actions`, { method: 'POST', body: body(), headers: { 'Idempotency-Key': idempotencyKey } });
      idempotencyKey = newIdempotencyKey();
      onDone(type, result);
    } catch (error) {
      if (isApiError(error) && error.code === 'IDEMPOTENCY_KEY_REUSED') idempotencyKey = newIdempotencyKey();
      replace(status, errorDetails(error));
    } finally {
      submit.disabled = false;
    }
  });
  if (controls.filter(Boolean).length === 0) return h('div', { class: 'action action-button' }, form);
  return h('details', { class: 'action', dataset: { action: type } }, h('summary', {}, label('action', type)), form);
}

/**
 * The actions block: the allowed ones the staff member may take. `context.assignees` are the staff the complaint
 * may be assigned to (none: no Assign form); `context.currentAssignee` names its owner now, if any.
 */
export function actionsSection(complaintId, state, staff, templates, context, onDone) {
  const supervisor = staff.role === 'supervisor' || staff.role === 'admin';
  // The stage allows pausing and resuming whenever the case is open; only one of them makes sense at a time.
  const deadlines = state?.deadlines ?? [];
  const applies = (type) =>
    (type !== 'pause_clock' || deadlines.some((deadline) => deadline.status === 'open')) &&
    (type !== 'resume_clock' || deadlines.some((deadline) => deadline.status === 'paused')) &&
    (type !== 'record_acknowledgement' || deadlines.some((deadline) => deadline.clock === 'acknowledge' && (deadline.status === 'open' || deadline.status === 'paused'))) &&
    (type !== 'assign' || context.assignees.length > 0) &&
    (type !== 'extend_deadline' || extendableClocks(deadlines).length > 0);
  const allowed = (state?.allowedActions ?? []).filter((type) => OFFERED.includes(type) && (supervisor || !SUPERVISOR_ONLY.has(type)) && applies(type));
  if (allowed.length === 0) return h('p', {}, t('noActions'));
  const ordered = OFFERED.filter((type) => allowed.includes(type));
  const formContext = { ...context, deadlines };
  return h('div', { class: 'actions' }, ordered.map((type) => actionForm(complaintId, type, templates, formContext, onDone)));
}
