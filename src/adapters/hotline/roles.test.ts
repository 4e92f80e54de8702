/** Role inference from what speakers say, and role labels. */
import { describe, expect, it } from 'vitest';
import { inferRoles, roleFromLabel } from './roles.js';

describe('roleFromLabel', () => {
  it.each([
    ['Agent', 'agent'], ['坐席', 'agent'], ['客服', 'agent'], ['Rep 2', 'agent'], ['CUSTOMER', 'customer'], ['客户', 'customer'],
    ['用户', 'customer'], ['Caller', 'customer'], ['IVR', 'ivr'], ['Mary', undefined], ['spk_0', undefined],
  ])('%s → %s', (label, role) => {
    expect(roleFromLabel(label)).toBe(role);
  });
});

describe('inferRoles', () => {
  it('the one who greets with the bank name is the agent, even when the customer speaks first', () => {
    const roles = inferRoles([
      { rawSpeaker: 'spk_0', text: 'Hello?' },
      { rawSpeaker: 'spk_1', text: '您好，广州农商银行，请问有什么可以帮您' },
      { rawSpeaker: 'spk_0', text: '我的卡被扣了两次钱' },
    ]);
    expect(Object.fromEntries(roles)).toEqual({ spk_0: 'customer', spk_1: 'agent' });
  });

  it('IVR prompts make the prompting speaker the ivr; the asker of questions is the agent', () => {
    const roles = inferRoles([
      { rawSpeaker: '1', text: 'Welcome. For cards, press 1. For loans, press 2.' },
      { rawSpeaker: '2', text: 'Hi.' },
      { rawSpeaker: '3', text: 'Can I have your account number?' },
      { rawSpeaker: '2', text: 'It is 1234.' },
      { rawSpeaker: '3', text: 'And your date of birth?' },
    ]);
    expect(Object.fromEntries(roles)).toEqual({ '1': 'ivr', '2': 'customer', '3': 'agent' });
  });

  it('with no signal at all the first speaker is the agent; a lone speaker stays unknown', () => {
    expect(Object.fromEntries(inferRoles([{ rawSpeaker: 'a', text: 'ok' }, { rawSpeaker: 'b', text: 'ok' }]))).toEqual({ a: 'agent', b: 'customer' });
    expect(Object.fromEntries(inferRoles([{ rawSpeaker: 'a', text: 'ok' }]))).toEqual({ a: 'unknown' });
  });

  it('is deterministic: the same turns give the same roles', () => {
    const turns = [{ rawSpeaker: 'x', text: 'I want to complain' }, { rawSpeaker: 'y', text: 'Sorry about that, let me check.' }];
    expect(inferRoles(turns)).toEqual(inferRoles(turns));
    expect(inferRoles(turns).get('y')).toBe('agent');
  });
});
