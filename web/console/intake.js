/*
 * Assisted intake: a complaint made at a branch counter, in a letter, by e-mail or on an untranscribed call,
 * recorded by staff on the customer's behalf (POST /v1/complaints). The date the customer complained may be in the
 * past — the regulatory clocks start then — but not in the future. Scanned letters are read in the browser
 * (FileReader) and sent base64-encoded. The answer shows the reference, the team and the due date.
 */
import { api, isApiError, newIdempotencyKey } from './api.js';
import { field, h, replace, select } from './dom.js';
import { formatDateTime, label, t, values } from './i18n.js';

const ATTACHMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'image/tiff'];

/** `YYYY-MM-DDTHH:MM` in local time, for a datetime-local input. */
function localInputValue(date) {
  const pad = (number) => String(number).padStart(2, '0');
  return `${String(date.getFullYear())}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function readAsBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.addEventListener('load', () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    });
    reader.addEventListener('error', () => reject(reader.error ?? new Error('unreadable file')));
    reader.readAsDataURL(file);
  });
}

function errorDetails(error) {
  if (!isApiError(error)) return [t('unexpectedError')];
  return [
    `${t('error')} ${error.code}: ${error.message}`,
    error.details.length > 0 ? h('ul', {}, error.details.map((detail) => h('li', {}, `${String(detail.path)}: ${String(detail.message)}`))) : null,
  ];
}

export async function renderIntake({ main, announce }) {
  const now = new Date();
  const controls = {
    channel: select({ name: 'channel', required: true }, values('assistedChannel').map((value) => [value, label('assistedChannel', value)]), 'branch'),
    receivedAt: h('input', { name: 'receivedAt', type: 'datetime-local', required: true, value: localInputValue(now), max: localInputValue(now) }),
    sourceReference: h('input', { name: 'sourceReference', maxlength: '200', autocomplete: 'off' }),
    name: h('input', { name: 'customerName', required: true, maxlength: '200', autocomplete: 'off' }),
    phone: h('input', { name: 'customerPhone', type: 'tel', maxlength: '40', autocomplete: 'off' }),
    email: h('input', { name: 'customerEmail', type: 'email', maxlength: '254', autocomplete: 'off' }),
    language: select({ name: 'customerLanguage' }, [['en', label('language', 'en')], ['zh', label('language', 'zh')]], 'en'),
    consentContact: h('input', { name: 'consentContact', type: 'checkbox', id: 'consent-contact' }),
    consentData: h('input', { name: 'consentDataProcessing', type: 'checkbox', id: 'consent-data', required: true }),
    text: h('textarea', { name: 'text', required: true, maxlength: '20000', rows: '8' }),
    product: select({ name: 'product' }, [['', t('productUnknown')], ...values('product').map((value) => [value, label('product', value)])], ''),
    amount: h('input', { name: 'amount', type: 'number', min: '0', step: '0.01', inputmode: 'decimal' }),
    currency: h('input', { name: 'currency', value: 'CNY', pattern: '[A-Z]{3}', maxlength: '3', size: '4' }),
    incidentDate: h('input', { name: 'incidentDate', type: 'date', max: localInputValue(now).slice(0, 10) }),
    attachments: h('input', { name: 'attachments', type: 'file', multiple: true, accept: ATTACHMENT_TYPES.join(',') }),
  };
  const status = h('div', { class: 'form-error', role: 'alert' });
  const result = h('div', { class: 'intake-result', role: 'status' });
  const submit = h('button', { type: 'submit', class: 'button-primary' }, t('recordComplaint'));
  let idempotencyKey = newIdempotencyKey();

  const form = h(
    'form',
    { class: 'card intake-form' },
    h('fieldset', {}, h('legend', {}, t('howReceived')),
      field(t('channel'), controls.channel),
      field(t('complainedAt'), controls.receivedAt, t('complainedAtHint')),
      field(t('sourceReference'), controls.sourceReference, t('sourceReferenceHint'))),
    h('fieldset', {}, h('legend', {}, t('customer')),
      field(t('customerName'), controls.name),
      h('div', { class: 'field-row' }, field(t('phone'), controls.phone), field(t('email'), controls.email)),
      field(t('customerLanguage'), controls.language),
      h('div', { class: 'field field-check' }, controls.consentContact, h('label', { for: 'consent-contact' }, t('consentContact'))),
      h('div', { class: 'field field-check' }, controls.consentData, h('label', { for: 'consent-data' }, t('consentData')))),
    h('fieldset', {}, h('legend', {}, t('theComplaint')),
      field(t('complaintText'), controls.text),
      field(t('product'), controls.product),
      h('div', { class: 'field-row' }, field(t('amount'), controls.amount), field(t('currency'), controls.currency)),
      field(t('incidentDate'), controls.incidentDate),
      field(t('attachments'), controls.attachments, t('attachmentsHint'))),
    status,
    submit,
  );

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    replace(status);
    if (!form.reportValidity()) return;
    const receivedAt = new Date(controls.receivedAt.value);
    if (Number.isNaN(receivedAt.getTime()) || receivedAt.getTime() > Date.now() + 60_000) {
      replace(status, t('receivedInFuture'));
      controls.receivedAt.focus();
      return;
    }
    submit.disabled = true;
    try {
      const files = [...(controls.attachments.files ?? [])];
      const unsupported = files.find((file) => !ATTACHMENT_TYPES.includes(file.type));
      if (unsupported) {
        replace(status, t('attachmentType', { name: unsupported.name }));
        return;
      }
      const attachments = await Promise.all(files.map(async (file) => ({ name: file.name, contentType: file.type, dataBase64: await readAsBase64(file) })));
      const customer = { name: controls.name.value.trim(), language: controls.language.value };
      if (controls.phone.value.trim() !== '') customer.phone = controls.phone.value.trim();
      if (controls.email.value.trim() !== '') customer.email = controls.email.value.trim();
      const body = {
        channel: controls.channel.value,
        receivedAt: receivedAt.toISOString(),
        customer,
        consent: { contact: controls.consentContact.checked, dataProcessing: controls.consentData.checked },
        text: controls.text.value.trim(),
        attachments,
      };
      if (controls.product.value !== '') body.product = controls.product.value;
      if (controls.amount.value !== '') body.amount = { value: Number(controls.amount.value), currency: controls.currency.value.trim().toUpperCase() };
      if (controls.incidentDate.value !== '') body.incidentDate = controls.incidentDate.value;
      if (controls.sourceReference.value.trim() !== '') body.sourceReference = controls.sourceReference.value.trim();
      const created = await api('/v1/complaints', { method: 'POST', body, headers: { 'Idempotency-Key': idempotencyKey } });
      idempotencyKey = newIdempotencyKey();
      form.reset();
      controls.receivedAt.value = localInputValue(new Date());
      announce(t('recorded', { reference: created.reference }));
      replace(
        result,
        h('h2', {}, t('recordedTitle')),
        h(
          'dl',
          { class: 'record-fields' },
          h('dt', {}, t('reference')), h('dd', {}, h('a', { class: 'created-reference', href: `#/complaint/${encodeURIComponent(created.id)}` }, created.reference)),
          h('dt', {}, t('receivedAt')), h('dd', { class: 'created-received' }, formatDateTime(created.receivedAt)),
          h('dt', {}, t('dueAt')), h('dd', { class: 'created-due', dataset: { due: created.dueAt ?? '' } }, formatDateTime(created.dueAt)),
          h('dt', {}, t('team')), h('dd', {}, created.team ?? '—'),
          h('dt', {}, t('stage')), h('dd', {}, label('stage', created.stage)),
          h('dt', {}, t('attachments')), h('dd', {}, created.attachments.length === 0 ? '—' : created.attachments.map((file) => file.name).join(', ')),
        ),
      );
      result.querySelector('a')?.focus();
    } catch (error) {
      replace(status, errorDetails(error));
    } finally {
      submit.disabled = false;
    }
  });

  replace(
    main,
    h('section', { class: 'page intake-page', 'aria-labelledby': 'intake-title' },
      h('h1', { id: 'intake-title', tabindex: '-1' }, t('intakeTitle')),
      h('p', {}, t('intakeIntro')),
      result,
      form),
  );
  return null;
}
