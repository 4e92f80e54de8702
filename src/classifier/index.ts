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
export { loadLocalModel, DEFAULT_MODEL_THRESHOLD, type LocalModel, type LocalPrediction, type FieldPrediction } from './local-model.js';
export { createOfflineClassifier, classifyOffline, DEFAULT_RULE_TRUSTED_AT, type OfflineClassifierOptions, type RuleTrust } from './offline-classifier.js';
export {
  DEFAULT_EVALUATION_FILES,
  evaluateHeldOut,
  evaluateLabelledFile,
  type EvaluationFile,
  type EvaluationPart,
  type GroupEvaluation,
  type SetEvaluation,
} from './evaluation.js';
export { formatEvaluationReport, formatEvaluationSummary } from './evaluation-report.js';
export { parseLabelledJsonl, type LabelledRow } from './evaluation-data.js';
export { extractIncidentDate } from './dates.js';
