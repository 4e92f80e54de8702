/** The train / held-out split is deterministic, disjoint, about 30% held out, and keeps both dev languages. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLabelledJsonl } from '../evaluation-data.js';
import { selectPart, splitPartOf, stableHash } from './split.js';

const dev = parseLabelledJsonl(readFileSync(new URL('../../../fixtures/classifier/ombuds-labelled-dev.jsonl', import.meta.url), 'utf8')).rows;
const cfpb = parseLabelledJsonl(readFileSync(new URL('../../../corpus/cfpb/cfpb_labelled.jsonl', import.meta.url), 'utf8')).rows;

describe('the held-out split', () => {
  it('hashes stably (FNV-1a)', () => {
    expect(stableHash('')).toBe(0x811c9dc5);
    expect(stableHash('a')).toBe(0xe40c292c);
    expect(stableHash('dev-001')).toBe(stableHash('dev-001'));
  });

  it('keys by id when there is one, else by text', () => {
    const text = 'same text';
    expect(splitPartOf({ text })).toBe(splitPartOf({ text, id: undefined }));
    expect([splitPartOf({ id: 'dev-001', text: 'x' }), splitPartOf({ id: 'dev-001', text: 'y' })]).toEqual([
      splitPartOf({ id: 'dev-001', text: 'z' }),
      splitPartOf({ id: 'dev-001', text: 'z' }),
    ]);
  });

  it.each([
    ['dev', dev],
    ['cfpb', cfpb],
  ] as const)('is deterministic, disjoint and covering, about 30%% held out (%s)', (_name, rows) => {
    const heldOut = selectPart(rows, 'held-out');
    const train = selectPart(rows, 'train');
    expect(selectPart(rows, 'held-out')).toEqual(heldOut);
    expect(heldOut.length + train.length).toBe(rows.length);
    const heldTexts = new Set(heldOut.map((row) => row.text));
    expect(train.filter((row) => heldTexts.has(row.text))).toEqual([]);
    expect(heldOut.length / rows.length).toBeGreaterThan(0.2);
    expect(heldOut.length / rows.length).toBeLessThan(0.4);
  });

  it('keeps both languages in the held-out part of the dev set', () => {
    const heldOut = selectPart(dev, 'held-out');
    expect(heldOut.filter((row) => row.lang === 'en').length).toBeGreaterThan(20);
    expect(heldOut.filter((row) => row.lang === 'zh').length).toBeGreaterThan(20);
  });
});
