/**
 * Evaluation metrics over (gold, predicted) pairs: accuracy, macro-F1 (mean F1 over every label that occurs as gold
 * or prediction), per-class precision / recall / F1 and a confusion matrix (rows gold, columns predicted); and, for
 * flags (a set per record), per-flag true / false positives, false negatives, precision and recall. Pure functions.
 */

export interface LabelPair {
  gold: string;
  predicted: string;
}

export interface ClassScore {
  label: string;
  /** Rows whose gold label is this one. */
  support: number;
  /** Rows predicted as this one. */
  predicted: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface FieldScore {
  rows: number;
  accuracy: number;
  macroF1: number;
  classes: ClassScore[];
  /** The labels of the confusion matrix, in `labelOrder` order (then any unknown ones alphabetically). */
  labels: string[];
  /** confusion[gold][predicted] counts, indexed like `labels`. */
  confusion: number[][];
}

export interface FlagScore {
  flag: string;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  /** Keys (ids or text starts) of the first few false positives and false negatives, to look at. */
  falsePositiveKeys: string[];
  falseNegativeKeys: string[];
}

export interface FlagSample {
  key: string;
  gold: readonly string[];
  predicted: readonly string[];
}

const EXAMPLES_KEPT = 10;

function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

function orderedLabels(pairs: readonly LabelPair[], labelOrder: readonly string[]): string[] {
  const seen = new Set(pairs.flatMap((pair) => [pair.gold, pair.predicted]));
  const known = labelOrder.filter((label) => seen.has(label));
  const unknown = [...seen].filter((label) => !labelOrder.includes(label)).sort();
  return [...known, ...unknown];
}

/** Accuracy, macro-F1, per-class scores and the confusion matrix of one field. */
export function scoreField(pairs: readonly LabelPair[], labelOrder: readonly string[] = []): FieldScore {
  const labels = orderedLabels(pairs, labelOrder);
  const position = new Map(labels.map((label, index) => [label, index]));
  const confusion = labels.map(() => labels.map(() => 0));
  for (const pair of pairs) {
    const row = confusion[position.get(pair.gold) ?? 0];
    const column = position.get(pair.predicted) ?? 0;
    if (row !== undefined) row[column] = (row[column] ?? 0) + 1;
  }
  const classes = labels.map((label, index): ClassScore => {
    const truePositives = confusion[index]?.[index] ?? 0;
    const support = (confusion[index] ?? []).reduce((sum, count) => sum + count, 0);
    const predicted = confusion.reduce((sum, row) => sum + (row[index] ?? 0), 0);
    const precision = ratio(truePositives, predicted);
    const recall = ratio(truePositives, support);
    const f1 = truePositives === 0 ? 0 : (2 * truePositives) / (predicted + support);
    return { label, support, predicted, precision, recall, f1 };
  });
  const correct = pairs.filter((pair) => pair.gold === pair.predicted).length;
  return {
    rows: pairs.length,
    accuracy: ratio(correct, pairs.length),
    macroF1: ratio(classes.reduce((sum, item) => sum + item.f1, 0), classes.length),
    classes,
    labels,
    confusion,
  };
}

/** Per-flag scores over records that carry a gold flag list, for every flag in `flagOrder` or seen. */
export function scoreFlags(samples: readonly FlagSample[], flagOrder: readonly string[] = []): FlagScore[] {
  const seen = new Set(samples.flatMap((sample) => [...sample.gold, ...sample.predicted]));
  const flags = [...flagOrder.filter((flag) => seen.has(flag)), ...[...seen].filter((flag) => !flagOrder.includes(flag)).sort()];
  return flags.map((flag): FlagScore => {
    const falsePositiveKeys: string[] = [];
    const falseNegativeKeys: string[] = [];
    let truePositives = 0;
    for (const sample of samples) {
      const gold = sample.gold.includes(flag);
      const predicted = sample.predicted.includes(flag);
      if (gold && predicted) truePositives += 1;
      else if (predicted) falsePositiveKeys.push(sample.key);
      else if (gold) falseNegativeKeys.push(sample.key);
    }
    return {
      flag,
      truePositives,
      falsePositives: falsePositiveKeys.length,
      falseNegatives: falseNegativeKeys.length,
      precision: ratio(truePositives, truePositives + falsePositiveKeys.length),
      recall: ratio(truePositives, truePositives + falseNegativeKeys.length),
      falsePositiveKeys: falsePositiveKeys.slice(0, EXAMPLES_KEPT),
      falseNegativeKeys: falseNegativeKeys.slice(0, EXAMPLES_KEPT),
    };
  });
}
