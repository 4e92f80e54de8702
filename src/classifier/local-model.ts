/**
 * The local model at run time: `loadLocalModel(json)` validates a parsed model.json and builds a feature → index map;
 * `predict(text)` gives, per field, the most probable value, its softmax probability as the confidence, the features
 * that pushed hardest for it as the reason, and `unsure` when the confidence is below the threshold (default 0.5).
 * Pure and synchronous; it never throws on any text.
 */
import { classProbabilities } from './model/class-probabilities.js';
import { extractFeatures } from './model/features.js';
import { LocalModelJson, type FieldValueMap, type LocalModelHead, type ModelField } from './model/model-format.js';

export const DEFAULT_MODEL_THRESHOLD = 0.5;
const REASON_FEATURES = 4;
const REASON_LIMIT = 500;

export interface FieldPrediction<Value extends string> {
  value: Value;
  /** Softmax probability of `value`. */
  confidence: number;
  /** True when `confidence` is below the threshold, or the text had no feature the model knows. */
  unsure: boolean;
  reason: string;
}

export type LocalPrediction = { [Field in ModelField]: FieldPrediction<FieldValueMap[Field]> } & {
  /** How many of the text's features the model knows. */
  knownFeatures: number;
};

export interface LocalModel {
  readonly threshold: number;
  readonly featureCount: number;
  predict(text: string): LocalPrediction;
}

interface LoadedHead {
  classes: readonly string[];
  bias: Float64Array;
  weights: Float64Array;
}

function loadHead(head: LocalModelHead, scale: number): LoadedHead {
  return {
    classes: head.classes,
    bias: Float64Array.from(head.bias, (weight) => weight / scale),
    weights: Float64Array.from(head.weights, (weight) => weight / scale),
  };
}

function describeFeature(feature: string): string {
  return `'${feature.slice(2)}'`;
}

/**
 * The features that pushed hardest for class `best` (positive weight), strongest first, ties by name: the reason.
 * A bounded insertion into REASON_FEATURES slots instead of sorting every feature.
 */
function topContributions(head: LoadedHead, indices: readonly number[], names: readonly string[], best: number): { name: string; weight: number }[] {
  const classCount = head.classes.length;
  const top: { name: string; weight: number }[] = [];
  const before = (left: { name: string; weight: number }, right: { name: string; weight: number }) =>
    left.weight > right.weight || (left.weight === right.weight && left.name < right.name);
  indices.forEach((index, position) => {
    const weight = head.weights[index * classCount + best] ?? 0;
    if (weight <= 0) return;
    const candidate = { name: names[position] ?? '', weight };
    const last = top[top.length - 1];
    if (top.length === REASON_FEATURES && last !== undefined && !before(candidate, last)) return;
    let slot = top.length;
    while (slot > 0 && before(candidate, top[slot - 1] ?? candidate)) slot -= 1;
    top.splice(slot, 0, candidate);
    if (top.length > REASON_FEATURES) top.pop();
  });
  return top;
}

function predictHead(head: LoadedHead, indices: readonly number[], names: readonly string[], threshold: number): FieldPrediction<string> {
  const classCount = head.classes.length;
  const probabilities = classProbabilities(indices, classCount, head.bias, head.weights);
  let best = 0;
  for (let label = 1; label < classCount; label += 1) if ((probabilities[label] ?? 0) > (probabilities[best] ?? 0)) best = label;
  const confidence = Math.round((probabilities[best] ?? 0) * 1000) / 1000;
  const contributions = topContributions(head, indices, names, best);
  const label = head.classes[best] ?? 'other';
  const words = contributions.length === 0 ? 'no known words, prior only' : contributions.map((item) => describeFeature(item.name)).join(', ');
  const reason = `model ${label} p=${confidence.toFixed(2)}: ${words}`;
  return {
    value: label,
    confidence,
    unsure: indices.length === 0 || confidence < threshold,
    reason: reason.length > REASON_LIMIT ? `${reason.slice(0, REASON_LIMIT - 1)}…` : reason,
  };
}

/** Validates a parsed model.json (throws a ZodError when it is not one) and returns a ready model. */
export function loadLocalModel(json: unknown, options: { threshold?: number } = {}): LocalModel {
  const model = LocalModelJson.parse(json);
  const threshold = options.threshold ?? DEFAULT_MODEL_THRESHOLD;
  const featureIndex = new Map<string, number>();
  model.features.forEach((feature, index) => featureIndex.set(feature, index));
  const heads = {
    kind: loadHead(model.heads.kind, model.scale),
    product: loadHead(model.heads.product, model.scale),
    issue: loadHead(model.heads.issue, model.scale),
    sentiment: loadHead(model.heads.sentiment, model.scale),
  };
  return {
    threshold,
    featureCount: model.features.length,
    predict(text: string): LocalPrediction {
      const indices: number[] = [];
      const names: string[] = [];
      for (const feature of extractFeatures(text)) {
        const index = featureIndex.get(feature);
        if (index !== undefined) {
          indices.push(index);
          names.push(feature);
        }
      }
      const predictField = (field: ModelField) => predictHead(heads[field], indices, names, threshold);
      // The heads' classes are validated against the taxonomy enums of their fields, so the casts below hold.
      return {
        kind: predictField('kind') as FieldPrediction<FieldValueMap['kind']>,
        product: predictField('product') as FieldPrediction<FieldValueMap['product']>,
        issue: predictField('issue') as FieldPrediction<FieldValueMap['issue']>,
        sentiment: predictField('sentiment') as FieldPrediction<FieldValueMap['sentiment']>,
        knownFeatures: indices.length,
      };
    },
  };
}
