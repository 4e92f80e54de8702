/*
 * The queue page: "my queue" (open tickets assigned to me) and "team queue" (unassigned tickets of my teams), in
 * the order the API answers (urgency, then the earliest deadline); filters and search; "claim next"; and live
 * updates — the page re-reads the queue on every `queue` event of GET /v1/staff/events, on reconnecting, and every
 * 60 s in any case (events may be lost). New tickets are marked and announced to screen readers.
 */
import { api, isApiError, queryString } from './api.js';
import { field, h, replace, select } from './dom.js';
import { label, t, values } from './i18n.js';
import { queueItem } from './queue-item.js';

const REFRESH_EVERY_MS = 60_000;
const TICK_EVERY_MS = 30_000;
const CHANNELS = ['wechat', 'webchat', 'telegram', 'whatsapp', 'messenger', 'botframework', 'sms_twilio', 'sms_vonage', 'hotline', 'api', 'branch', 'letter', 'email', 'phone'];

/** The tab and filters survive leaving the page and coming back. */
const remembered = { scope: 'team', filters: {} };

function errorLine(error) {
  return isApiError(error) ? `${t('error')} ${error.code}: ${error.message}` : t('unexpectedError');
}

function options(group, list) {
  return [['', t('any')], ...(list ?? values(group)).map((value) => [value, label(group, value)])];
}

function filterForm(staff, onApply) {
  const current = remembered.filters;
  const team =
    staff.role === 'agent'
      ? select({ name: 'team' }, [['', t('allMyTeams')], ...staff.teams.map((name) => [name, name])], current.team ?? '')
      : h('input', { name: 'team', value: current.team ?? '', pattern: '[a-z][a-z0-9_-]{0,63}', maxlength: '64', autocomplete: 'off' });
  const controls = {
    team,
    channel: select({ name: 'channel' }, options('channel', CHANNELS), current.channel ?? ''),
    urgency: select({ name: 'urgency' }, options('urgency'), current.urgency ?? ''),
    flag: select({ name: 'flag' }, options('flag'), current.flag ?? ''),
    stage: select({ name: 'stage' }, options('stage'), current.stage ?? ''),
    language: select({ name: 'language' }, options('language', ['en', 'zh']), current.language ?? ''),
    q: h('input', { name: 'q', type: 'search', value: current.q ?? '', maxlength: '200', autocomplete: 'off' }),
  };
  const read = () => Object.fromEntries(Object.entries(controls).map(([name, control]) => [name, control.value.trim()]).filter(([, value]) => value !== ''));
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': t('filters') },
    field(t('team'), controls.team),
    field(t('channel'), controls.channel),
    field(t('urgency'), controls.urgency),
    field(t('flag'), controls.flag),
    field(t('stage'), controls.stage),
    field(t('customerLanguage'), controls.language),
    field(t('search'), controls.q, t('searchHint')),
    h(
      'div',
      { class: 'filter-buttons' },
      h('button', { type: 'submit', class: 'button-primary' }, t('applyFilters')),
      h('button', {
        type: 'button',
        class: 'button-quiet',
        onclick: () => {
          for (const control of Object.values(controls)) control.value = '';
          onApply(read());
        },
      }, t('clearFilters')),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (form.reportValidity()) onApply(read());
  });
  for (const control of Object.values(controls)) if (control.tagName === 'SELECT') control.addEventListener('change', () => onApply(read()));
  return form;
}

