/*
 * The sign-in page: a username and password, or a staff API key (POST /console/api/session). The server answers
 * the same 401 whatever was wrong; the page shows the API's code and message and keeps what was typed (but the
 * secret). On success the shell receives the session view (staff member and CSRF token).
 */
import { api, isApiError } from './api.js';
import { field, h, replace } from './dom.js';
import { t } from './i18n.js';

function errorText(error) {
  return isApiError(error) ? `${t('error')} ${error.code}: ${error.message}` : t('unexpectedError');
}

function signInForm({ legend, fields, secret, body, onSignedIn, submitText }) {
  const status = h('p', { class: 'form-error', role: 'alert' });
  const button = h('button', { type: 'submit', class: 'button-primary' }, submitText);
  const form = h('form', { class: 'card signin-form', novalidate: false }, h('h2', {}, legend), fields, status, button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    replace(status);
    button.disabled = true;
    try {
      const view = await api('/console/api/session', { method: 'POST', body: body(), allowUnauthenticated: true });
      onSignedIn(view);
    } catch (error) {
      secret.value = '';
      replace(status, errorText(error));
      secret.focus();
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

export function renderSignIn(main, { notice, onSignedIn }) {
  const username = h('input', { name: 'username', autocomplete: 'username', required: true, maxlength: '64' });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true, maxlength: '1024' });
  const apiKey = h('input', { name: 'apiKey', type: 'password', autocomplete: 'off', required: true, maxlength: '200', spellcheck: 'false' });
  const withPassword = signInForm({
    legend: t('signInWithPassword'),
    fields: [field(t('username'), username), field(t('password'), password)],
    secret: password,
    body: () => ({ username: username.value.trim(), password: password.value }),
    onSignedIn,
    submitText: t('signIn'),
  });
  const withKey = signInForm({
    legend: t('signInWithKey'),
    fields: [field(t('apiKey'), apiKey, t('apiKeyHint'))],
    secret: apiKey,
    body: () => ({ apiKey: apiKey.value.trim() }),
    onSignedIn,
    submitText: t('signInKey'),
  });
  replace(
    main,
    h(
      'section',
      { class: 'page signin', 'aria-labelledby': 'signin-title' },
      h('h1', { id: 'signin-title', tabindex: '-1' }, t('signInTitle')),
      notice ? h('p', { class: 'notice', role: 'status' }, notice) : null,
      h('div', { class: 'signin-forms' }, withPassword, withKey),
    ),
  );
  username.focus();
  return null;
}
