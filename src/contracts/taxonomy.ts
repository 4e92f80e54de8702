/**
 * The label values of TAXONOMY.md, exactly. Changing a value is a schema change (bump schemaVersion).
 */
import { z } from 'zod';

export const Kind = z.enum(['complaint', 'inquiry', 'compliment', 'other']);
export type Kind = z.infer<typeof Kind>;

export const Product = z.enum([
  'cards',
  'deposit_accounts',
  'loans',
  'mortgages',
  'payments_transfers',
  'digital_banking',
  'debt_collection',
  'credit_reporting',
  'wealth_insurance',
  'other',
]);
export type Product = z.infer<typeof Product>;

export const Issue = z.enum([
  'unauthorized_fraud',
  'fees_interest',
  'transaction_problem',
  'account_access',
  'account_management',
  'loan_servicing',
  'collection_conduct',
  'credit_report_error',
  'service_conduct',
  'misleading_sales',
  'privacy_data',
  'other',
]);
export type Issue = z.infer<typeof Issue>;

/** Ordered from least to most urgent; see {@link urgencyRank}. */
export const UrgencyLevel = z.enum(['low', 'medium', 'high', 'critical']);
export type UrgencyLevel = z.infer<typeof UrgencyLevel>;

/** Numeric rank of an urgency level (low 0 … critical 3), for ordering and max(). */
export function urgencyRank(level: UrgencyLevel): number {
  return UrgencyLevel.options.indexOf(level);
}

export const Flag = z.enum([
  'self_harm',
  'fraud',
  'funds_inaccessible',
  'vulnerable_customer',
  'regulator_referred',
  'regulator_threat',
  'media_threat',
  'legal_threat',
  'repeat_complaint',
  'large_amount',
  'staff_misconduct',
]);
export type Flag = z.infer<typeof Flag>;

export const Sentiment = z.enum(['negative', 'neutral', 'positive']);
export type Sentiment = z.infer<typeof Sentiment>;

export const Regime = z.enum(['cn_nfra', 'uk_fca', 'uk_fca_psd', 'eu_psd2', 'us_cfpb', 'hk_hkma', 'au_asic']);
export type Regime = z.infer<typeof Regime>;

/** Languages the classifier and dialog speak; `und` when it cannot tell. */
export const Language = z.enum(['zh', 'en', 'und']);
export type Language = z.infer<typeof Language>;

/** Stages of DESIGN.md §9. */
export const Stage = z.enum([
  'intake',
  'registered',
  'triaged',
  'investigating',
  'resolution_proposed',
  'responded',
  'closed',
  'reopened',
  'escalated',
]);
export type Stage = z.infer<typeof Stage>;
