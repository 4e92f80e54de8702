/**
 * Classification: what the classifier decided and why. Every decision names its source (DESIGN.md §8),
 * so a supervisor can see which layer marked a complaint critical and on which words.
 */
import { z } from 'zod';
import { Flag, Issue, Kind, Language, Product, Sentiment, UrgencyLevel } from './taxonomy.js';

/** Which layer decided a field. `channel` = given as a structured field by the sender; `default` = nothing decided. */
export const DecisionSource = z.enum(['rule', 'model', 'llm', 'channel', 'staff', 'default']);
export type DecisionSource = z.infer<typeof DecisionSource>;

function decision<T extends z.ZodType>(value: T) {
  return z.object({
    value,
    source: DecisionSource,
    confidence: z.number().min(0).max(1),
    reason: z.string().max(500),
  });
}

export const KindDecision = decision(Kind);
export type KindDecision = z.infer<typeof KindDecision>;
export const ProductDecision = decision(Product);
export type ProductDecision = z.infer<typeof ProductDecision>;
export const IssueDecision = decision(Issue);
export type IssueDecision = z.infer<typeof IssueDecision>;
export const SentimentDecision = decision(Sentiment);
export type SentimentDecision = z.infer<typeof SentimentDecision>;

/** One flag with the rule (or layer) that set it and the words that triggered it. */
export const FlagReason = z.object({
  flag: Flag,
  source: DecisionSource,
  rule: z.string().max(120),
  matched: z.array(z.string().max(200)).max(20),
});
export type FlagReason = z.infer<typeof FlagReason>;

export const Urgency = z.object({
  level: UrgencyLevel,
  /** 0..100: a finer ordering within a level (rank * 25 + signal strength). */
  score: z.number().min(0).max(100),
  reasons: z.array(z.string().max(300)).max(50),
});
export type Urgency = z.infer<typeof Urgency>;

export const Classification = z.object({
  language: Language,
  kind: KindDecision,
  product: ProductDecision,
  issue: IssueDecision,
  sentiment: SentimentDecision,
  flags: z.array(FlagReason),
  urgency: Urgency,
  /** True when a layer was unsure and a human should confirm the labels. */
  needsReview: z.boolean(),
});
export type Classification = z.infer<typeof Classification>;
