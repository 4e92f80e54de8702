/*
 * The complaint page's structured record: each field with why it was decided — the layer (rule, local model, LLM,
 * channel, staff), its confidence and reason, and for flags the rule and the words that triggered it — plus the
 * customer's contacts masked, with a "reveal" button that asks the API (an audited action) for the full value.
 */
import { api, isApiError } from './api.js';
import { h, replace } from './dom.js';
import { formatDate, formatDateTime, formatMoney, formatShare, label, t } from './i18n.js';

function provenance(decision) {
  if (!decision) return null;
  return h(
    'span',
    { class: 'provenance' },
    h('span', { class: ['badge', `source-${decision.source}`] }, label('source', decision.source)),
    ' ',
    h('span', { class: 'confidence' }, t('confidence', { share: formatShare(decision.confidence) })),
    decision.reason ? [' — ', h('span', { class: 'reason' }, decision.reason)] : null,
  );
}

function row(name, value, why) {
  return [h('dt', {}, name), h('dd', {}, h('span', { class: 'field-value' }, value), why ? [' ', why] : null)];
}

/** `••••1234`, `a•••@example.com`: enough to recognise a contact, not to use it. */
export function maskContact(contact) {
  const value = String(contact.value ?? '');
  if (/[*•]/.test(value)) return value;
  if (contact.type === 'email') {
    const at = value.indexOf('@');
    return at > 0 ? `${value.slice(0, 1)}•••${value.slice(at)}` : '•••';
  }
  if (value.length <= 4) return '••••';
  return `${'•'.repeat(Math.min(8, value.length - 4))}${value.slice(-4)}`;
}

function contactsSection(complaintId, contacts) {
  const list = h('ul', { class: 'contacts' });
  const status = h('p', { class: 'form-error', role: 'alert' });
  const draw = (shown, revealed) => {
    replace(
      list,
      shown.length === 0
        ? h('li', {}, t('noContacts'))
        : shown.map((contact) =>
            h('li', {}, h('span', { class: 'contact-type' }, contact.type === 'channel' ? label('channel', contact.channel) : t(`contact_${contact.type}`)), ': ',
              h('span', { class: revealed ? 'contact-value contact-revealed' : 'contact-value' }, revealed ? contact.value : maskContact(contact))),
          ),
    );
  };
  draw(contacts, false);
  const button = h('button', {
    type: 'button',
    class: 'button-quiet',
    onclick: async () => {
      replace(status);
      button.disabled = true;
      try {
        const answer = await api(`/v1/complaints/${encodeURIComponent(complaintId)}/contact/reveal`, { method: 'POST', body: {} });
        const revealed = Array.isArray(answer?.contacts) ? answer.contacts : answer && typeof answer.value === 'string' ? [answer] : [];
        draw(revealed, true);
        button.hidden = true;
      } catch (error) {
        replace(status, isApiError(error) ? `${t('error')} ${error.code}: ${error.message}` : t('unexpectedError'));
      } finally {
        button.disabled = false;
      }
    },
  }, t('revealContacts'));
  return h('div', { class: 'contacts-block' }, list, contacts.length > 0 ? button : null, h('p', { class: 'field-hint' }, t('revealHint')), status);
}

export function recordSection(complaintId, record) {
  if (!record) return h('p', {}, t('noRecordYet'));
  const c = record.classification;
  const flags = (record.flagReasons?.length ? record.flagReasons : c.flags) ?? [];
  return h(
    'div',
    { class: 'record' },
    h(
      'dl',
      { class: 'record-fields' },
      row(t('kind'), label('kind', record.kind), provenance(c.kind)),
      row(t('product'), label('product', record.product), provenance(c.product)),
      row(t('issue'), label('issue', record.issue), provenance(c.issue)),
      row(t('urgency'), `${label('urgency', record.urgency.level)} (${String(record.urgency.score)})`, null),
      row(t('sentiment'), label('sentiment', record.sentiment), provenance(c.sentiment)),
      row(t('customerLanguage'), label('language', record.customer.language), null),
      row(t('amount'), formatMoney(record.amount), null),
      row(t('incidentDate'), formatDate(record.incidentDate), null),
      row(t('desiredOutcome'), record.desiredOutcome ?? '—', null),
      row(t('receivedAt'), formatDateTime(record.receivedAt), null),
      row(t('channels'), record.channels.map((channel) => label('channel', channel)).join(', '), null),
      row(t('team'), record.team, null),
      row(t('customer'), record.customer.name ?? '—', null),
    ),
    c.needsReview ? h('p', { class: 'notice' }, t('needsReview')) : null,
    record.urgency.reasons.length > 0
      ? h('div', {}, h('h3', {}, t('urgencyReasons')), h('ul', { class: 'reasons' }, record.urgency.reasons.map((reason) => h('li', {}, reason))))
      : null,
    h('h3', {}, t('flags')),
    flags.length === 0
      ? h('p', {}, t('noFlags'))
      : h(
          'ul',
          { class: 'flag-reasons' },
          flags.map((reason) =>
            h(
              'li',
              {},
              h('span', { class: ['badge', `flag-${reason.flag}`] }, label('flag', reason.flag)),
              ' ',
              h('span', { class: ['badge', `source-${reason.source}`] }, label('source', reason.source)),
              ' ',
              h('span', { class: 'rule' }, reason.rule),
              reason.matched.length > 0
                ? [' — ', t('triggeredBy'), ' ', reason.matched.map((word, index) => [index > 0 ? ', ' : '', h('q', { class: 'matched' }, word)])]
                : null,
            ),
          ),
        ),
    h('h3', {}, t('contacts')),
    contactsSection(complaintId, record.customer.contacts),
    h('h3', {}, t('description')),
    h('p', { class: 'description' }, record.description),
  );
}
