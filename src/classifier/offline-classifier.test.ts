/**
 * The offline classifier (rules + local model) on the three held-out sets: BANKING77 test, the held-out part of the
 * CFPB set and of the Ombuds dev set. The floors are regression guards at the measured value minus 0.02, not
 * targets; the issue's targets are printed beside them, and where a target is not reached the floor says so.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Classification } from '../contracts/index.js';
import { DEFAULT_EVALUATION_FILES, evaluateHeldOut, type GroupEvaluation, type SetEvaluation } from './evaluation.js';
import { formatEvaluationSummary } from './evaluation-report.js';
import { loadLocalModel } from './local-model.js';
import { createOfflineClassifier } from './offline-classifier.js';

const root = new URL('../../', import.meta.url);
const model = loadLocalModel(JSON.parse(readFileSync(new URL('src/classifier/model/model.json', root), 'utf8')));
const classifier = createOfflineClassifier({ model });
const files = DEFAULT_EVALUATION_FILES.map((file) => ({ name: file.name, part: file.part, contents: readFileSync(new URL(file.path, root), 'utf8') }));

function group(results: readonly SetEvaluation[], name: string, groupName: string): GroupEvaluation {
  const found = results.find((result) => result.name === name)?.groups.find((item) => item.group === groupName);
  if (found === undefined) throw new Error(`no group ${groupName} in ${name}`);
  return found;
}

describe('the offline classifier on the held-out sets', () => {
  let results: SetEvaluation[] = [];

  it('evaluates all three sets', async () => {
    results = await evaluateHeldOut({ classifier, files });
    process.stdout.write(formatEvaluationSummary(results));
    expect(results.map((result) => result.rows)).toEqual([3080, 67, 73]);
  });

  it('BANKING77 test: product ≥ 0.90 and issue ≥ 0.80 (targets; measured 0.944 and 0.943)', () => {
    const figures = group(results, 'BANKING77 test', 'all').fields;
    expect(figures.product?.accuracy).toBeGreaterThanOrEqual(0.92);
    expect(figures.issue?.accuracy).toBeGreaterThanOrEqual(0.92);
  });

  it('CFPB held-out: product 0.791 measured, short of the 0.80 target (guarded at 0.77)', () => {
    const figures = group(results, 'CFPB held-out', 'all').fields;
    expect(figures.product?.accuracy).toBeGreaterThanOrEqual(0.77);
  });

  it.each(['en', 'zh'])('dev held-out (%s): urgency macro-F1 ≥ 0.85 and kind accuracy ≥ 0.90 (targets)', (language) => {
    const figures = group(results, 'Ombuds dev held-out', language).fields;
    expect(figures.urgency?.macroF1).toBeGreaterThanOrEqual(0.94);
    expect(figures.kind?.accuracy).toBeGreaterThanOrEqual(0.97);
  });

  it('dev held-out: self_harm recall 1.0 and no false positives', () => {
    const flags = group(results, 'Ombuds dev held-out', 'all').flags?.scores ?? [];
    const selfHarm = flags.find((score) => score.flag === 'self_harm');
    expect(selfHarm?.truePositives).toBeGreaterThan(0);
    expect(selfHarm?.recall).toBe(1);
    expect(selfHarm?.falsePositives).toBe(0);
  });
});

describe('the offline classifier on single messages', () => {
  it('lets a channel product hint win over the model', async () => {
    const result = await classifier.classify({ text: 'I was charged twice for my card payment', productHint: 'mortgages' });
    expect(result.product).toMatchObject({ value: 'mortgages', source: 'channel' });
  });

  it('keeps the rules flags and critical urgency for self-harm language', async () => {
    const result = await classifier.classify({ text: 'the loan collectors keep calling, I want to end my life' });
    expect(result.flags.map((reason) => reason.flag)).toContain('self_harm');
    expect(result.urgency.level).toBe('critical');
  });

  it('names the model as the source when it decides, with its confidence and words', async () => {
    const result = await classifier.classify({ text: 'How long does a transfer from abroad take to arrive?' });
    const decisions = [result.kind, result.product, result.issue, result.sentiment];
    const fromModel = decisions.filter((decision) => decision.source === 'model');
    expect(fromModel.length).toBeGreaterThan(0);
    for (const decision of fromModel) expect(decision.reason).toMatch(/^model /);
  });

  it.each([
    ['empty', ''],
    ['100 KB', 'please help, my account is frozen. '.repeat(3000)],
    ['binary garbage', String.fromCharCode(...Array.from({ length: 3000 }, (_, index) => (index * 104729) % 65536))],
    ['emoji only', '🙂🙂🙂'],
    ['right-to-left', 'لا أستطيع الدخول إلى حسابي'],
  ])('never throws and returns a valid classification on %s input', async (_name, text) => {
    const result = await classifier.classify({ text });
    expect(Classification.safeParse(result).success).toBe(true);
  });
});
