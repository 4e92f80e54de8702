/**
 * Regimes as data (DOMAIN.md §1.1, §1.3; decision 0009): for each regime of TAXONOMY.md, the clocks its regulator
 * sets (offset and unit), the holiday calendar its business days count on, the extensions it allows (who approves,
 * whether the customer must be told), the reasons a clock may pause, the extra clock of a regulator-referred case,
 * and how the customer is told of the right to go further (ombudsman / regulator / ADR body).
 *
 * Extension offsets are totals from the clock's start (CN `complex` = 30 days from receipt, not 15 + 30).
 * A rule with `when` applies only to complaints that match it (any listed flag, and any listed product when both
 * lists are given); when a conditional rule applies, it replaces the unconditional rule of the same clock name.
 */
import { z } from 'zod';
import { Flag, PauseReason, Product, type Regime } from '../contracts/index.js';

export type ClockUnit = 'calendarDay' | 'businessDay' | 'week';

export type ClockName = 'acknowledge' | 'summary_resolution' | 'final_response' | 'regulator_response';

export interface ExtensionRule {
  /** The name staff choose in `extend_deadline` (`complex`, `senior_approval`, `holding_reply`, …). */
  name: string;
  /** New length of the clock, counted from its start. */
  offset: number;
  unit: ClockUnit;
  requiresApproval: 'none' | 'supervisor' | 'senior';
  mustNotifyCustomer: boolean;
  /** The extension is announced by a holding reply (PSD2 / DISP 1.6.2A, HK interim reply, CFPB "In progress"). */
  holdingReply?: boolean;
}

export interface ClockCondition {
  flags?: Flag[];
  products?: Product[];
}

export interface ClockRule {
  clock: ClockName;
  offset: number;
  unit: ClockUnit;
  /** Computed and shown, never breached (UK 3-business-day summary resolution path). */
  optional?: boolean;
  when?: ClockCondition;
  extensions: ExtensionRule[];
  pausable: PauseReason[];
  /** What stops the clock. */
  metBy: 'acknowledgement' | 'final_response';
}

export interface RegimeDefinition {
  regime: Regime;
  /** Default holiday calendar for business days (`COUNTRY` or `COUNTRY-REGION`, see calendars.ts). */
  calendar: string;
  clocks: ClockRule[];
  /** The extra clock a case transferred by a regulator (flag `regulator_referred`) gets. */
  regulatorReferred?: ClockRule;
  /** The customer's right to go further, as customer templates word it. */
  ombudsman: { en: string; zh: string };
  /** The final response (and summary resolution, UK) must state the referral rights. */
  requiresReferralRights: boolean;
}

const finalResponse = { clock: 'final_response', metBy: 'final_response' } as const;

