/*
 * The supervision dashboard (supervisors and admins): for a window of dates, GET /v1/reports/dashboard drawn as
 * Chart.js charts — volumes by channel over time, the share answered within the deadline, the satisfaction trend,
 * time per stage — and as tables: open breaches, tickets about to breach, team load and the satisfaction figures
 * behind the trend. A link downloads the same report as CSV; Bull Board (queue health) is at /admin/queues.
 */
import { api, isApiError, queryString } from './api.js';
import { loadChartLibrary, drawChart } from './charts.js';
import { field, h, replace, select } from './dom.js';
import { formatDate, formatDateTime, formatNumber, formatShare, label, t } from './i18n.js';
import { channelBadge, urgencyBadge } from './queue-item.js';

const PALETTE = ['#1f6feb', '#d9480f', '#2f9e44', '#ae3ec9', '#f08c00', '#0c8599', '#c2255c', '#5c940d', '#495057', '#3b5bdb', '#e67700', '#087f5b', '#862e9c', '#364fc7'];

function isoDate(date) {
  const pad = (number) => String(number).padStart(2, '0');
  return `${String(date.getFullYear())}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

const remembered = { from: null, to: null, interval: 'day' };

function table(caption, headings, rows, emptyText) {
  return h(
    'table',
    { class: 'table' },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, headings.map((name) => h('th', { scope: 'col' }, name)))),
    h('tbody', {}, rows.length === 0 ? h('tr', {}, h('td', { colspan: String(headings.length) }, emptyText)) : rows),
  );
}

function ticketRows(items) {
  return items.map((item) =>
    h(
      'tr',
      {},
      h('td', {}, h('a', { href: `#/complaint/${encodeURIComponent(item.id)}` }, item.reference)),
      h('td', {}, urgencyBadge(item.urgency)),
      h('td', {}, channelBadge(item.channel)),
      h('td', {}, item.team),
      h('td', {}, formatDateTime(item.dueAt)),
    ),
  );
}

function chartFigure(id, title, description) {
  const canvas = h('canvas', { id, role: 'img', 'aria-label': description });
  return { canvas, figure: h('figure', { class: 'card chart' }, h('figcaption', {}, title), h('div', { class: 'chart-box' }, canvas)) };
}

