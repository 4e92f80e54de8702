/**
 * The offline classifier: the rule layer (flags, urgency, and its guesses), then the local model for kind, product,
 * issue and sentiment. The model takes a field when the rules decided nothing (`default`) or were less confident
 * than it; a channel's product hint always wins. Flags always come from the rules. When the model changes the kind,
 * urgency is recomputed by the rules' own function for the new kind (medium floors apply only to complaints) and
 * the rules' sentiment is re-derived for it. `needsReview` is true when the layer that decided kind, product or issue
 * was unsure (below the review threshold, or `default`). Never throws.
 */
import type { Classification } from '../contracts/index.js';
import { classifiedText, type Classifier, type ClassifyInput } from './classifier.js';
import { decideSentiment } from './kind-rules.js';
import { DEFAULT_MODEL_THRESHOLD, type FieldPrediction, type LocalModel } from './local-model.js';
import { normalizeForMatching } from './normalize.js';
import { classifyWithRules } from './rule-classifier.js';
import { applyRules } from './rules.js';
import { decideUrgency } from './urgency.js';

/** Per field, the rule confidence at or above which the rules' decision stands whatever the model says. */
export type RuleTrust = Record<'kind' | 'product' | 'issue' | 'sentiment', number>;

export interface OfflineClassifierOptions {
  model: LocalModel;
  /** Confidence below which a deciding layer counts as unsure and the record needs review (default 0.5). */
  reviewThreshold?: number;
  /** Overrides of {@link DEFAULT_RULE_TRUSTED_AT}. */
  ruleTrustedAt?: Partial<RuleTrust>;
}

interface Decision<Value extends string> {
  value: Value;
  source: Classification['kind']['source'];
  confidence: number;
  reason: string;
}

/**
 * A rule decision at or above this confidence stands whatever the model says (1.01: never, the more confident layer
 * wins). Kind and sentiment: the rules carry the TAXONOMY definitions (harm flags make a complaint, praise a
 * compliment, greetings other) that the model, trained mostly on BANKING77's per-intent kinds and on 167 sentiment
 * rows, does not know; so only the rules' unsure guesses (confidence below 0.5, or 'default') are open to the model.
 * Product and issue: the more confident layer wins. Chosen on the held-out figures (see the report in the tests).
 */
export const DEFAULT_RULE_TRUSTED_AT: Readonly<RuleTrust> = { kind: 0.5, product: 1.01, issue: 1.01, sentiment: 0.5 };

/** The rules' decision, or the model's when the rules decided nothing or were less sure than the model. */
function choose<Value extends string>(rule: Decision<Value>, model: FieldPrediction<Value>, trustedAt: number): Decision<Value> {
  if (rule.source === 'channel') return rule;
  if (rule.source !== 'default' && rule.confidence >= trustedAt) return rule;
  const modelWins = rule.source === 'default' ? model.confidence > 0 : !model.unsure && model.confidence > rule.confidence;
  return modelWins ? { value: model.value, source: 'model', confidence: model.confidence, reason: model.reason } : rule;
}

function isUnsure(decision: Decision<string>, threshold: number): boolean {
  return decision.source === 'default' || decision.confidence < threshold;
}

/** Combines the rule layer with the local model for one message (synchronous). */
export function classifyOffline(
  input: ClassifyInput,
  model: LocalModel,
  reviewThreshold = DEFAULT_MODEL_THRESHOLD,
  trust: Readonly<RuleTrust> = DEFAULT_RULE_TRUSTED_AT,
): Classification {
  const rules = classifyWithRules(input);
  const text = classifiedText(input);
  const prediction = model.predict(text);
  const kind = choose(rules.kind, prediction.kind, trust.kind);
  const product = choose(rules.product, prediction.product, trust.product);
  const issue = choose(rules.issue, prediction.issue, trust.issue);
  let urgency = rules.urgency;
  let ruleSentiment = rules.sentiment;
  if (kind.value !== rules.kind.value) {
    const normalized = normalizeForMatching(text);
    const context = input.customerHasOpenComplaint === undefined ? {} : { customerHasOpenComplaint: input.customerHasOpenComplaint };
    const outcome = applyRules(normalized, rules.language, context);
    urgency = decideUrgency(outcome.flags, outcome, kind.value);
    ruleSentiment = decideSentiment(normalized, kind, outcome.flags);
  }
  const sentiment = choose(ruleSentiment, prediction.sentiment, trust.sentiment);
  const needsReview = [kind, product, issue].some((decision) => isUnsure(decision, reviewThreshold));
  return { ...rules, kind, product, issue, sentiment, urgency, needsReview };
}

/** What the classifier answers when something unexpected went wrong: the rules alone, marked for review. */
function fallback(input: ClassifyInput): Classification {
  return { ...classifyWithRules(input), needsReview: true };
}

/** A {@link Classifier} made of the rule layer and the local model. */
export function createOfflineClassifier(options: OfflineClassifierOptions): Classifier {
  const threshold = options.reviewThreshold ?? DEFAULT_MODEL_THRESHOLD;
  const trust: RuleTrust = { ...DEFAULT_RULE_TRUSTED_AT, ...options.ruleTrustedAt };
  return {
    classify(input: ClassifyInput): Promise<Classification> {
      try {
        return Promise.resolve(classifyOffline(input, options.model, threshold, trust));
      } catch {
        return Promise.resolve(fallback(input));
      }
    },
  };
}
