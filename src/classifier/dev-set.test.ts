/**
 * Runs the rule classifier over all 240 rows of the labelled dev set (fixtures/classifier) and guards the figures
 * it reaches. The lexicons were written with this set in view, so these are in-sample figures: the floors below
 * are the measured values minus a small margin, a regression guard rather than an accuracy claim.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Classification, Flag, Issue, Kind, Product, Sentiment, UrgencyLevel } from '../contracts/index.js';
import { classifyWithRules } from './rule-classifier.js';

const LabelledRow = z.object({
  id: z.string(),
  text: z.string(),
  lang: z.enum(['en', 'zh']),
  kind: Kind,
  product: Product,
  issue: Issue,
  urgency: UrgencyLevel,
  flags: z.array(Flag),
  sentiment: Sentiment,
});
type LabelledRow = z.infer<typeof LabelledRow>;

const fixture = new URL('../../fixtures/classifier/ombuds-labelled-dev.jsonl', import.meta.url);
const rows: LabelledRow[] = readFileSync(fixture, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => LabelledRow.parse(JSON.parse(line)));
const results = rows.map((row) => ({ row, result: Classification.parse(classifyWithRules({ text: row.text })) }));

interface Figures {
  rows: number;
  urgencyAccuracy: number;
  urgencyMacroF1: number;
  kindAccuracy: number;
  flagPrecision: number;
  flagRecall: number;
  productAccuracy: number;
  issueAccuracy: number;
  sentimentAccuracy: number;
}

function macroF1(pairs: readonly { gold: string; predicted: string }[]): number {
  const labels = new Set(pairs.flatMap((pair) => [pair.gold, pair.predicted]));
  const scores = [...labels].map((label) => {
    const truePositive = pairs.filter((pair) => pair.gold === label && pair.predicted === label).length;
    const predicted = pairs.filter((pair) => pair.predicted === label).length;
    const gold = pairs.filter((pair) => pair.gold === label).length;
    return truePositive === 0 ? 0 : (2 * truePositive) / (predicted + gold);
  });
  return scores.reduce((sum, score) => sum + score, 0) / scores.length;
}

function figuresFor(language: 'en' | 'zh'): Figures {
  const subset = results.filter(({ row }) => row.lang === language);
  const share = (test: (item: (typeof subset)[number]) => boolean) => subset.filter(test).length / subset.length;
  let truePositive = 0;
  let predicted = 0;
  let gold = 0;
  for (const { row, result } of subset) {
    const flags = new Set(result.flags.map((reason) => reason.flag));
    truePositive += row.flags.filter((flag) => flags.has(flag)).length;
    predicted += flags.size;
    gold += row.flags.length;
  }
  return {
    rows: subset.length,
    urgencyAccuracy: share(({ row, result }) => row.urgency === result.urgency.level),
    urgencyMacroF1: macroF1(subset.map(({ row, result }) => ({ gold: row.urgency, predicted: result.urgency.level }))),
    kindAccuracy: share(({ row, result }) => row.kind === result.kind.value),
    flagPrecision: truePositive / predicted,
    flagRecall: truePositive / gold,
    productAccuracy: share(({ row, result }) => row.product === result.product.value),
    issueAccuracy: share(({ row, result }) => row.issue === result.issue.value),
    sentimentAccuracy: share(({ row, result }) => row.sentiment === result.sentiment.value),
  };
}

/** Measured on this rule set, minus a margin of 0.03 (0.05 for the best-effort product/issue/sentiment rules). */
const FLOORS: Record<'en' | 'zh', Figures> = {
  en: { rows: 120, urgencyAccuracy: 0.96, urgencyMacroF1: 0.96, kindAccuracy: 0.97, flagPrecision: 0.97, flagRecall: 0.95, productAccuracy: 0.8, issueAccuracy: 0.81, sentimentAccuracy: 0.84 },
  zh: { rows: 120, urgencyAccuracy: 0.97, urgencyMacroF1: 0.97, kindAccuracy: 0.97, flagPrecision: 0.97, flagRecall: 0.97, productAccuracy: 0.85, issueAccuracy: 0.71, sentimentAccuracy: 0.88 },
};

function format(language: string, figures: Figures): string {
  const names = Object.keys(figures) as (keyof Figures)[];
  const cells = names.map((name) => `${name} ${Number.isInteger(figures[name]) ? figures[name] : figures[name].toFixed(3)}`);
  return `  ${language}: ${cells.join(', ')}\n`;
}

describe('the rule classifier on the labelled dev set', () => {
  it('reads all 240 rows, 120 per language', () => {
    expect(rows).toHaveLength(240);
    expect(rows.filter((row) => row.lang === 'zh')).toHaveLength(120);
  });

  it('finds every self_harm row and flags no other row as self_harm', () => {
    const gold = results.filter(({ row }) => row.flags.includes('self_harm'));
    const predicted = results.filter(({ result }) => result.flags.some((reason) => reason.flag === 'self_harm'));
    const found = gold.filter(({ result }) => result.flags.some((reason) => reason.flag === 'self_harm'));
    const falsePositives = predicted.filter(({ row }) => !row.flags.includes('self_harm')).map(({ row }) => row.id);
    process.stdout.write(`self_harm: recall ${found.length}/${gold.length}, false positives ${falsePositives.length}\n`);
    expect(gold.length).toBeGreaterThan(0);
    expect(found.length / gold.length).toBe(1);
    expect(falsePositives).toEqual([]);
    for (const { result } of found) expect(result.urgency.level).toBe('critical');
  });

  it.each(['en', 'zh'] as const)('keeps urgency, flags and kind at or above the guarded floors (%s)', (language) => {
    const figures = figuresFor(language);
    process.stdout.write(`dev set ${format(language, figures)}`);
    const floors = FLOORS[language];
    for (const name of Object.keys(floors) as (keyof Figures)[]) {
      expect(figures[name], `${language} ${name}`).toBeGreaterThanOrEqual(floors[name]);
    }
  });
});
