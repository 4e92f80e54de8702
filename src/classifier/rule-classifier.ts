/**
 * The rule classifier: normalize → language → rules (flags, urgency, amounts) → product, issue, kind and
 * sentiment rules → a Classification (src/contracts/classification.ts). It never throws: any text, however
 * empty, long or garbled, gets a valid Classification. Later layers (local model, LLM) sit on top of this one
 * and may change product, issue, kind and sentiment, but not lower the urgency floors set here (DESIGN.md §8).
 */
import type { Classification, Kind, ProductDecision } from '../contracts/index.js';
import { classifiedText, type Classifier, type ClassifyInput } from './classifier.js';
import { decideKind, decideSentiment } from './kind-rules.js';
import { detectLanguage } from './language.js';
import { normalizeForMatching } from './normalize.js';
import { decideIssue, decideProduct, LOW_CONFIDENCE } from './product-rules.js';
import { applyRules } from './rules.js';
import { decideUrgency } from './urgency.js';

/** Classifies one message with the rule layer alone (synchronous; see {@link createRuleClassifier}). */
export function classifyWithRules(input: ClassifyInput): Classification {
  const text = classifiedText(input);
  const normalized = normalizeForMatching(text);
  const language = detectLanguage(text, input.locale);
  const outcome = applyRules(normalized, language, {
    ...(input.customerHasOpenComplaint === undefined ? {} : { customerHasOpenComplaint: input.customerHasOpenComplaint }),
  });
  const textProduct = decideProduct(normalized, input.productHint);
  const kind = decideKind(normalized, outcome.flags, textProduct);
  // Spam, greetings and misdirected messages are about no product, whatever words they use.
  const product: ProductDecision =
    kind.value === 'other' && textProduct.source === 'rule'
      ? { value: 'other', source: 'rule', confidence: kind.confidence, reason: `kind other (${kind.reason})`.slice(0, 500) }
      : textProduct;
  const urgency = decideUrgency(outcome.flags, outcome, kind.value);
  const needsReview =
    product.source === 'default' || kind.source === 'default' || product.confidence < LOW_CONFIDENCE || kind.confidence < LOW_CONFIDENCE;
  return {
    language,
    kind,
    product,
    issue: decideIssue(normalized, outcome.flags),
    sentiment: decideSentiment(normalized, kind, outcome.flags),
    flags: outcome.flags,
    urgency,
    needsReview,
  };
}

/** What the classifier answers when something unexpected went wrong: nothing decided, a human looks. */
function undecided(reason: string): Classification {
  const kind: Kind = 'other';
  return {
    language: 'und',
    kind: { value: kind, source: 'default', confidence: 0, reason },
    product: { value: 'other', source: 'default', confidence: 0, reason },
    issue: { value: 'other', source: 'default', confidence: 0, reason },
    sentiment: { value: 'neutral', source: 'default', confidence: 0, reason },
    flags: [],
    urgency: { level: 'low', score: 0, reasons: [] },
    needsReview: true,
  };
}

/** A {@link Classifier} made of the rule layer only. */
export function createRuleClassifier(): Classifier {
  return {
    classify(input: ClassifyInput): Promise<Classification> {
      try {
        return Promise.resolve(classifyWithRules(input));
      } catch {
        return Promise.resolve(undecided('the rule layer could not read this message'));
      }
    },
  };
}
