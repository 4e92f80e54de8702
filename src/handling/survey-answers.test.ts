import { describe, expect, it } from 'vitest';
import { parseSurveyAnswer } from './survey-answers.js';

describe('parseSurveyAnswer', () => {
  it.each([
    ['5', 5, null],
    ['４', 4, null],
    ['3/5', 3, null],
    ['2 out of 5, still waiting', 2, null],
    ['★★★★', 4, null],
    ['4分', 4, null],
    ['给五星', 5, null],
    ['非常满意', 5, null],
    ['不满意', 2, null],
    ['Very dissatisfied', 1, null],
  ])('reads %j as score %d', (text, score, resolved) => {
    expect(parseSurveyAnswer(text)).toMatchObject({ score, resolved });
  });

  it('reads whether the matter is resolved, with or without a score', () => {
    expect(parseSurveyAnswer('4 - resolved, thanks')).toMatchObject({ score: 4, resolved: true });
    expect(parseSurveyAnswer('not resolved at all')).toMatchObject({ score: null, resolved: false });
    expect(parseSurveyAnswer('问题还是没解决')).toMatchObject({ resolved: false });
    expect(parseSurveyAnswer('已经解决了，5分')).toMatchObject({ score: 5, resolved: true });
  });

  it('keeps the words as a comment, but not a bare score', () => {
    expect(parseSurveyAnswer('5')?.comment).toBeNull();
    expect(parseSurveyAnswer('3/5 took too long')?.comment).toBe('3/5 took too long');
  });

  it('does not read a new problem, an amount or a long message as an answer', () => {
    expect(parseSurveyAnswer('My card was charged £45 twice yesterday')).toBeNull();
    expect(parseSurveyAnswer('50')).toBeNull();
    expect(parseSurveyAnswer('10 days and nothing')).toBeNull();
    expect(parseSurveyAnswer('')).toBeNull();
    expect(parseSurveyAnswer(`5 ${'x'.repeat(700)}`)).toBeNull();
  });
});
