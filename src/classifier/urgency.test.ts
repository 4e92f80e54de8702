/** Tests for urgency.ts: floors per flag, the kind rule, score and reason format. */
import { describe, expect, it } from 'vitest';
import type { FlagReason } from '../contracts/index.js';
import { decideUrgency, flagFloor } from './urgency.js';

const reason = (flag: FlagReason['flag'], rule: string, matched: string[]): FlagReason => ({ flag, source: 'rule', rule, matched });
const calm = { fraudInProgress: false, financialHarm: [] };

describe('flagFloor', () => {
  it('follows TAXONOMY.md', () => {
    expect(flagFloor('self_harm', calm)).toBe('critical');
    expect(flagFloor('fraud', calm)).toBe('high');
    expect(flagFloor('fraud', { fraudInProgress: true, financialHarm: [] })).toBe('critical');
    expect(flagFloor('funds_inaccessible', calm)).toBe('high');
    expect(flagFloor('regulator_referred', calm)).toBe('high');
    expect(flagFloor('vulnerable_customer', calm)).toBe('medium');
    expect(flagFloor('vulnerable_customer', { fraudInProgress: false, financialHarm: ['charged'] })).toBe('high');
    for (const flag of ['regulator_threat', 'media_threat', 'legal_threat', 'repeat_complaint', 'large_amount', 'staff_misconduct'] as const) {
      expect(flagFloor(flag, calm)).toBe('medium');
    }
  });
});

describe('decideUrgency', () => {
  it('takes the highest floor and explains each flag', () => {
    const urgency = decideUrgency([reason('media_threat', 'media_en_social', ['tiktok']), reason('fraud', 'fraud_en_unauthorized', ['unauthorized'])], calm, 'complaint');
    expect(urgency.level).toBe('high');
    expect(urgency.reasons[0]).toBe("fraud (rule fraud_en_unauthorized: 'unauthorized') → high");
    expect(urgency.reasons[1]).toBe("media_threat (rule media_en_social: 'tiktok') → medium");
  });

  it('scores rank × 25 plus a small strength, never above 100', () => {
    expect(decideUrgency([], calm, 'complaint').score).toBe(0);
    const one = decideUrgency([reason('fraud', 'fraud_en_scam', ['scam'])], calm, 'complaint').score;
    const two = decideUrgency([reason('fraud', 'fraud_en_scam', ['scam']), reason('funds_inaccessible', 'funds_en_on_hold', ['on hold'])], calm, 'complaint').score;
    expect(one).toBeGreaterThanOrEqual(50);
    expect(one).toBeLessThan(75);
    expect(two).toBeGreaterThan(one);
    const everything = decideUrgency(
      (['self_harm', 'fraud', 'funds_inaccessible', 'vulnerable_customer', 'regulator_referred', 'legal_threat', 'media_threat'] as const).map((flag) => reason(flag, 'r', ['w'])),
      { fraudInProgress: true, financialHarm: ['fraud'] },
      'complaint',
    );
    expect(everything.level).toBe('critical');
    expect(everything.score).toBeLessThanOrEqual(100);
    expect(everything.score).toBeGreaterThanOrEqual(75);
  });

  it('applies only critical and high floors to other kinds, and says so', () => {
    const urgency = decideUrgency([reason('legal_threat', 'legal_en_court', ['court'])], calm, 'inquiry');
    expect(urgency.level).toBe('low');
    expect(urgency.reasons[0]).toBe("legal_threat (rule legal_en_court: 'court') → medium, not applied to an inquiry");
    expect(decideUrgency([reason('self_harm', 'self_harm_en_suicide', ['suicide'])], calm, 'compliment').level).toBe('critical');
  });

  it('names in-progress fraud and financial harm in the reasons', () => {
    expect(decideUrgency([reason('fraud', 'fraud_zh_in_progress', ['正在被转'])], { fraudInProgress: true, financialHarm: [] }, 'complaint').reasons[0]).toBe(
      "fraud in progress (rule fraud_zh_in_progress: '正在被转') → critical",
    );
    expect(decideUrgency([reason('vulnerable_customer', 'vulnerable_zh_health', ['化疗'])], { fraudInProgress: false, financialHarm: ['罚息'] }, 'complaint').reasons[0]).toBe(
      "vulnerable_customer with financial harm: '罚息' (rule vulnerable_zh_health: '化疗') → high",
    );
  });
});
