/*
 * The console's shell: finds out whether a session is open (GET /console/api/session), shows the sign-in page or
 * the screen the URL's hash names (#/queue, #/complaint/ID, #/intake, #/dashboard), keeps the navigation, the
 * signed-in name and the language picker up to date, signs out, and returns to sign-in whenever the API answers
 * 401. Each screen is a module whose render function may return a cleanup (closing streams and timers).
 */
import { api, isApiError, onSignedOut, setCsrfToken } from './api.js';
import { renderComplaint } from './complaint.js';
import { renderDashboard } from './dashboard.js';
import { h, replace } from './dom.js';
import { applyStaticTexts, label, language, onLanguageChange, setLanguage, t } from './i18n.js';
import { renderIntake } from './intake.js';
import { renderQueue } from './queue.js';
import { renderSignIn } from './signin.js';

const SESSION_PATH = '/console/api/session';
const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');
const signOutButton = document.getElementById('sign-out');
const languagePicker = document.getElementById('language');
const announcer = document.getElementById('announcer');

let session = null;
let cleanup = null;
let signedOutNotice = null;

/** Says something to screen readers (a polite live region). */
export function announce(text) {
  announcer.textContent = '';
  window.setTimeout(() => {
    announcer.textContent = text;
  }, 50);
}

function isSupervisor(staff) {
  return staff.role === 'supervisor' || staff.role === 'admin';
}

function currentRoute() {
  const hash = window.location.hash;
  const match = /^#\/([a-z]+)(?:\/([^/?#]+))?/.exec(hash);
  if (!match) return { page: 'queue', id: null };
  return { page: match[1], id: match[2] ? decodeURIComponent(match[2]) : null };
}

function drawChrome() {
  const signedIn = session !== null;
  nav.hidden = !signedIn;
  signOutButton.hidden = !signedIn;
  replace(who, signedIn ? `${session.staff.displayName} · ${label('role', session.staff.role)}` : '');
  const { page } = currentRoute();
  for (const link of nav.querySelectorAll('a')) {
    link.hidden = link.dataset.needsRole === 'supervisor' && !(signedIn && isSupervisor(session.staff));
    if (link.dataset.page === page) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

function forbiddenPage() {
  return h('section', { class: 'page' }, h('h1', { tabindex: '-1' }, t('forbiddenTitle')), h('p', {}, t('forbiddenText')));
}

async function render(options = { focus: true }) {
  if (cleanup) cleanup();
  cleanup = null;
  drawChrome();
  if (session === null) {
    cleanup = renderSignIn(main, { notice: signedOutNotice, onSignedIn: signedIn });
    return;
  }
  const { page, id } = currentRoute();
  const context = { main, staff: session.staff, announce, navigate };
  if (page === 'complaint' && id) cleanup = await renderComplaint(context, id);
  else if (page === 'intake') cleanup = await renderIntake(context);
  else if (page === 'dashboard') {
    if (isSupervisor(session.staff)) cleanup = await renderDashboard(context);
    else replace(main, forbiddenPage());
  } else cleanup = await renderQueue(context);
  if (options.focus) main.querySelector('h1')?.focus();
}

export function navigate(hash) {
  if (window.location.hash === hash) void render();
  else window.location.hash = hash;
}

function signedIn(view) {
  session = view;
  signedOutNotice = null;
  setCsrfToken(view.csrfToken);
  announce(t('signedInAs', { name: view.staff.displayName }));
  if (!window.location.hash.startsWith('#/')) window.location.hash = '#/queue';
  else void render();
}

onSignedOut(() => {
  if (session === null) return;
  session = null;
  setCsrfToken(null);
  signedOutNotice = t('sessionEnded');
  void render();
});

signOutButton.addEventListener('click', async () => {
  try {
    await api(SESSION_PATH, { method: 'DELETE', allowUnauthenticated: true });
  } catch (error) {
    if (!isApiError(error)) throw error;
  }
  session = null;
  setCsrfToken(null);
  signedOutNotice = t('signedOut');
  void render();
});

document.getElementById('skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});

window.addEventListener('hashchange', () => {
  if (window.location.hash.startsWith('#/')) void render();
});

languagePicker.value = language();
languagePicker.addEventListener('change', () => setLanguage(languagePicker.value));
onLanguageChange(() => {
  languagePicker.value = language();
  void render({ focus: false });
});

async function start() {
  applyStaticTexts();
  try {
    const view = await api(SESSION_PATH, { allowUnauthenticated: true });
    session = view;
    setCsrfToken(view.csrfToken);
  } catch (error) {
    if (!isApiError(error)) throw error;
    session = null;
    if (error.status !== 401) signedOutNotice = `${error.code}: ${error.message}`;
  }
  await render({ focus: false });
}

void start();
