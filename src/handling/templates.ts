/**
 * Customer-facing message templates: every text comes from a catalogue file (`templates/en.json`,
 * `templates/zh.json`), never from code. A template is a list of lines; a line is left out when one of its
 * `{placeholders}` has no value, so one template serves with and without a due date, staff text or redress. The
 * customer's right to go to the ombudsman or regulator (`{referralRights}`) is filled in where the regime
 * requires it; the default wording per regime is in the catalogues too. `und` is answered in English.
 */
import { z } from 'zod';
import { Regime, type Language, type QuickReply } from '../contracts/index.js';
import type { MessageTemplates, TemplateId, TemplateVariables } from './ports.js';
import enCatalogue from './templates/en.json' with { type: 'json' };
import zhCatalogue from './templates/zh.json' with { type: 'json' };

export const TEMPLATE_IDS = [
  'acknowledgement',
  'information_request',
  'holding_reply',
  'extension_notice',
  'pause_notice',
  'final_response',
  'survey',
  'survey_thanks',
  'survey_reopened',
  'staff_reply',
] as const satisfies readonly TemplateId[];

/** The templates that carry the customer's referral rights, where the regime requires them. */
export const REFERRAL_TEMPLATES: ReadonlySet<TemplateId> = new Set<TemplateId>(['final_response', 'holding_reply', 'extension_notice']);

const Lines = z.array(z.string().min(1)).min(1);

const Catalogue = z.object({
  language: z.enum(['en', 'zh']),
  templates: z.object(Object.fromEntries(TEMPLATE_IDS.map((id) => [id, Lines])) as Record<TemplateId, typeof Lines>),
  fragments: z.object({ upheld: z.string().min(1), notUpheld: z.string().min(1), redress: z.string().includes('{amount}') }),
  surveyQuickReplies: z.array(z.object({ label: z.string().min(1).max(64), value: z.string().min(1).max(64) })).length(5),
  referralRights: z.object(Object.fromEntries(Regime.options.map((regime) => [regime, z.string().min(1)])) as Record<Regime, z.ZodString>),
});
type Catalogue = z.infer<typeof Catalogue>;

function load(name: string, raw: unknown): Catalogue {
  const parsed = Catalogue.safeParse(raw);
  if (!parsed.success) throw new Error(`message catalogue ${name} is invalid: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

const CATALOGUES: Record<'en' | 'zh', Catalogue> = { en: load('en.json', enCatalogue), zh: load('zh.json', zhCatalogue) };

/**
 * Default wording of the customer's right to go further, per regime (FOS, 12378 / NFRA, FDRC, AFCA, CFPB, the
 * national ADR body), from the catalogues. The regime definitions may supply their own (see `referralRightsOf`).
 */
export const referralRights: Record<Regime, { en: string; zh: string }> = Object.fromEntries(
  Regime.options.map((regime) => [regime, { en: CATALOGUES.en.referralRights[regime], zh: CATALOGUES.zh.referralRights[regime] }]),
) as Record<Regime, { en: string; zh: string }>;

export interface MessageTemplatesOptions {
  /**
   * The referral-rights wording for a regime, or null when the regime does not require it. Default: every regime
   * requires it, with the catalogue's wording ({@link referralRights}).
   */
  referralRightsOf?: (regime: Regime) => { en: string; zh: string } | null;
}

const PLACEHOLDER = /\{([a-zA-Z]+)\}/g;

function fill(line: string, values: Readonly<Record<string, string | undefined>>): string | null {
  const missing: string[] = [];
  const text = line.replace(PLACEHOLDER, (_match, name: string) => {
    const value = values[name];
    if (value === undefined || value.trim() === '') {
      missing.push(name);
      return '';
    }
    return value;
  });
  return missing.length > 0 ? null : text;
}

export function createMessageTemplates(options: MessageTemplatesOptions = {}): MessageTemplates {
  const referralOf = options.referralRightsOf ?? ((regime: Regime) => referralRights[regime]);
  return {
    render(template: TemplateId, language: Language, variables: TemplateVariables): { text: string; quickReplies: QuickReply[] } {
      const speak = language === 'zh' ? 'zh' : 'en';
      const catalogue = CATALOGUES[speak];
      const lines = (catalogue.templates as Partial<Record<string, string[]>>)[template];
      if (!lines) throw new Error(`unknown message template "${template}"`);
      const referral = REFERRAL_TEMPLATES.has(template) ? referralOf(variables.regime) : null;
      const values: Record<string, string | undefined> = {
        reference: variables.reference,
        dueDate: variables.dueDate,
        body: variables.body,
        decision: variables.upheld === undefined ? undefined : variables.upheld ? catalogue.fragments.upheld : catalogue.fragments.notUpheld,
        redress: variables.redress === undefined || variables.redress.trim() === '' ? undefined : catalogue.fragments.redress.replace('{amount}', variables.redress),
        referralRights: referral?.[speak],
      };
      const text = lines
        .map((line) => fill(line, values))
        .filter((line): line is string => line !== null)
        .join('\n\n');
      const quickReplies = template === 'survey' ? catalogue.surveyQuickReplies.map((reply) => ({ ...reply })) : [];
      return { text, quickReplies };
    },
  };
}
