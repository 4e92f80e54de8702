/**
 * Plain-text report of evaluation results (evaluation.ts): per set and group, a summary line per field (accuracy,
 * macro-F1), a per-class table (precision, recall, F1, support), the confusion matrix (rows gold, columns
 * predicted) and per-flag precision / recall with the keys of misses. No colours, fixed-width columns.
 */
import type { FieldScore, FlagScore } from './evaluation-metrics.js';
import { EVALUATED_FIELDS, type GroupEvaluation, type SetEvaluation } from './evaluation.js';

function fixed(value: number): string {
  return value.toFixed(3);
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function padLeft(text: string, width: number): string {
  return text.length >= width ? text : ' '.repeat(width - text.length) + text;
}

function classTable(score: FieldScore): string[] {
  const width = Math.max(8, ...score.labels.map((label) => label.length));
  const lines = [`    ${pad('class', width)}  precision  recall     f1  support`];
  for (const item of score.classes) {
    lines.push(`    ${pad(item.label, width)}  ${padLeft(fixed(item.precision), 9)}  ${padLeft(fixed(item.recall), 6)}  ${fixed(item.f1)}  ${padLeft(String(item.support), 7)}`);
  }
  return lines;
}

function confusionTable(score: FieldScore): string[] {
  const width = Math.max(8, ...score.labels.map((label) => label.length));
  const columns = score.labels.map((label, index) => padLeft(`[${index}]`, 5));
  const lines = [`    confusion (rows gold, columns predicted)`, `    ${pad('', width + 5)}${columns.join('')}`];
  score.labels.forEach((label, index) => {
    const cells = (score.confusion[index] ?? []).map((count) => padLeft(String(count), 5));
    lines.push(`    ${pad(`[${index}] ${label}`, width + 5)}${cells.join('')}`);
  });
  return lines;
}

function flagTable(rows: number, scores: readonly FlagScore[]): string[] {
  const lines = [`  flags (${rows} rows)`, `    ${pad('flag', 20)}  tp  fp  fn  precision  recall`];
  for (const score of scores) {
    lines.push(
      `    ${pad(score.flag, 20)}${padLeft(String(score.truePositives), 4)}${padLeft(String(score.falsePositives), 4)}${padLeft(String(score.falseNegatives), 4)}  ${padLeft(fixed(score.precision), 9)}  ${fixed(score.recall)}`,
    );
    if (score.falsePositiveKeys.length > 0) lines.push(`      false positives: ${score.falsePositiveKeys.join(', ')}`);
    if (score.falseNegativeKeys.length > 0) lines.push(`      missed: ${score.falseNegativeKeys.join(', ')}`);
  }
  return lines;
}

function groupSection(group: GroupEvaluation): string[] {
  const lines = [` [${group.group}] ${group.rows} rows, needsReview ${fixed(group.needsReviewRate)}`];
  for (const field of EVALUATED_FIELDS) {
    const score = group.fields[field];
    if (score === undefined) continue;
    lines.push(`  ${field}: accuracy ${fixed(score.accuracy)}, macro-F1 ${fixed(score.macroF1)} (${score.rows} rows)`);
    lines.push(...classTable(score), ...confusionTable(score));
  }
  if (group.flags !== undefined) lines.push(...flagTable(group.flags.rows, group.flags.scores));
  return lines;
}

/** One line per set and group with the headline figures, for a quick look. */
export function formatEvaluationSummary(results: readonly SetEvaluation[]): string {
  const lines: string[] = [];
  for (const result of results) {
    for (const group of result.groups) {
      const cells = EVALUATED_FIELDS.flatMap((field) => {
        const score = group.fields[field];
        return score === undefined ? [] : [`${field} ${fixed(score.accuracy)}/${fixed(score.macroF1)}`];
      });
      lines.push(`${result.name} [${group.group}] ${group.rows} rows: ${cells.join(', ')} (accuracy/macro-F1)`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The full report: summary, then per set and group the per-class tables, confusion matrices and flags. */
export function formatEvaluationReport(results: readonly SetEvaluation[]): string {
  const lines = [formatEvaluationSummary(results)];
  for (const result of results) {
    lines.push(`== ${result.name} (${result.part === 'held-out' ? 'held-out part' : 'all rows'}): ${result.rows} rows, ${result.skipped} lines skipped`);
    for (const group of result.groups) lines.push(...groupSection(group), '');
  }
  return `${lines.join('\n')}\n`;
}
