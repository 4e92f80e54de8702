/** What other folders may use from the classifier (named exports only). */
export type { ChannelFields, Classifier, ClassifyInput } from './classifier.js';
export { createRuleClassifier, classifyWithRules } from './rule-classifier.js';
export { redactPii, type PiiFinding, type PiiRedaction, type PiiType } from './pii.js';
export { detectLanguage } from './language.js';
export {
  isLargeAmount,
  largestAmount,
  parseAmounts,
  toUsd,
  type CurrencyCode,
  type ParsedAmount,
} from './amounts.js';