export const REGIMES: Readonly<Record<Regime, RegimeDefinition>> = {
  // 银行业保险业消费投诉处理管理办法 (银保监会令2020年第3号) Arts. 11–16 [verified]: 15日 from 收到消费投诉之日 (calendar:
  // Chinese rules write 工作日 when they mean working days); complex → 30 days; especially complex, approved by a
  // senior manager of a higher-level office or head office and the complainant told → max 60 days; time for
  // external 鉴定/检测/评估 does not count (complainant told).
  cn_nfra: {
    regime: 'cn_nfra',
    calendar: 'CN',
    clocks: [
      {
        ...finalResponse,
        offset: 15,
        unit: 'calendarDay',
        extensions: [
          { name: 'complex', offset: 30, unit: 'calendarDay', requiresApproval: 'supervisor', mustNotifyCustomer: true },
          { name: 'senior_approval', offset: 60, unit: 'calendarDay', requiresApproval: 'senior', mustNotifyCustomer: true },
        ],
        pausable: ['external_appraisal', 'awaiting_customer_information'],
      },
    ],
    // 12378 / regulator-transferred (转办) cases: the regulator typically expects a reply within about 15 working
    // days [secondary sources: szcga.com, qbnews.cn; sources disagree]; "complex: appropriately extended" has no
    // fixed length, so no extension is encoded.
    regulatorReferred: {
      clock: 'regulator_response',
      offset: 15,
      unit: 'businessDay',
      extensions: [],
      pausable: [],
      metBy: 'final_response',
    },
    ombudsman: {
      en: 'If you are not satisfied with our decision, you may complain to the National Financial Regulatory Administration (hotline 12378) or apply for mediation.',
      zh: '如您对处理结果不满意，可拨打国家金融监督管理总局12378热线投诉，或申请调解。',
    },
    requiresReferralRights: true,
  },
  // FCA DISP 1.5 / 1.6 [verified]: summary resolution by close of the 3rd business day after receipt (then the
  // time limits do not apply: optional, never breached); final response or delay letter within 8 weeks (calendar).
  uk_fca: {
    regime: 'uk_fca',
    calendar: 'GB-ENG',
    clocks: [
      { clock: 'summary_resolution', offset: 3, unit: 'businessDay', optional: true, extensions: [], pausable: [], metBy: 'final_response' },
      { ...finalResponse, offset: 8, unit: 'week', extensions: [], pausable: [] },
    ],
    ombudsman: {
      en: 'If you are unhappy with our response, you can refer your complaint to the Financial Ombudsman Service (FOS) free of charge within six months.',
      zh: '如您对我们的答复不满意，可在六个月内免费将投诉提交至英国金融申诉专员服务机构（FOS）。',
    },
    requiresReferralRights: true,
  },
  // DISP 1.6.2AR (payment services, e-money) [verified]: 15 business days; in exceptional circumstances a holding
  // reply within 15 business days and a final response within 35 business days. The DISP 1.5 3-day route applies too.
  uk_fca_psd: {
    regime: 'uk_fca_psd',
    calendar: 'GB-ENG',
    clocks: [
      { clock: 'summary_resolution', offset: 3, unit: 'businessDay', optional: true, extensions: [], pausable: [], metBy: 'final_response' },
      {
        ...finalResponse,
        offset: 15,
        unit: 'businessDay',
        extensions: [
          { name: 'holding_reply', offset: 35, unit: 'businessDay', requiresApproval: 'supervisor', mustNotifyCustomer: true, holdingReply: true },
        ],
        pausable: [],
      },
    ],
    ombudsman: {
      en: 'If you are unhappy with our response, you can refer your complaint to the Financial Ombudsman Service (FOS) free of charge within six months.',
      zh: '如您对我们的答复不满意，可在六个月内免费将投诉提交至英国金融申诉专员服务机构（FOS）。',
    },
    requiresReferralRights: true,
  },
  // PSD2 Art. 101(2) [verified]: 15 business days; holding reply with reasons and a date, final ≤ 35 business days.
  // Member States may be stricter; business days are the member state's (default DE, HOLIDAY_CALENDAR overrides).
  // Art. 101(3): name at least one ADR body.
  eu_psd2: {
    regime: 'eu_psd2',
    calendar: 'DE',
    clocks: [
      {
        ...finalResponse,
        offset: 15,
        unit: 'businessDay',
        extensions: [
          { name: 'holding_reply', offset: 35, unit: 'businessDay', requiresApproval: 'supervisor', mustNotifyCustomer: true, holdingReply: true },
        ],
        pausable: [],
      },
    ],
    ombudsman: {
      en: 'If you are not satisfied, you may refer your complaint to the alternative dispute resolution (ADR) body for payment services in your country.',
      zh: '如您不满意，可将投诉提交至您所在国家负责支付服务的替代性争议解决（ADR）机构。',
    },
    requiresReferralRights: true,
  },
  // CFPB Company Portal Manual §8.1 [verified]: a response within 15 calendar days; the company may mark the
  // complaint "In progress" and must then give a final response within 60 calendar days. Modelled as ONE clock with
  // an `in_progress` extension (not a second clock): the 60-day limit only exists once the company has answered
  // "In progress", and one open clock keeps earliestDue and breach logic simple.
  us_cfpb: {
    regime: 'us_cfpb',
    calendar: 'US',
    clocks: [
      {
        ...finalResponse,
        offset: 15,
        unit: 'calendarDay',
        extensions: [
          { name: 'in_progress', offset: 60, unit: 'calendarDay', requiresApproval: 'none', mustNotifyCustomer: true, holdingReply: true },
        ],
        pausable: [],
      },
    ],
    ombudsman: {
      en: 'If you are not satisfied with our response, you can tell the Consumer Financial Protection Bureau (CFPB) through its complaint portal.',
      zh: '如您对我们的答复不满意，可通过美国消费者金融保护局（CFPB）的投诉门户提出反馈。',
    },
    requiresReferralRights: false,
  },
  // HKMA SPM IC-4 (2023) [verified that IC-4 applies]; the 7 / 30 / 60 calendar-day figures are industry practice
  // as banks publish them [secondary sources]: acknowledge in 7 days, final in 30, with an interim reply giving
  // reasons normally not beyond 60. FDRC mediation / arbitration is the next step.
  hk_hkma: {
    regime: 'hk_hkma',
    calendar: 'HK',
    clocks: [
      { clock: 'acknowledge', offset: 7, unit: 'calendarDay', extensions: [], pausable: [], metBy: 'acknowledgement' },
      {
        ...finalResponse,
        offset: 30,
        unit: 'calendarDay',
        extensions: [
          { name: 'interim_reply', offset: 60, unit: 'calendarDay', requiresApproval: 'supervisor', mustNotifyCustomer: true, holdingReply: true },
        ],
        pausable: [],
      },
    ],
    ombudsman: {
      en: 'If you are not satisfied with our response, you may refer the dispute to the Financial Dispute Resolution Centre (FDRC) for mediation or arbitration.',
      zh: '如您不滿意我們的回覆，可將爭議提交金融糾紛調解中心（FDRC）進行調解或仲裁。',
    },
    requiresReferralRights: true,
  },
  // ASIC RG 271 [verified]: acknowledge within 24 hours / 1 business day; IDR response within 30 calendar days;
  // credit default-notice and hardship / enforcement complaints 21 days. TAXONOMY.md has no `hardship` flag: the
  // 21-day clock applies to a `vulnerable_customer` (FG21/1 drivers include financial hardship) complaining about a
  // credit product or collections — the stricter clock, so a false match can only make the bank early, never late.
  // Not encoded: superannuation 45 days (no product), the 5-business-day "no written response" path (it does not
  // apply to hardship complaints and needs no timer).
  au_asic: {
    regime: 'au_asic',
    calendar: 'AU-NSW',
    clocks: [
      { clock: 'acknowledge', offset: 1, unit: 'businessDay', extensions: [], pausable: [], metBy: 'acknowledgement' },
      { ...finalResponse, offset: 30, unit: 'calendarDay', extensions: [], pausable: [] },
      {
        ...finalResponse,
        offset: 21,
        unit: 'calendarDay',
        when: { flags: ['vulnerable_customer'], products: ['loans', 'mortgages', 'cards', 'debt_collection'] },
        extensions: [],
        pausable: [],
      },
    ],
    ombudsman: {
      en: 'If you are not satisfied with our response, you can complain to the Australian Financial Complaints Authority (AFCA), a free and independent service.',
      zh: '如您对我们的答复不满意，可向澳大利亚金融投诉局（AFCA）投诉，该服务免费且独立。',
    },
    requiresReferralRights: true,
  },
};

