/**
 * Trains the local model (pure, deterministic): features of every row (features.ts), a shared feature list of the
 * features seen in at least `minimumCount` rows (most frequent first, capped at `maximumFeatures`), then one softmax
 * regression per field by stochastic gradient descent with L2 shrinkage, rows visited in a seeded shuffled order.
 * Rows missing a field's label are skipped for that head; a row's `weight` scales its gradient.
 */
import { classProbabilities } from './class-probabilities.js';
import { extractFeatures } from './features.js';
import { FIELD_VALUES, MODEL_FIELDS, MODEL_FORMAT, type LocalModelHead, type LocalModelJson, type ModelField } from './model-format.js';

export interface TrainingRow {
  text: string;
  /** Which set the row came from (counted in the model's `trainedOn`). */
  source: string;
  /** Gradient weight (default 1): a small in-domain set can count for more than a large out-of-domain one. */
  weight?: number;
  labels: Partial<Record<ModelField, string>>;
}

export interface TrainingOptions {
  minimumCount: number;
  maximumFeatures: number;
  epochs: number;
  learningRate: number;
  l2: number;
  seed: number;
  scale: number;
}

export const DEFAULT_TRAINING_OPTIONS: TrainingOptions = {
  minimumCount: 2,
  maximumFeatures: 20_000,
  epochs: 20,
  learningRate: 0.6,
  l2: 0.00002,
  seed: 7,
  scale: 100,
};

export interface TrainingOutcome {
  model: LocalModelJson;
  /** Accuracy of each head on its own training rows (after rounding the weights). */
  trainingAccuracy: Record<ModelField, number>;
}

interface EncodedRow {
  indices: number[];
  weight: number;
  labels: Partial<Record<ModelField, string>>;
}

/** Mulberry32: a small seeded generator, so the shuffle (and the model) is the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function shuffled<Item>(items: readonly Item[], random: () => number): Item[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    const held = copy[index] as Item;
    copy[index] = copy[other] as Item;
    copy[other] = held;
  }
  return copy;
}

function chooseFeatures(featureLists: readonly string[][], options: TrainingOptions): string[] {
  const counts = new Map<string, number>();
  for (const features of featureLists) for (const feature of features) counts.set(feature, (counts.get(feature) ?? 0) + 1);
  return [...counts.entries()]
    .filter(([, count]) => count >= options.minimumCount)
    .sort((left, right) => right[1] - left[1] || (left[0] < right[0] ? -1 : left[0] > right[0] ? 1 : 0))
    .slice(0, options.maximumFeatures)
    .map(([feature]) => feature);
}

function scoresOf(row: EncodedRow, classCount: number, bias: Float64Array, weights: Float64Array): Float64Array {
  return classProbabilities(row.indices, classCount, bias, weights);
}

function argMaximum(values: Float64Array): number {
  let best = 0;
  for (let index = 1; index < values.length; index += 1) if ((values[index] ?? 0) > (values[best] ?? 0)) best = index;
  return best;
}

function trainHead(field: ModelField, rows: readonly EncodedRow[], featureCount: number, options: TrainingOptions) {
  const labelled = rows.filter((row) => row.labels[field] !== undefined);
  const present = new Set(labelled.map((row) => row.labels[field]));
  const classes: string[] = FIELD_VALUES[field].filter((value) => present.has(value));
  const classCount = classes.length;
  const bias = new Float64Array(classCount);
  const weights = new Float64Array(featureCount * classCount);
  const random = seededRandom(options.seed);
  for (let epoch = 0; epoch < options.epochs; epoch += 1) {
    const rate = options.learningRate / (1 + epoch * 0.5);
    for (const row of shuffled(labelled, random)) {
      const gold = classes.indexOf(row.labels[field] ?? '');
      const probabilities = scoresOf(row, classCount, bias, weights);
      const value = row.indices.length === 0 ? 0 : 1 / Math.sqrt(row.indices.length);
      for (let label = 0; label < classCount; label += 1) {
        const gradient = ((probabilities[label] ?? 0) - (label === gold ? 1 : 0)) * row.weight * rate;
        bias[label] = (bias[label] ?? 0) - gradient * 0.1;
        for (const index of row.indices) {
          const position = index * classCount + label;
          const current = weights[position] ?? 0;
          weights[position] = current - gradient * value - rate * options.l2 * current;
        }
      }
    }
  }
  const round = (weight: number) => Math.round(weight * options.scale) || 0;
  const head = { classes, bias: Array.from(bias, round), weights: Array.from(weights, round), trainingRows: labelled.length };
  const restoredBias = Float64Array.from(head.bias, (weight) => weight / options.scale);
  const restoredWeights = Float64Array.from(head.weights, (weight) => weight / options.scale);
  const correct = labelled.filter((row) => classes[argMaximum(scoresOf(row, classCount, restoredBias, restoredWeights))] === row.labels[field]).length;
  return { head, accuracy: labelled.length === 0 ? 0 : correct / labelled.length };
}

/** Trains all four heads on `rows` and returns the serialisable model with its training accuracy per head. */
export function trainLocalModel(rows: readonly TrainingRow[], options: TrainingOptions = DEFAULT_TRAINING_OPTIONS): TrainingOutcome {
  const featureLists = rows.map((row) => extractFeatures(row.text));
  const features = chooseFeatures(featureLists, options);
  const featureIndex = new Map(features.map((feature, index) => [feature, index]));
  const encoded: EncodedRow[] = rows.map((row, position) => ({
    indices: (featureLists[position] ?? []).flatMap((feature) => featureIndex.get(feature) ?? []),
    weight: row.weight ?? 1,
    labels: row.labels,
  }));
  const trainedOn: Record<string, number> = {};
  for (const row of rows) trainedOn[row.source] = (trainedOn[row.source] ?? 0) + 1;
  const heads = {} as Record<ModelField, LocalModelHead>;
  const trainingAccuracy = {} as Record<ModelField, number>;
  for (const field of MODEL_FIELDS) {
    const { head, accuracy } = trainHead(field, encoded, features.length, options);
    heads[field] = head as LocalModelHead;
    trainingAccuracy[field] = accuracy;
  }
  const model = { format: MODEL_FORMAT, version: 1, algorithm: 'softmax-regression', scale: options.scale, trainedOn, features, heads } as LocalModelJson;
  return { model, trainingAccuracy };
}