export async function renderDashboard({ main }) {
  const today = new Date();
  const monthAgo = new Date(today.getTime() - 29 * 86_400_000);
  remembered.from ??= isoDate(monthAgo);
  remembered.to ??= isoDate(today);
  const from = h('input', { type: 'date', name: 'from', required: true, value: remembered.from });
  const to = h('input', { type: 'date', name: 'to', required: true, value: remembered.to });
  const interval = select({ name: 'interval' }, ['day', 'week', 'month'].map((value) => [value, t(`interval_${value}`)]), remembered.interval);
  const csv = h('a', { class: 'button-link', download: '' }, t('exportCsv'));
  const content = h('div', { class: 'dashboard-content' }, h('p', {}, t('loading')));
  const charts = [];
  let stopped = false;

  const form = h(
    'form',
    { class: 'filters dashboard-filters' },
    field(t('from'), from),
    field(t('to'), to),
    field(t('interval'), interval),
    h('div', { class: 'filter-buttons' }, h('button', { type: 'submit', class: 'button-primary' }, t('show')), csv,
      h('a', { class: 'button-link', href: '/admin/queues' }, t('queueHealth'))),
  );

  const load = async () => {
    remembered.from = from.value;
    remembered.to = to.value;
    remembered.interval = interval.value;
    const query = { from: from.value, to: to.value, interval: interval.value };
    csv.href = `/v1/reports/dashboard${queryString({ ...query, format: 'csv' })}`;
    let view;
    try {
      [view] = await Promise.all([api(`/v1/reports/dashboard${queryString(query)}`), loadChartLibrary()]);
    } catch (error) {
      if (!stopped) replace(content, h('p', { class: 'form-error', role: 'alert' }, isApiError(error) ? `${t('error')} ${error.code}: ${error.message}` : t('chartsUnavailable')));
      return;
    }
    if (stopped) return;
    for (const chart of charts.splice(0)) chart.destroy();

    const channels = [...new Set(view.volumes.flatMap((bucket) => bucket.byChannel.map((entry) => entry.key)))];
    const volume = chartFigure('chart-volumes', t('volumesByChannel'), t('volumesDescription'));
    const within = chartFigure('chart-within', t('withinDeadline'), t('withinDescription', { share: formatShare(view.withinDeadlineShare) }));
    const satisfaction = chartFigure('chart-satisfaction', t('satisfactionTrend'), t('satisfactionDescription'));
    const stages = chartFigure('chart-stages', t('timePerStage'), t('stagesDescription'));
    const total = view.volumes.reduce((sum, bucket) => sum + bucket.total, 0);
    const answered = view.satisfaction.reduce((sum, bucket) => sum + bucket.answered, 0);

    replace(
      content,
      h('ul', { class: 'figures' },
        h('li', { class: 'card figure' }, h('span', { class: 'figure-value' }, formatNumber(total)), h('span', {}, t('received'))),
        h('li', { class: 'card figure' }, h('span', { class: 'figure-value', id: 'within-share' }, formatShare(view.withinDeadlineShare)), h('span', {}, t('withinDeadline'))),
        h('li', { class: 'card figure' }, h('span', { class: 'figure-value' }, formatNumber(view.openBreaches.length)), h('span', {}, t('openBreaches'))),
        h('li', { class: 'card figure' }, h('span', { class: 'figure-value', id: 'surveys-answered' }, formatNumber(answered)), h('span', {}, t('surveysAnswered')))),
      h('div', { class: 'chart-grid' }, volume.figure, within.figure, satisfaction.figure, stages.figure),
      h('div', { class: 'table-grid' },
        h('div', { class: 'card' }, table(t('openBreaches'), [t('reference'), t('urgency'), t('channel'), t('team'), t('dueAt')], ticketRows(view.openBreaches), t('none'))),
        h('div', { class: 'card' }, table(t('aboutToBreach'), [t('reference'), t('urgency'), t('channel'), t('team'), t('dueAt')], ticketRows(view.aboutToBreach), t('none'))),
        h('div', { class: 'card' }, table(t('teamLoad'), [t('team'), t('open'), t('unassigned'), t('breached'), t('agents')],
          view.teamLoad.map((row) => h('tr', {}, h('td', {}, row.team), h('td', {}, formatNumber(row.open)), h('td', {}, formatNumber(row.unassigned)), h('td', {}, formatNumber(row.breached)), h('td', {}, formatNumber(row.agents)))),
          t('none'))),
        h('div', { class: 'card' }, table(t('satisfaction'), [t('period'), t('answered'), t('averageScore'), t('resolvedShare')],
          view.satisfaction.filter((row) => row.answered > 0).map((row) => h('tr', { class: 'satisfaction-row' }, h('td', {}, formatDate(row.bucket)), h('td', {}, formatNumber(row.answered)), h('td', { class: 'satisfaction-score' }, formatNumber(row.averageScore, 2)), h('td', {}, formatShare(row.resolvedShare)))),
          t('noSurveys'))),
        h('div', { class: 'card' }, table(t('byProduct'), [t('product'), t('count')], view.byProduct.map((row) => h('tr', {}, h('td', {}, label('product', row.key)), h('td', {}, formatNumber(row.count)))), t('none'))),
        h('div', { class: 'card' }, table(t('byIssue'), [t('issue'), t('count')], view.byIssue.map((row) => h('tr', {}, h('td', {}, label('issue', row.key)), h('td', {}, formatNumber(row.count)))), t('none')))),
    );

    const buckets = view.volumes.map((bucket) => formatDate(bucket.bucket));
    charts.push(
      drawChart(volume.canvas, {
        type: 'bar',
        data: {
          labels: buckets,
          datasets: channels.map((channel, index) => ({
            label: label('channel', channel),
            backgroundColor: PALETTE[index % PALETTE.length],
            data: view.volumes.map((bucket) => bucket.byChannel.find((entry) => entry.key === channel)?.count ?? 0),
          })),
        },
        options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
      }),
      drawChart(within.canvas, {
        type: 'doughnut',
        data: {
          labels: [t('withinDeadline'), t('outsideDeadline')],
          datasets: [{ data: view.withinDeadlineShare === null ? [0, 0] : [view.withinDeadlineShare, 1 - view.withinDeadlineShare], backgroundColor: ['#2f9e44', '#e03131'] }],
        },
      }),
      drawChart(satisfaction.canvas, {
        type: 'line',
        data: {
          labels: view.satisfaction.map((bucket) => formatDate(bucket.bucket)),
          datasets: [{ label: t('averageScore'), data: view.satisfaction.map((bucket) => bucket.averageScore), borderColor: '#1f6feb', backgroundColor: '#1f6feb', spanGaps: true }],
        },
        options: { scales: { y: { min: 1, max: 5 } } },
      }),
      drawChart(stages.canvas, {
        type: 'bar',
        data: {
          labels: view.timePerStage.map((row) => label('stage', row.stage)),
          datasets: [
            { label: t('medianHours'), data: view.timePerStage.map((row) => row.medianHours), backgroundColor: '#1f6feb' },
            { label: t('p90Hours'), data: view.timePerStage.map((row) => row.p90Hours), backgroundColor: '#f08c00' },
          ],
        },
        options: { indexAxis: 'y' },
      }),
    );
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (form.reportValidity()) void load();
  });

  replace(
    main,
    h('section', { class: 'page dashboard-page', 'aria-labelledby': 'dashboard-title' },
      h('h1', { id: 'dashboard-title', tabindex: '-1' }, t('dashboardTitle')),
      form,
      content),
  );
  await load();
  return () => {
    stopped = true;
    for (const chart of charts.splice(0)) chart.destroy();
  };
}