const ClockUnitSchema = z.enum(['calendarDay', 'businessDay', 'week']);
const Offset = z.number().int().nonnegative();

/** Reads a rule back from where it was stored (complaint_deadlines.rule, jsonb); throws ZodError on anything else. */
export const ClockRuleSchema: z.ZodType<ClockRule> = z.object({
  clock: z.enum(['acknowledge', 'summary_resolution', 'final_response', 'regulator_response']),
  offset: Offset,
  unit: ClockUnitSchema,
  optional: z.boolean().optional(),
  when: z.object({ flags: z.array(Flag).optional(), products: z.array(Product).optional() }).optional(),
  extensions: z.array(
    z.object({
      name: z.string().min(1),
      offset: Offset,
      unit: ClockUnitSchema,
      requiresApproval: z.enum(['none', 'supervisor', 'senior']),
      mustNotifyCustomer: z.boolean(),
      holdingReply: z.boolean().optional(),
    }),
  ),
  pausable: z.array(PauseReason),
  metBy: z.enum(['acknowledgement', 'final_response']),
});

export function regimeDefinition(regime: Regime): RegimeDefinition {
  return REGIMES[regime];
}

/** Whether `rule` applies to a complaint with these flags and product. */
export function ruleApplies(rule: ClockRule, flags: readonly Flag[], product: Product | null): boolean {
  const when = rule.when;
  if (!when) return true;
  const flagOk = !when.flags || when.flags.some((flag) => flags.includes(flag));
  const productOk = !when.products || (product !== null && when.products.includes(product));
  return flagOk && productOk;
}