export async function renderQueue({ main, staff, announce, navigate }) {
  const list = h('ol', { class: 'queue-list', 'aria-labelledby': 'queue-title' });
  const status = h('p', { class: 'queue-status', role: 'status' });
  const live = h('p', { class: 'live-status' });
  const claimResult = h('p', { class: 'form-error', role: 'alert' });
  let items = [];
  let known = null;
  let fresh = new Set();
  let sequence = 0;
  let stopped = false;

  const draw = () => {
    const focusedReference = document.activeElement?.closest?.('.queue-item')?.dataset.reference;
    const now = Date.now();
    replace(list, items.map((item) => queueItem(item, now, { fresh: fresh.has(item.id) })));
    if (items.length === 0) replace(list, h('li', { class: 'queue-empty' }, t('queueEmpty')));
    if (focusedReference) list.querySelector(`.queue-item[data-reference="${CSS.escape(focusedReference)}"] a`)?.focus();
  };

  const load = async () => {
    sequence += 1;
    const mine = sequence;
    try {
      const answer = await api(`/v1/staff/queue${queryString({ scope: remembered.scope, ...remembered.filters })}`);
      if (stopped || mine !== sequence) return;
      items = answer.items;
      const ids = new Set(items.map((item) => item.id));
      if (known !== null) {
        const added = items.filter((item) => !known.has(item.id));
        fresh = new Set([...[...fresh].filter((id) => ids.has(id)), ...added.map((item) => item.id)]);
        if (added.length > 0) announce(t('newTickets', { count: added.length }));
      }
      known = ids;
      replace(status, t('queueCount', { count: items.length }));
      draw();
    } catch (error) {
      if (stopped || mine !== sequence) return;
      replace(status, errorLine(error));
    }
  };

  const tabs = ['mine', 'team'].map((scope) =>
    h('button', {
      type: 'button',
      role: 'tab',
      id: `tab-${scope}`,
      'aria-selected': String(remembered.scope === scope),
      tabindex: remembered.scope === scope ? '0' : '-1',
      'aria-controls': 'queue-panel',
      class: 'tab',
      onclick: () => {
        remembered.scope = scope;
        for (const tab of tabs) {
          tab.setAttribute('aria-selected', String(tab.id === `tab-${scope}`));
          tab.tabIndex = tab.id === `tab-${scope}` ? 0 : -1;
        }
        panel.setAttribute('aria-labelledby', `tab-${scope}`);
        known = null;
        fresh = new Set();
        void load();
      },
    }, scope === 'mine' ? t('myQueue') : t('teamQueue')),
  );
  // Arrow keys move between the tabs (and choose the one they reach), as a tab list does.
  const tabList = h('div', { class: 'tabs', role: 'tablist', 'aria-label': t('queues') }, tabs);
  tabList.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    event.preventDefault();
    const next = tabs[(tabs.indexOf(document.activeElement) + 1) % tabs.length];
    next.focus();
    next.click();
  });
  const panel = h('div', { id: 'queue-panel', role: 'tabpanel', 'aria-labelledby': `tab-${remembered.scope}` }, status, list);
  const claimButton = h('button', {
    type: 'button',
    class: 'button-primary',
    onclick: async () => {
      replace(claimResult);
      claimButton.disabled = true;
      try {
        const team = remembered.filters.team;
        const claim = () => api('/v1/staff/queue/claim', { method: 'POST', body: team ? { team } : {} });
        let answer = await claim();
        if (answer === null) {
          // Claiming skips a ticket a worker still holds for a moment (one just registered): ask once more.
          await new Promise((resolve) => setTimeout(resolve, 300));
          answer = await claim();
        }
        if (answer === null) {
          replace(claimResult, t('nothingToClaim'));
          return;
        }
        announce(t('claimed', { reference: answer.complaint.reference }));
        navigate(`#/complaint/${encodeURIComponent(answer.complaint.id)}`);
      } catch (error) {
        replace(claimResult, errorLine(error));
      } finally {
        claimButton.disabled = false;
      }
    },
  }, t('claimNext'));

  replace(
    main,
    h(
      'section',
      { class: 'page queue-page', 'aria-labelledby': 'queue-title' },
      h('div', { class: 'page-header' }, h('h1', { id: 'queue-title', tabindex: '-1' }, t('queueTitle')), h('div', { class: 'page-actions' }, claimButton, live)),
      claimResult,
      filterForm(staff, (filters) => {
        remembered.filters = filters;
        known = null;
        fresh = new Set();
        void load();
      }),
      tabList,
      panel,
    ),
  );

  await load();

  // Live: re-read on every hint and after every reconnection; reconnect ourselves when the browser gives up.
  let events = null;
  let retryTimer = null;
  let retryMs = 1_000;
  const connect = () => {
    if (stopped) return;
    events = new EventSource('/v1/staff/events');
    let opened = false;
    events.addEventListener('open', () => {
      retryMs = 1_000;
      replace(live, h('span', { class: 'live-dot', 'aria-hidden': 'true' }), t('live'));
      live.className = 'live-status live-on';
      if (opened) void load();
      opened = true;
    });
    events.addEventListener('queue', () => void load());
    events.addEventListener('error', () => {
      live.className = 'live-status live-off';
      replace(live, t('reconnecting'));
      if (events.readyState === EventSource.CLOSED) {
        events.close();
        retryTimer = window.setTimeout(() => {
          void load();
          connect();
        }, retryMs);
        retryMs = Math.min(retryMs * 2, 60_000);
      } else {
        opened = true;
      }
    });
  };
  connect();
  const refresh = window.setInterval(() => void load(), REFRESH_EVERY_MS);
  const tick = window.setInterval(draw, TICK_EVERY_MS);

  return () => {
    stopped = true;
    events?.close();
    window.clearTimeout(retryTimer);
    window.clearInterval(refresh);
    window.clearInterval(tick);
  };
}
