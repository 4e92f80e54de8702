/**
 * The dialog's words: one catalogue per language (messages/en.json, messages/zh.json), never in code. Renders a
 * text with its {placeholders} (a line whose placeholder has no value is left out), the labels of products and
 * outcomes for quick replies, and the summary the customer confirms.
 */
import type { Money, Product, QuickReply, Stage } from '../../contracts/index.js';
import enCatalogue from './messages/en.json' with { type: 'json' };
import zhCatalogue from './messages/zh.json' with { type: 'json' };
import type { DialogState } from './dialog-state.js';

type Catalogue = typeof enCatalogue;
export type DialogTextId = keyof Catalogue['texts'];
export type DialogLanguage = 'zh' | 'en';

const CATALOGUES: Record<DialogLanguage, Catalogue> = { en: enCatalogue, zh: zhCatalogue };
const PLACEHOLDER = /\{([a-zA-Z]+)\}/g;

export function renderDialogText(id: DialogTextId, language: DialogLanguage, variables: Readonly<Record<string, string | undefined>> = {}): string {
  const lines: string[] = CATALOGUES[language].texts[id];
  return lines
    .filter((line) => [...line.matchAll(PLACEHOLDER)].every((match) => variables[match[1] ?? ''] !== undefined))
    .map((line) => line.replace(PLACEHOLDER, (_whole, name: string) => variables[name] ?? ''))
    .join('\n');
}

export function stageLabel(stage: Stage, language: DialogLanguage): string {
  const labels: Record<string, string> = CATALOGUES[language].stages;
  return labels[stage] ?? stage;
}

export function productLabel(product: Product, language: DialogLanguage): string {
  const labels: Record<string, string> = CATALOGUES[language].products;
  return labels[product] ?? product;
}

/** The products offered as quick replies when the classifier could not tell. */
const OFFERED_PRODUCTS: readonly Product[] = ['cards', 'deposit_accounts', 'payments_transfers', 'loans', 'mortgages', 'digital_banking', 'other'];

export function productQuickReplies(language: DialogLanguage): QuickReply[] {
  return OFFERED_PRODUCTS.map((product) => ({ label: productLabel(product, language), value: `product:${product}` }));
}

export const OUTCOMES = ['refund', 'explanation', 'fix', 'apology'] as const;

export function outcomeQuickReplies(language: DialogLanguage): QuickReply[] {
  const labels: Record<string, string> = CATALOGUES[language].outcomes;
  return OUTCOMES.map((outcome) => ({ label: labels[outcome] ?? outcome, value: `outcome:${outcome}` }));
}

export function outcomeLabel(outcome: string, language: DialogLanguage): string {
  const labels: Record<string, string> = CATALOGUES[language].outcomes;
  return labels[outcome] ?? outcome;
}

export function label(name: keyof Catalogue['labels'], language: DialogLanguage): string {
  return CATALOGUES[language].labels[name];
}

export function crisisLine(language: DialogLanguage): string {
  return CATALOGUES[language].crisisLines.default;
}

function money(amount: Money): string {
  return `${amount.value.toLocaleString('en-GB', { maximumFractionDigits: 2 })} ${amount.currency}`;
}

const SUMMARY_WHAT_LIMIT = 300;

/** The short summary the customer confirms before registration. */
export function summaryOf(state: DialogState): string {
  const language = state.language;
  const what = state.description.join(' ').replace(/\s+/g, ' ').trim();
  const lines = [`${label('what', language)}: ${what.length > SUMMARY_WHAT_LIMIT ? `${what.slice(0, SUMMARY_WHAT_LIMIT - 1)}…` : what}`];
  const { product, amount, incidentDate, desiredOutcome, contact } = state.fields;
  if (product) lines.push(`${label('product', language)}: ${productLabel(product, language)}`);
  if (amount) lines.push(`${label('amount', language)}: ${money(amount)}`);
  if (incidentDate) lines.push(`${label('date', language)}: ${incidentDate}`);
  if (desiredOutcome) lines.push(`${label('outcome', language)}: ${desiredOutcome}`);
  if (contact) lines.push(`${label('contact', language)}: ${contact}`);
  return lines.join('\n');
}
