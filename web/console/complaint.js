/*
 * The complaint page: what the case is (reference, stage, urgency, flags, clocks), the actions it allows now, the
 * whole conversation across channels as one timeline (customer, bot, agent and internal notes told apart;
 * hotline calls turn by turn with their speakers), the structured record with the provenance of each field, the
 * deadlines with their regime and status, and the audit trail. Reads GET /v1/complaints/{id} and
 * GET /v1/complaints/{id}/timeline (and, for a supervisor who may assign it, GET /v1/staff/members of its team);
 * every text from the server is shown with textContent.
 */
import { api, isApiError, queryString } from './api.js';
import { actionsSection } from './complaint-actions.js';
import { recordSection } from './complaint-record.js';
import { h, replace } from './dom.js';
import { formatDateTime, formatMoney, formatNumber, label, t } from './i18n.js';
import { channelBadge, clockState, clockText, flagBadges, urgencyBadge } from './queue-item.js';

function errorLine(error) {
  return isApiError(error) ? `${t('error')} ${error.code}: ${error.message}` : t('unexpectedError');
}

const SUPERVISING = new Set(['supervisor', 'admin']);

/**
 * Who the complaint may be assigned to, as the workflow allows: a supervisor or admin, anyone the staff directory
 * gives for its team; an agent, only themselves. Its owner now is left out. Answers `{ members, error? }`.
 */
async function assignableStaff(state, staff) {
  if (!state?.allowedActions.includes('assign')) return { members: [] };
  if (!SUPERVISING.has(staff.role)) return { members: state.assignee === staff.id ? [] : [staff] };
  try {
    const list = await api(`/v1/staff/members${queryString({ team: state.team })}`);
    return { members: list.items };
  } catch (error) {
    return { members: [], error };
  }
}

function section(id, title, ...content) {
  return h('section', { class: 'card complaint-section', 'aria-labelledby': id }, h('h2', { id }, title), content);
}

function formatSeconds(seconds) {
  if (seconds === null || seconds === undefined) return '';
  const whole = Math.max(0, Math.floor(seconds));
  return `${String(Math.floor(whole / 60))}:${String(whole % 60).padStart(2, '0')}`;
}

function timelineEntry(entry) {
  const who = entry.author ? `${label('entry', entry.kind)} · ${entry.author}` : label('entry', entry.kind);
  return h(
    'li',
    { class: ['timeline-entry', `entry-${entry.kind}`], dataset: { kind: entry.kind } },
    h(
      'p',
      { class: 'entry-head' },
      h('span', { class: 'entry-who' }, who),
      entry.channel ? [' ', channelBadge(entry.channel)] : null,
      ' ',
      h('time', { datetime: entry.at, class: 'entry-time' }, formatDateTime(entry.at)),
      entry.status ? [' ', h('span', { class: 'badge entry-status' }, entry.status)] : null,
    ),
    entry.text ? h('p', { class: 'entry-text' }, entry.text) : null,
    entry.transcript
      ? h(
          'ol',
          { class: 'transcript', 'aria-label': t('transcriptOf', { call: entry.transcript.callId }) },
          entry.transcript.turns.map((turn) =>
            h(
              'li',
              { class: ['turn', `speaker-${turn.speaker}`] },
              h('span', { class: 'turn-speaker' }, label('speaker', turn.speaker)),
              turn.startSeconds !== null ? h('span', { class: 'turn-time' }, formatSeconds(turn.startSeconds)) : null,
              h('span', { class: 'turn-text' }, turn.text),
            ),
          ),
        )
      : null,
  );
}

function deadlinesTable(deadlines) {
  if (!deadlines || deadlines.length === 0) return h('p', {}, t('noDeadlines'));
  return h(
    'table',
    { class: 'table' },
    h('thead', {}, h('tr', {}, [t('regime'), t('clock'), t('startsAt'), t('dueAt'), t('status'), t('extension')].map((name) => h('th', { scope: 'col' }, name)))),
    h(
      'tbody',
      {},
      deadlines.map((deadline) =>
        h(
          'tr',
          { class: `deadline-${deadline.status}` },
          h('td', {}, label('regime', deadline.regime)),
          h('td', {}, deadline.clock.replace(/_/g, ' ')),
          h('td', {}, formatDateTime(deadline.startsAt)),
          h('td', {}, formatDateTime(deadline.dueAt)),
          h('td', {}, label('deadlineStatus', deadline.status)),
          h('td', {}, label('extension', deadline.extension)),
        ),
      ),
    ),
  );
}

function attachmentList(complaintId, items) {
  return h(
    'ul',
    { class: 'attachments' },
    items.map((file) =>
      h('li', {}, h('a', { href: `/v1/complaints/${encodeURIComponent(complaintId)}/attachments/${encodeURIComponent(file.id)}`, download: file.name }, file.name),
        ` (${formatNumber(Math.ceil(file.size / 1024))} KB)`),
    ),
  );
}

