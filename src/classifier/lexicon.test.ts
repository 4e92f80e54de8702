/** Tests for the lexicons as data (ids, bounded patterns, simplified terms) and for the matcher in lexicon.ts. */
import { describe, expect, it } from 'vitest';
import { Flag } from '../contracts/index.js';
import { findHits, MAX_HITS_PER_ENTRY, type LexiconEntry } from './lexicon.js';
import { ENGLISH_LEXICON } from './lexicon-en.js';
import { CHINESE_LEXICON } from './lexicon-zh.js';

const ALL: readonly LexiconEntry[] = [...ENGLISH_LEXICON, ...CHINESE_LEXICON];

describe('the lexicons as data', () => {
  it('give every entry a unique id naming its language', () => {
    const ids = ALL.map((entry) => entry.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const entry of ALL) expect(entry.id).toContain(`_${entry.language}_`);
  });

  it('cover every flag except the structural large_amount, in both languages', () => {
    for (const flag of Flag.options.filter((value) => value !== 'large_amount')) {
      expect(ENGLISH_LEXICON.some((entry) => entry.flag === flag), `en ${flag}`).toBe(true);
      expect(CHINESE_LEXICON.some((entry) => entry.flag === flag), `zh ${flag}`).toBe(true);
    }
  });

  it('bound every repetition in English patterns: no * or + quantifier, no global flag', () => {
    for (const entry of ENGLISH_LEXICON) {
      const patterns = entry.unlessSentence === undefined ? entry.patterns : [...entry.patterns, entry.unlessSentence];
      for (const pattern of patterns) {
        expect(pattern.source.replace(/\\./g, ''), `${entry.id}: ${pattern.source}`).not.toMatch(/[*+]/);
        expect(pattern.flags).not.toContain('g');
      }
    }
  });

  it('write English patterns for lower-case text and Chinese terms in lower-case ASCII', () => {
    for (const entry of ENGLISH_LEXICON) {
      for (const pattern of entry.patterns) expect(pattern.source.replace(/\\[A-Za-z]/g, '')).not.toMatch(/[A-Z]/);
    }
    for (const entry of CHINESE_LEXICON) for (const term of entry.terms) expect(term).toBe(term.toLowerCase());
  });
});

describe('findHits', () => {
  const entry = (id: string) => {
    const found = ALL.find((candidate) => candidate.id === id);
    if (found === undefined) throw new Error(`no entry ${id}`);
    return found;
  };

  it('finds English words with word boundaries only', () => {
    expect([...findHits(entry('fraud_en_scam'), 'i got scammed')].map((hit) => hit.word)).toEqual(['scammed']);
    expect([...findHits(entry('fraud_en_scam'), 'scampi for dinner')]).toHaveLength(0);
  });

  it('keeps Chinese digit terms from matching inside longer numbers', () => {
    const regulator = entry('regulator_zh_named');
    expect([...findHits(regulator, '卡号6212378000123')]).toHaveLength(0);
    expect([...findHits(regulator, '我要打12378投诉')].map((hit) => hit.word)).toEqual(['12378']);
  });

  it('honours notFollowedBy and notPrecededBy (跳楼价 is a price, 你去死 curses someone else)', () => {
    expect([...findHits(entry('self_harm_zh_method'), '跳楼价大甩卖')]).toHaveLength(0);
    expect([...findHits(entry('self_harm_zh_method'), '我要跳楼')]).toHaveLength(1);
    expect([...findHits(entry('self_harm_zh_go_die'), '你们都去死吧')]).toHaveLength(0);
    expect([...findHits(entry('self_harm_zh_want_to_die'), '想死你们了')]).toHaveLength(0);
  });

  it('stops after a bounded number of hits on repeated input', () => {
    expect([...findHits(entry('fraud_en_scam'), 'scam '.repeat(20_000))].length).toBeLessThanOrEqual(40);
  });

  it('finishes on adversarial input for every entry, with a bounded number of hits', () => {
    const inputs = ['a'.repeat(100_000), "can't ".repeat(15_000), 'account is '.repeat(9_000), 'charges '.repeat(12_000), '盗'.repeat(100_000), '被盗刷'.repeat(30_000)];
    for (const input of inputs) {
      for (const item of ALL) {
        const alternatives = item.language === 'en' ? item.patterns.length : item.terms.length;
        expect([...findHits(item, input)].length).toBeLessThanOrEqual(MAX_HITS_PER_ENTRY * alternatives);
      }
    }
  });
});
