import { describe, expect, it } from 'vitest';
import { Flag, PauseReason, Product, Regime } from '../contracts/index.js';
import { assertCalendar } from './calendars.js';
import { ClockRuleSchema, REGIMES, regimeDefinition, ruleApplies } from './regimes.js';

describe('REGIMES', () => {
  it('defines every regime of TAXONOMY.md, under its own key, on a calendar that exists', () => {
    expect(Object.keys(REGIMES).sort()).toEqual([...Regime.options].sort());
    for (const regime of Regime.options) {
      const definition = regimeDefinition(regime);
      expect(definition.regime).toBe(regime);
      expect(() => {
        assertCalendar(definition.calendar);
      }, regime).not.toThrow();
      expect(definition.ombudsman.en.length, regime).toBeGreaterThan(20);
      expect(definition.ombudsman.zh.length, regime).toBeGreaterThan(5);
      expect(definition.clocks.some((rule) => rule.clock === 'final_response' && !rule.when && rule.optional !== true), regime).toBe(true);
    }
  });

  it('names the body the customer can go to', () => {
    expect(REGIMES.uk_fca.ombudsman.en).toContain('Financial Ombudsman Service');
    expect(REGIMES.uk_fca_psd.ombudsman.en).toContain('FOS');
    expect(REGIMES.cn_nfra.ombudsman.zh).toContain('12378');
    expect(REGIMES.hk_hkma.ombudsman.en).toContain('FDRC');
    expect(REGIMES.au_asic.ombudsman.en).toContain('AFCA');
    expect(REGIMES.us_cfpb.ombudsman.en).toContain('CFPB');
    expect(REGIMES.eu_psd2.ombudsman.en).toContain('ADR');
  });

  it('holds rules that validate, with unique extension names and known pause reasons', () => {
    for (const definition of Object.values(REGIMES)) {
      for (const rule of [...definition.clocks, ...(definition.regulatorReferred ? [definition.regulatorReferred] : [])]) {
        expect(ClockRuleSchema.parse(JSON.parse(JSON.stringify(rule)))).toEqual(rule);
        const names = rule.extensions.map((extension) => extension.name);
        expect(new Set(names).size).toBe(names.length);
        for (const reason of rule.pausable) expect(PauseReason.options).toContain(reason);
        for (const extension of rule.extensions) {
          // An extension lengthens the clock.
          expect(extension.unit === rule.unit ? extension.offset > rule.offset : true).toBe(true);
        }
        for (const flag of rule.when?.flags ?? []) expect(Flag.options).toContain(flag);
        for (const product of rule.when?.products ?? []) expect(Product.options).toContain(product);
      }
    }
  });

  it('encodes the values of DOMAIN.md §1.1', () => {
    const summary = (regime: Regime): string[] =>
      REGIMES[regime].clocks.map(
        (rule) =>
          `${rule.clock}:${String(rule.offset)}${rule.unit}${rule.optional === true ? '?' : ''}${rule.when ? '*' : ''}` +
          rule.extensions.map((extension) => `+${extension.name}:${String(extension.offset)}${extension.unit}`).join(''),
      );
    expect(summary('cn_nfra')).toEqual(['final_response:15calendarDay+complex:30calendarDay+senior_approval:60calendarDay']);
    expect(REGIMES.cn_nfra.regulatorReferred).toMatchObject({ clock: 'regulator_response', offset: 15, unit: 'businessDay' });
    expect(summary('uk_fca')).toEqual(['summary_resolution:3businessDay?', 'final_response:8week']);
    expect(summary('uk_fca_psd')).toEqual(['summary_resolution:3businessDay?', 'final_response:15businessDay+holding_reply:35businessDay']);
    expect(summary('eu_psd2')).toEqual(['final_response:15businessDay+holding_reply:35businessDay']);
    expect(summary('us_cfpb')).toEqual(['final_response:15calendarDay+in_progress:60calendarDay']);
    expect(summary('hk_hkma')).toEqual(['acknowledge:7calendarDay', 'final_response:30calendarDay+interim_reply:60calendarDay']);
    expect(summary('au_asic')).toEqual(['acknowledge:1businessDay', 'final_response:30calendarDay', 'final_response:21calendarDay*']);
    expect(REGIMES.cn_nfra.clocks[0]?.pausable).toEqual(['external_appraisal', 'awaiting_customer_information']);
    for (const regime of Regime.options) {
      if (regime !== 'cn_nfra') expect(REGIMES[regime].regulatorReferred, regime).toBeUndefined();
    }
  });

  it('refuses a stored rule that is not one', () => {
    expect(() => ClockRuleSchema.parse({ clock: 'final_response', offset: -1, unit: 'calendarDay', extensions: [], pausable: [], metBy: 'final_response' })).toThrow();
    expect(() => ClockRuleSchema.parse({ clock: 'final_response', offset: 15, unit: 'fortnight', extensions: [], pausable: [], metBy: 'final_response' })).toThrow();
    expect(() => ClockRuleSchema.parse({})).toThrow();
  });
});

describe('ruleApplies', () => {
  const hardship = REGIMES.au_asic.clocks[2];

  it('needs a listed flag and a listed product', () => {
    if (!hardship) throw new Error('no hardship rule');
    expect(ruleApplies(hardship, ['vulnerable_customer'], 'mortgages')).toBe(true);
    expect(ruleApplies(hardship, ['fraud', 'vulnerable_customer'], 'debt_collection')).toBe(true);
    expect(ruleApplies(hardship, ['fraud'], 'mortgages')).toBe(false);
    expect(ruleApplies(hardship, ['vulnerable_customer'], 'wealth_insurance')).toBe(false);
    expect(ruleApplies(hardship, ['vulnerable_customer'], null)).toBe(false);
    expect(ruleApplies(hardship, [], null)).toBe(false);
  });

  it('applies an unconditional rule always', () => {
    const rule = REGIMES.au_asic.clocks[1];
    if (!rule) throw new Error('no rule');
    expect(ruleApplies(rule, [], null)).toBe(true);
  });
});