function auditTable(events) {
  if (events.length === 0) return h('p', {}, t('noEvents'));
  return h(
    'table',
    { class: 'table audit' },
    h('thead', {}, h('tr', {}, ['#', t('when'), t('event'), t('actor'), t('details')].map((name) => h('th', { scope: 'col' }, name)))),
    h(
      'tbody',
      {},
      events.map((event) =>
        h(
          'tr',
          {},
          h('td', {}, String(event.seq)),
          h('td', {}, formatDateTime(event.createdAt)),
          h('td', {}, event.type),
          h('td', {}, event.actor),
          h('td', { class: 'audit-data' }, Object.keys(event.data).length > 0 ? JSON.stringify(event.data) : ''),
        ),
      ),
    ),
  );
}

export async function renderComplaint({ main, staff, announce }, id) {
  let stopped = false;
  let templates = null;
  const status = h('p', { class: 'page-status', role: 'status' });

  const draw = async (focusHeading) => {
    let view;
    try {
      view = await api(`/v1/complaints/${encodeURIComponent(id)}`);
    } catch (error) {
      if (stopped) return;
      replace(main, h('section', { class: 'page' }, h('h1', { tabindex: '-1' }, t('complaint')), h('p', { class: 'form-error', role: 'alert' }, errorLine(error)), h('p', {}, h('a', { href: '#/queue' }, t('backToQueue')))));
      return;
    }
    const language = view.record?.customer.language === 'zh' ? 'zh' : 'en';
    const [timeline, templateList, attachments, directory] = await Promise.all([
      api(`/v1/complaints/${encodeURIComponent(view.id)}/timeline`).catch((error) => ({ error })),
      templates ?? api(`/v1/templates?language=${language}`).catch((error) => ({ error })),
      api(`/v1/complaints/${encodeURIComponent(view.id)}/attachments`).catch((error) => ({ error })),
      assignableStaff(view.state, staff),
    ]);
    if (stopped) return;
    if (!templateList.error) templates = templateList;
    const record = view.record;
    const state = view.state;
    const dueAt = state?.dueAt ?? null;
    const clockItem = { dueAt, warnAt: null };
    const context = {
      reference: view.reference,
      customerName: record?.customer.name ?? null,
      dueAt,
      channels: record?.channels ?? [],
      currency: record?.amount?.currency ?? null,
      assignees: directory.members.filter((member) => member.id !== state?.assignee),
      currentAssignee: state?.assignee ? (directory.members.find((member) => member.id === state.assignee)?.displayName ?? (state.assignee === staff.id ? staff.displayName : state.assignee)) : null,
    };
    const onDone = (type) => {
      announce(t('actionDone', { action: label('action', type) }));
      replace(status, t('actionDone', { action: label('action', type) }));
      void draw(false);
    };
    replace(
      main,
      h(
        'article',
        { class: 'page complaint-page', 'aria-labelledby': 'complaint-title' },
        h(
          'div',
          { class: 'page-header' },
          h('h1', { id: 'complaint-title', tabindex: '-1' }, view.reference),
          h('p', { class: 'complaint-badges' }, record ? urgencyBadge(record.urgency.level) : null, ' ', h('span', { class: 'badge stage-badge' }, label('stage', view.stage)), ' ',
            record ? channelBadge(record.channels[record.channels.length - 1]) : null),
          h('p', {}, h('a', { href: '#/queue' }, t('backToQueue'))),
        ),
        status,
        record ? h('p', { class: 'complaint-summary' }, record.summary) : null,
        record ? flagBadges(record.flags) : null,
        h('p', { class: ['queue-clock', `clock-${clockState(clockItem, Date.now())}`] }, clockText(clockItem, Date.now())),
        h(
          'div',
          { class: 'complaint-columns' },
          h(
            'div',
            { class: 'complaint-main' },
            section('actions-title', t('actions'), actionsSection(view.id, state, staff, templates?.items ?? [], context, onDone),
              templateList.error ? h('p', { class: 'field-hint' }, t('templatesUnavailable', { error: errorLine(templateList.error) })) : null,
              directory.error ? h('p', { class: 'field-hint' }, t('membersUnavailable', { error: errorLine(directory.error) })) : null),
            section('timeline-title', t('timeline'),
              timeline.error
                ? h('p', { class: 'form-error' }, errorLine(timeline.error))
                : h('ol', { class: 'timeline' }, timeline.entries.map(timelineEntry))),
          ),
          h(
            'div',
            { class: 'complaint-side' },
            section('record-title', t('record'), recordSection(view.id, record)),
            section('deadlines-title', t('deadlines'), deadlinesTable(state?.deadlines ?? null)),
            !attachments.error && attachments.items.length > 0 ? section('attachments-title', t('attachments'), attachmentList(view.id, attachments.items)) : null,
            state?.resolution
              ? section('resolution-title', t('resolution'), h('p', { class: 'resolution-summary' }, state.resolution.summary),
                  h('p', { class: 'resolution-status' }, t(`resolution_${state.resolution.status}`), ' · ', t(state.resolution.upheld ? 'upheld' : 'notUpheld'),
                    state.resolution.redress ? [' · ', formatMoney(state.resolution.redress)] : null))
              : null,
          ),
        ),
        section('audit-title', t('auditTrail'), auditTable(view.events)),
      ),
    );
    if (focusHeading) main.querySelector('h1')?.focus();
  };

  await draw(false);
  return () => {
    stopped = true;
  };
}
