/*
 * One ticket of the queue as a list item: urgency (colour and word), reference (the link to the complaint page),
 * channel (a symbol with its name for screen readers), summary, product and issue, flags as badges, and the time
 * left on the earliest open clock — amber past its warning point, red once breached.
 */
import { h } from './dom.js';
import { formatDateTime, formatDuration, label, t } from './i18n.js';
import { CHANNEL_ICONS } from './labels.js';

/** `ok`, `warning` (past warnAt), `breached` (past dueAt) or `none` (no open clock). */
export function clockState(item, now) {
  if (!item.dueAt) return 'none';
  const due = new Date(item.dueAt).getTime();
  if (now >= due) return 'breached';
  if (item.warnAt && now >= new Date(item.warnAt).getTime()) return 'warning';
  return 'ok';
}

export function clockText(item, now) {
  if (!item.dueAt) return t('noClock');
  const left = new Date(item.dueAt).getTime() - now;
  return left <= 0 ? t('overdueBy', { duration: formatDuration(left) }) : t('timeLeft', { duration: formatDuration(left) });
}

export function channelBadge(channel) {
  const name = label('channel', channel);
  return h(
    'span',
    { class: 'channel', title: name },
    h('span', { class: 'channel-icon', 'aria-hidden': 'true' }, CHANNEL_ICONS[channel] ?? '•'),
    h('span', { class: 'channel-name' }, name),
  );
}

export function urgencyBadge(level) {
  return h('span', { class: ['urgency-badge', `urgency-${level}`] }, label('urgency', level));
}

export function flagBadges(flags) {
  if (!flags || flags.length === 0) return null;
  return h('ul', { class: 'badges', 'aria-label': t('flags') }, flags.map((flag) => h('li', { class: ['badge', `flag-${flag}`] }, label('flag', flag))));
}

export function queueItem(item, now, { fresh }) {
  const state = clockState(item, now);
  return h(
    'li',
    { class: ['queue-item', `urgency-${item.urgency}`, fresh ? 'queue-item-new' : ''], dataset: { id: item.id, reference: item.reference } },
    h('div', { class: 'queue-urgency' }, urgencyBadge(item.urgency)),
    h(
      'div',
      { class: 'queue-main' },
      h(
        'p',
        { class: 'queue-title' },
        h('a', { class: 'queue-reference', href: `#/complaint/${encodeURIComponent(item.id)}` }, item.reference),
        ' ',
        channelBadge(item.channel),
        fresh ? h('span', { class: 'badge badge-new' }, t('new')) : null,
      ),
      h('p', { class: 'queue-summary' }, item.summary),
      h(
        'p',
        { class: 'queue-meta' },
        h('span', {}, label('product', item.product)),
        ' · ',
        h('span', {}, label('issue', item.issue)),
        ' · ',
        h('span', {}, label('stage', item.stage)),
        item.customerName ? [' · ', h('span', {}, item.customerName)] : null,
        item.team ? [' · ', h('span', {}, t('teamNamed', { team: item.team }))] : null,
      ),
      flagBadges(item.flags),
    ),
    h(
      'p',
      { class: ['queue-clock', `clock-${state}`] },
      h('span', { class: 'clock-left' }, clockText(item, now)),
      item.dueAt ? h('span', { class: 'clock-due' }, t('dueOn', { date: formatDateTime(item.dueAt) })) : null,
    ),
  );
}
