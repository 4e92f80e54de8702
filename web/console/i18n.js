/*
 * The console's texts in English and Chinese, the language chosen (remembered in localStorage, else the browser's),
 * the page's `lang` attribute, and labels for the API's enum values (stages, urgency, products, flags, channels…).
 * `t(key, values)` fills `{name}` placeholders; an unknown key shows itself, so a missing text is visible, not blank.
 */
import { ENUM_LABELS } from './labels.js';
import { TEXTS } from './texts.js';

const STORAGE_KEY = 'ombuds.console.language';
export const LANGUAGES = ['en', 'zh'];

function initialLanguage() {
  let stored;
  try {
    stored = window.localStorage.getItem(STORAGE_KEY);
  } catch {
    stored = null;
  }
  if (stored !== null && LANGUAGES.includes(stored)) return stored;
  return (navigator.language || 'en').toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

let current = initialLanguage();
const listeners = new Set();

export function language() {
  return current;
}

/** Switches the language, remembers it, sets `<html lang>` and tells the listeners (which redraw). */
export function setLanguage(next) {
  if (!LANGUAGES.includes(next)) return;
  current = next;
  try {
    window.localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  applyStaticTexts();
  for (const listener of listeners) listener(next);
}

export function onLanguageChange(listener) {
  listeners.add(listener);
}

export function t(key, values) {
  const table = TEXTS[current] ?? TEXTS.en;
  let text = table[key] ?? TEXTS.en[key] ?? key;
  if (values) for (const [name, value] of Object.entries(values)) text = text.split(`{${name}}`).join(String(value));
  return text;
}

/** The label of an API value (`stage`, `urgency`, `product`, `issue`, `flag`, `channel`, `source`, `kind`…). */
export function label(group, value) {
  if (value === null || value === undefined || value === '') return '—';
  const labels = ENUM_LABELS[current]?.[group] ?? {};
  return labels[value] ?? ENUM_LABELS.en[group]?.[value] ?? String(value).replace(/_/g, ' ');
}

/** The values of a group, for filters and selects. */
export function values(group) {
  return Object.keys(ENUM_LABELS.en[group] ?? {});
}

/** Fills the texts of index.html marked `data-i18n` (text) and `data-i18n-label` (aria-label). */
export function applyStaticTexts() {
  document.documentElement.lang = current === 'zh' ? 'zh-CN' : 'en';
  document.title = t('title');
  for (const element of document.querySelectorAll('[data-i18n]')) element.textContent = t(element.dataset.i18n);
  for (const element of document.querySelectorAll('[data-i18n-label]')) element.setAttribute('aria-label', t(element.dataset.i18nLabel));
}

const formatters = new Map();
function formatter(kind) {
  const key = `${current}:${kind}`;
  let found = formatters.get(key);
  if (!found) {
    const locale = current === 'zh' ? 'zh-CN' : 'en-GB';
    const options = kind === 'date' ? { dateStyle: 'medium' } : { dateStyle: 'medium', timeStyle: 'short' };
    found = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, found);
  }
  return found;
}

export function formatDateTime(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : formatter('datetime').format(date);
}

export function formatDate(iso) {
  if (!iso) return '—';
  const date = new Date(iso.length === 10 ? `${iso}T00:00:00` : iso);
  return Number.isNaN(date.getTime()) ? String(iso) : formatter('date').format(date);
}

export function formatNumber(value, fractionDigits = 0) {
  if (value === null || value === undefined) return '—';
  return new Intl.NumberFormat(current === 'zh' ? 'zh-CN' : 'en-GB', { maximumFractionDigits: fractionDigits }).format(value);
}

export function formatShare(share) {
  if (share === null || share === undefined) return '—';
  return new Intl.NumberFormat(current === 'zh' ? 'zh-CN' : 'en-GB', { style: 'percent', maximumFractionDigits: 1 }).format(share);
}

export function formatMoney(money) {
  if (!money) return '—';
  try {
    return new Intl.NumberFormat(current === 'zh' ? 'zh-CN' : 'en-GB', { style: 'currency', currency: money.currency }).format(money.value);
  } catch {
    return `${String(money.value)} ${String(money.currency)}`;
  }
}

/** "2 d 4 h" / "35 min": a duration in the current language. */
export function formatDuration(milliseconds) {
  const minutes = Math.max(0, Math.round(Math.abs(milliseconds) / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days > 0) return t('durationDaysHours', { days, hours });
  if (hours > 0) return t('durationHoursMinutes', { hours, minutes: rest });
  return t('durationMinutes', { minutes: rest });
}
