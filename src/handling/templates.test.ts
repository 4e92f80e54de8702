import { describe, expect, it } from 'vitest';
import { Regime } from '../contracts/index.js';
import { createMessageTemplates, REFERRAL_TEMPLATES, referralRights, TEMPLATE_IDS } from './templates.js';
import type { TemplateVariables } from './ports.js';

const templates = createMessageTemplates();
const full: TemplateVariables = {
  reference: 'CMP-2026-000042',
  dueDate: '2026-12-15',
  regime: 'uk_fca',
  body: 'STAFF-TEXT-7',
  upheld: true,
  redress: 'GBP 150.00',
};

describe('message templates', () => {
  it.each(TEMPLATE_IDS.flatMap((id) => (['en', 'zh'] as const).map((language) => [id, language] as const)))('%s in %s names the reference and has no unfilled placeholder', (id, language) => {
    const { text } = templates.render(id, language, full);
    expect(text).toContain('CMP-2026-000042');
    expect(text).not.toMatch(/\{[a-zA-Z]+\}/);
    expect(text.trim()).toBe(text);
    if (language === 'zh') expect(text).toMatch(/[\u4e00-\u9fff]/);
    else expect(text).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it('puts the due date and the staff text where the template has them', () => {
    for (const id of ['acknowledgement', 'information_request', 'holding_reply', 'extension_notice', 'survey_reopened'] as const) {
      for (const language of ['en', 'zh'] as const) expect(templates.render(id, language, full).text).toContain('2026-12-15');
    }
    for (const id of TEMPLATE_IDS.filter((id) => id !== 'survey')) {
      expect(templates.render(id, 'en', full).text).toContain('STAFF-TEXT-7');
    }
  });

  it('leaves out lines whose values are missing', () => {
    const bare = templates.render('acknowledgement', 'en', { reference: 'CMP-2026-000001', regime: 'cn_nfra' }).text;
    expect(bare).toContain('CMP-2026-000001');
    expect(bare).not.toContain('final response by');
    const final = templates.render('final_response', 'en', { reference: 'CMP-2026-000001', regime: 'uk_fca', body: 'We refunded the fee.' }).text;
    expect(final).not.toMatch(/upheld|We will pay you/);
    expect(templates.render('final_response', 'en', { ...full, redress: ' ' }).text).not.toContain('We will pay you');
  });

  it('words the decision and the redress', () => {
    expect(templates.render('final_response', 'en', full).text).toContain('We have upheld your complaint.\n\nSTAFF-TEXT-7\n\nWe will pay you GBP 150.00.');
    expect(templates.render('final_response', 'en', { ...full, upheld: false }).text).toContain('We have not upheld your complaint.');
    expect(templates.render('final_response', 'zh', { ...full, regime: 'cn_nfra', upheld: false, redress: 'CNY 200.00' }).text).toContain('经调查，您的投诉不成立。');
    expect(templates.render('final_response', 'zh', { ...full, regime: 'cn_nfra', redress: 'CNY 200.00' }).text).toContain('我们将向您支付 CNY 200.00。');
  });

  it('gives the customer their referral rights for every regime, in their language, where required', () => {
    const names: Record<Regime, { en: RegExp; zh: RegExp }> = {
      cn_nfra: { en: /12378/, zh: /12378/ },
      uk_fca: { en: /Financial Ombudsman Service/, zh: /Financial Ombudsman Service/ },
      uk_fca_psd: { en: /Financial Ombudsman Service/, zh: /Financial Ombudsman Service/ },
      eu_psd2: { en: /alternative dispute resolution/, zh: /ADR/ },
      us_cfpb: { en: /Consumer Financial Protection Bureau/, zh: /CFPB/ },
      hk_hkma: { en: /FDRC/, zh: /FDRC/ },
      au_asic: { en: /AFCA/, zh: /AFCA/ },
    };
    for (const regime of Regime.options) {
      for (const language of ['en', 'zh'] as const) {
        for (const id of TEMPLATE_IDS) {
          const { text } = templates.render(id, language, { ...full, regime });
          if (REFERRAL_TEMPLATES.has(id)) {
            expect(text).toMatch(names[regime][language]);
            expect(text).toContain(referralRights[regime][language]);
          } else {
            expect(text).not.toContain(referralRights[regime][language]);
          }
        }
      }
    }
    expect([...REFERRAL_TEMPLATES].sort()).toEqual(['extension_notice', 'final_response', 'holding_reply']);
  });

  it('takes the referral wording and requirement from the regime definitions when given', () => {
    const custom = createMessageTemplates({ referralRightsOf: (regime) => (regime === 'us_cfpb' ? null : { en: 'GO-TO-OMBUDSMAN', zh: '去申诉' }) });
    expect(custom.render('final_response', 'en', { ...full, regime: 'us_cfpb' }).text).not.toContain(referralRights.us_cfpb.en);
    expect(custom.render('final_response', 'en', { ...full, regime: 'us_cfpb' }).text).not.toContain('GO-TO-OMBUDSMAN');
    expect(custom.render('holding_reply', 'en', { ...full, regime: 'uk_fca' }).text).toContain('GO-TO-OMBUDSMAN');
    expect(custom.render('holding_reply', 'zh', { ...full, regime: 'uk_fca' }).text).toContain('去申诉');
  });

  it('asks the survey with quick replies 1 to 5 in the language, and whether the matter is resolved', () => {
    for (const language of ['en', 'zh'] as const) {
      const { text, quickReplies } = templates.render('survey', language, full);
      expect(quickReplies.map((reply) => reply.value)).toEqual(['1', '2', '3', '4', '5']);
      expect(text).toMatch(language === 'en' ? /resolved/ : /解决/);
      if (language === 'zh') expect(quickReplies.every((reply) => /[\u4e00-\u9fff]/.test(reply.label))).toBe(true);
      else expect(quickReplies[4]?.label).toMatch(/satisfied/i);
    }
    expect(templates.render('final_response', 'en', full).quickReplies).toEqual([]);
  });

  it('answers an undetermined language in English, and refuses an unknown template', () => {
    expect(templates.render('acknowledgement', 'und', full)).toEqual(templates.render('acknowledgement', 'en', full));
    expect(() => templates.render('nonsense' as never, 'en', full)).toThrow(/unknown message template/);
  });

  it('hands out fresh quick-reply objects (callers may not corrupt the catalogue)', () => {
    const first = templates.render('survey', 'en', full);
    const label = first.quickReplies[0]?.label;
    if (first.quickReplies[0]) first.quickReplies[0].label = 'changed';
    expect(templates.render('survey', 'en', full).quickReplies[0]?.label).toBe(label);
  });
});
