/** Evaluation metrics and labelled-file parsing on tiny hand-made examples whose figures are worked out by hand. */
import { describe, expect, it } from 'vitest';
import { parseLabelledJsonl } from './evaluation-data.js';
import { scoreField, scoreFlags } from './evaluation-metrics.js';

describe('scoreField', () => {
  // gold a a a b b c ; predicted a a b b c c
  const pairs = [
    { gold: 'a', predicted: 'a' },
    { gold: 'a', predicted: 'a' },
    { gold: 'a', predicted: 'b' },
    { gold: 'b', predicted: 'b' },
    { gold: 'b', predicted: 'c' },
    { gold: 'c', predicted: 'c' },
  ];
  const score = scoreField(pairs, ['c', 'b', 'a']);

  it('counts accuracy and the confusion matrix (rows gold, columns predicted) in the given label order', () => {
    expect(score.accuracy).toBeCloseTo(4 / 6);
    expect(score.labels).toEqual(['c', 'b', 'a']);
    expect(score.confusion).toEqual([
      [1, 0, 0],
      [1, 1, 0],
      [0, 1, 2],
    ]);
  });

  it('computes per-class precision, recall, F1 and macro-F1', () => {
    const byLabel = Object.fromEntries(score.classes.map((item) => [item.label, item]));
    expect(byLabel.a).toMatchObject({ support: 3, predicted: 2, precision: 1 });
    expect(byLabel.a?.recall).toBeCloseTo(2 / 3);
    expect(byLabel.a?.f1).toBeCloseTo(0.8);
    expect(byLabel.b?.f1).toBeCloseTo(0.5);
    expect(byLabel.c?.f1).toBeCloseTo(2 / 3);
    expect(score.macroF1).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3);
  });

  it('scores an empty list as zero without dividing by zero', () => {
    expect(scoreField([])).toMatchObject({ rows: 0, accuracy: 0, macroF1: 0, labels: [] });
  });
});

describe('scoreFlags', () => {
  it('counts true and false positives and misses per flag', () => {
    const scores = scoreFlags(
      [
        { key: 'r1', gold: ['self_harm', 'fraud'], predicted: ['self_harm'] },
        { key: 'r2', gold: [], predicted: ['fraud'] },
        { key: 'r3', gold: ['fraud'], predicted: ['fraud'] },
      ],
      ['self_harm', 'fraud'],
    );
    expect(scores.map((item) => item.flag)).toEqual(['self_harm', 'fraud']);
    expect(scores[0]).toMatchObject({ truePositives: 1, falsePositives: 0, falseNegatives: 0, precision: 1, recall: 1 });
    expect(scores[1]).toMatchObject({ truePositives: 1, falsePositives: 1, falseNegatives: 1, precision: 0.5, recall: 0.5 });
    expect(scores[1]?.falsePositiveKeys).toEqual(['r2']);
    expect(scores[1]?.falseNegativeKeys).toEqual(['r1']);
  });
});

describe('parseLabelledJsonl', () => {
  it('keeps valid rows and skips and counts bad JSON, rows without text and labels outside the taxonomy', () => {
    const contents = [
      '{"text": "card blocked", "lang": "en", "kind": "complaint", "product": "cards"}',
      '',
      'not json',
      '{"kind": "complaint"}',
      '{"text": "x", "product": "crypto"}',
      '{"text": "退款没到账", "lang": "zh", "flags": ["fraud"], "urgency": "high", "channel": "sms"}',
    ].join('\n');
    const parsed = parseLabelledJsonl(contents);
    expect(parsed.rows.map((row) => row.text)).toEqual(['card blocked', '退款没到账']);
    expect(parsed.skipped).toBe(3);
    expect(parsed.skippedLines).toEqual([3, 4, 5]);
  });
});
