/**
 * Evaluation of any Classifier on labelled JSONL: parse (evaluation-data.ts), optionally keep only the held-out part
 * (split.ts), classify each row, and score kind, product, issue, sentiment and urgency (accuracy, macro-F1, per-class
 * precision / recall, confusion matrix) and flags (per-flag precision / recall), over all rows and per language.
 * A field is scored only on rows that label it. Pure: the caller reads the files and passes their contents in.
 */
import { Flag, Issue, Kind, Product, Sentiment, UrgencyLevel, type Classification } from '../contracts/index.js';
import type { Classifier } from './classifier.js';
import { parseLabelledJsonl, type LabelledRow } from './evaluation-data.js';
import { scoreField, scoreFlags, type FieldScore, type FlagScore, type LabelPair } from './evaluation-metrics.js';
import { detectLanguage } from './language.js';
import { selectPart } from './model/split.js';

export const EVALUATED_FIELDS = ['kind', 'product', 'issue', 'sentiment', 'urgency'] as const;
export type EvaluatedField = (typeof EVALUATED_FIELDS)[number];

const LABEL_ORDER: Record<EvaluatedField, readonly string[]> = {
  kind: Kind.options,
  product: Product.options,
  issue: Issue.options,
  sentiment: Sentiment.options,
  urgency: UrgencyLevel.options,
};

/** Which rows of a file to evaluate: all of them, or the held-out part of the project's split. */
export type EvaluationPart = 'all' | 'held-out';

export interface EvaluationFile {
  /** A name for the report, e.g. the path. */
  name: string;
  /** The file's contents (labelled JSONL). */
  contents: string;
  part: EvaluationPart;
}

/** The held-out sets `ombuds eval` uses by default, relative to the project root. */
export const DEFAULT_EVALUATION_FILES: readonly { name: string; path: string; part: EvaluationPart }[] = [
  { name: 'BANKING77 test', path: 'corpus/banking77/test.jsonl', part: 'all' },
  { name: 'CFPB held-out', path: 'corpus/cfpb/cfpb_labelled.jsonl', part: 'held-out' },
  { name: 'Ombuds dev held-out', path: 'fixtures/classifier/ombuds-labelled-dev.jsonl', part: 'held-out' },
];

export interface GroupEvaluation {
  /** `all`, or a language (`en`, `zh`, `und`). */
  group: string;
  rows: number;
  fields: Partial<Record<EvaluatedField, FieldScore>>;
  /** Present when some rows label flags. */
  flags?: { rows: number; scores: FlagScore[] };
  /** Share of rows the classifier marked needsReview. */
  needsReviewRate: number;
}

export interface SetEvaluation {
  name: string;
  part: EvaluationPart;
  /** Rows evaluated (after the split). */
  rows: number;
  /** Lines skipped as unreadable or with labels outside the taxonomy. */
  skipped: number;
  groups: GroupEvaluation[];
}

export interface EvaluatedRow {
  row: LabelledRow;
  result: Classification;
  language: string;
}

function predictedValue(result: Classification, field: EvaluatedField): string {
  return field === 'urgency' ? result.urgency.level : result[field].value;
}

function keyOf(row: LabelledRow): string {
  return row.id ?? row.text.slice(0, 40);
}

/** Scores a group of classified rows. */
export function scoreRows(group: string, items: readonly EvaluatedRow[]): GroupEvaluation {
  const fields: Partial<Record<EvaluatedField, FieldScore>> = {};
  for (const field of EVALUATED_FIELDS) {
    const pairs: LabelPair[] = items.flatMap(({ row, result }) => {
      const gold = row[field];
      return gold === undefined ? [] : [{ gold, predicted: predictedValue(result, field) }];
    });
    if (pairs.length > 0) fields[field] = scoreField(pairs, LABEL_ORDER[field]);
  }
  const flagged = items.filter(({ row }) => row.flags !== undefined);
  const samples = flagged.map(({ row, result }) => ({ key: keyOf(row), gold: row.flags ?? [], predicted: result.flags.map((reason) => reason.flag) }));
  const reviewed = items.filter(({ result }) => result.needsReview).length;
  return {
    group,
    rows: items.length,
    fields,
    ...(flagged.length === 0 ? {} : { flags: { rows: flagged.length, scores: scoreFlags(samples, Flag.options) } }),
    needsReviewRate: items.length === 0 ? 0 : reviewed / items.length,
  };
}

/** Classifies rows one after another (the classifier may be rate-limited; order is kept). */
export async function classifyRows(classifier: Classifier, rows: readonly LabelledRow[]): Promise<EvaluatedRow[]> {
  const items: EvaluatedRow[] = [];
  for (const row of rows) {
    const result = await classifier.classify({ text: row.text });
    items.push({ row, result, language: row.lang ?? detectLanguage(row.text) });
  }
  return items;
}

/** Evaluates one labelled file: all rows and per language. */
export async function evaluateLabelledFile(classifier: Classifier, file: EvaluationFile): Promise<SetEvaluation> {
  const parsed = parseLabelledJsonl(file.contents);
  const rows = file.part === 'held-out' ? selectPart(parsed.rows, 'held-out') : parsed.rows;
  const items = await classifyRows(classifier, rows);
  const languages = [...new Set(items.map((item) => item.language))].sort();
  const groups = [scoreRows('all', items)];
  if (languages.length > 1 || (languages[0] !== undefined && languages[0] !== 'en')) {
    for (const language of languages) groups.push(scoreRows(language, items.filter((item) => item.language === language)));
  }
  return { name: file.name, part: file.part, rows: rows.length, skipped: parsed.skipped, groups };
}

/** Evaluates several files (by default the three held-out sets of {@link DEFAULT_EVALUATION_FILES}), in order. */
export async function evaluateHeldOut(options: { classifier: Classifier; files: readonly EvaluationFile[] }): Promise<SetEvaluation[]> {
  const results: SetEvaluation[] = [];
  for (const file of options.files) results.push(await evaluateLabelledFile(options.classifier, file));
  return results;
}
