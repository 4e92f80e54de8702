import { describe, expect, it } from 'vitest';
import { classifyWithRules, redactPii } from '../../classifier/index.js';
import { dialogTurn, registeredNote, type DialogAction, type DialogInput } from './dialog-turn.js';
import { readDialogState, type DialogState } from './dialog-state.js';

const AT = new Date('2026-11-30T02:00:00Z');

/** A customer's message as the worker would hand it over: redacted, classified by the real rules. */
function message(raw: string, options: Partial<Pick<DialogInput, 'extracted' | 'capabilities' | 'channelReachable'>> = {}, index = 0): DialogInput {
  const redaction = redactPii(raw);
  return {
    messageId: `m-${String(index)}-${raw.length}`,
    text: redaction.text,
    at: new Date(AT.getTime() + index * 60_000),
    classification: classifyWithRules({ text: redaction.text }),
    extracted: { amount: null, incidentDate: null, contact: null, ...options.extracted },
    sensitive: redaction.containsFullCardNumber || redaction.containsSecret,
    capabilities: options.capabilities ?? { quickReplies: true },
    channelReachable: options.channelReachable ?? true,
  };
}

function replies(actions: readonly DialogAction[]): string[] {
  return actions.flatMap((action) => (action.type === 'reply' ? [action.text] : []));
}

function types(actions: readonly DialogAction[]): string[] {
  return actions.map((action) => action.type);
}

/** Plays a conversation; returns every turn. */
function play(inputs: DialogInput[]): { state: DialogState; actions: DialogAction[] }[] {
  const turns: { state: DialogState; actions: DialogAction[] }[] = [];
  let state: DialogState | null = null;
  for (const input of inputs) {
    const turn = dialogTurn(state, input);
    turns.push(turn);
    state = turn.state;
  }
  return turns;
}

describe('the intake dialog', () => {
  it('greets a hello, asks what happened, then only what is missing, one question at a time, and confirms', () => {
    const turns = play([
      message('hi', {}, 0),
      message('I was charged twice for the same purchase on my debit card', {}, 1),
      message('£45', { extracted: { amount: { value: 45, currency: 'GBP' }, incidentDate: null, contact: null } }, 2),
      message('date:yesterday', { extracted: { amount: null, incidentDate: '2026-11-29', contact: null } }, 3),
      message('outcome:refund', {}, 4),
      message('yes', {}, 5),
    ]);
    expect(replies(turns[0]?.actions ?? [])[0]).toMatch(/tell me what happened/i);
    // Product was clear from the words (debit card): not asked. The amount was missing for a transaction problem.
    expect(replies(turns[1]?.actions ?? [])).toEqual([expect.stringMatching(/how much money/i)]);
    expect(replies(turns[2]?.actions ?? [])).toEqual([expect.stringMatching(/when did this happen/i)]);
    expect(replies(turns[3]?.actions ?? [])).toEqual([expect.stringMatching(/what would you like us to do/i)]);
    const confirm = replies(turns[4]?.actions ?? [])[0] ?? '';
    expect(confirm).toContain('charged twice');
    expect(confirm).toContain('45 GBP');
    expect(confirm).toContain('2026-11-29');
    expect(confirm).toContain('A refund');
    expect(types(turns[5]?.actions ?? [])).toEqual(['register']);
    const final = turns[5]?.state;
    expect(final?.phase).toBe('registered');
    expect(final?.fields).toMatchObject({ product: 'cards', amount: { value: 45, currency: 'GBP' }, incidentDate: '2026-11-29', desiredOutcome: 'A refund' });
    // Every question is asked once.
    expect(new Set(final?.asked).size).toBe(final?.asked.length);
  });

  it('speaks Chinese to a Chinese customer and offers products as quick replies only where the channel has them', () => {
    const [first] = play([message('你好，我想投诉', { capabilities: { quickReplies: false } })]);
    expect(first?.state.language).toBe('zh');
    const action = first?.actions.find((candidate) => candidate.type === 'reply');
    expect(action?.type === 'reply' && action.quickReplies).toEqual([]);
    expect(replies(first?.actions ?? []).join('')).toMatch(/[\u4e00-\u9fff]/);
    const [withButtons] = play([message('你好，我想投诉一件事情，很不满意', { capabilities: { quickReplies: true } })]);
    const buttons = withButtons?.actions.find((candidate) => candidate.type === 'reply');
    expect(buttons?.type === 'reply' && buttons.quickReplies.map((option) => option.value)).toContain('product:cards');
  });

  it('keeps answering in Chinese when a Chinese customer taps a button (its value is not language)', () => {
    const turns = play([message('信用卡被多扣了两笔年费，每笔300元', {}, 0), message('date:yesterday', {}, 1), message('outcome:refund', {}, 2)]);
    for (const turn of turns) expect(turn.state.language).toBe('zh');
    expect(replies(turns[2]?.actions ?? []).join('\n')).toMatch(/[\u4e00-\u9fff]/);
  });

  it('hands off at once on "转人工", registering what was said', () => {
    const turns = play([message('信用卡被多扣了两笔年费', {}, 0), message('转人工', {}, 1)]);
    expect(types(turns[1]?.actions ?? [])).toEqual(['register', 'handoff', 'reply']);
    expect(turns[1]?.state.phase).toBe('handed_off');
    const [fresh] = play([message('agent please')]);
    expect(types(fresh?.actions ?? [])).toEqual(['register', 'handoff', 'reply']);
  });

  it('gives a self-harm message the crisis line and a human, never a question', () => {
    const [turn] = play([message("I can't take this anymore, I want to end my life. The bank took all my savings.")]);
    expect(types(turn?.actions ?? [])).toEqual(['reply', 'register', 'handoff']);
    expect(replies(turn?.actions ?? [])[0]).toMatch(/116 123|Samaritans/);
    expect(turn?.actions).toContainEqual({ type: 'handoff', reason: 'self_harm' });
    expect(replies(turn?.actions ?? []).join(' ')).not.toMatch(/\?$/m);
  });

  it('registers and hands off a fraud in progress without questions', () => {
    const [turn] = play([message('Someone is on the phone with me right now asking me to read out the code, money is leaving my account now')]);
    expect(turn?.actions).toContainEqual({ type: 'register', reason: 'urgent' });
    expect(turn?.actions).toContainEqual({ type: 'handoff', reason: 'critical' });
  });

  it('warns when a full card number is sent, keeps it out of the state, and goes on', () => {
    const [turn] = play([message('My card 4539 1488 0343 6467 was charged twice for £45 yesterday')]);
    expect(replies(turn?.actions ?? [])[0]).toMatch(/never send a full card number/i);
    expect(JSON.stringify(turn?.state)).not.toContain('4539 1488 0343 6467');
    expect(JSON.stringify(turn?.state)).toContain('••••6467');
  });

  it('answers status questions through the worker, before and after registration', () => {
    const [before] = play([message('status CMP-2026-000123')]);
    expect(before?.actions).toEqual([{ type: 'status', reference: 'CMP-2026-000123' }]);
    const [query] = play([message('进度查询')]);
    expect(query?.actions).toEqual([{ type: 'status', reference: null }]);
  });

  it('after registration adds what the customer writes to the complaint', () => {
    const registered: DialogState = {
      ...(play([message('I was charged a £25 fee for nothing on my current account', { extracted: { amount: { value: 25, currency: 'GBP' }, incidentDate: '2026-11-28', contact: null } })])[0]?.state as DialogState),
      phase: 'registered',
      complaintReference: 'CMP-2026-000007',
    };
    const turn = dialogTurn(registered, message('Also they charged it again today', {}, 3));
    expect(types(turn.actions)).toEqual(['append', 'reply']);
    expect(replies(turn.actions)[0]).toContain('CMP-2026-000007');
    expect(registeredNote('en', 'CMP-2026-000007')).toContain('status CMP-2026-000007');
    expect(registeredNote('zh', 'CMP-2026-000007', true)).not.toContain('CMP-2026-000007');
  });

  it('takes a correction to the summary and confirms again', () => {
    let state: DialogState | null = null;
    for (const text of ['My mortgage payment was taken twice this month, 1200 pounds', 'skip', 'skip', 'outcome:refund']) {
      state = dialogTurn(state, message(text, { extracted: { amount: text.includes('1200') ? { value: 1200, currency: 'GBP' } : null, incidentDate: null, contact: null } })).state;
    }
    expect(state?.phase).toBe('confirming');
    const no = dialogTurn(state, message('no'));
    expect(no.state.pending).toBe('correction');
    const corrected = dialogTurn(no.state, message('It was taken on 1 November and again on 3 November'));
    expect(corrected.state.phase).toBe('confirming');
    expect(replies(corrected.actions)[0]).toContain('3 November');
  });

  it('asks a browser session for a contact, not a channel that can reach the customer', () => {
    const inputs = (reachable: boolean) => ['My transfer to my landlord has not arrived', 'skip', 'skip', 'outcome:explanation'].map((text, index) => message(text, { channelReachable: reachable }, index));
    const asked = (reachable: boolean) => play(inputs(reachable)).at(-1)?.state.asked ?? [];
    expect(asked(false)).toContain('contact');
    expect(asked(true)).not.toContain('contact');
  });

  it('never asks more than four questions', () => {
    let state: DialogState | null = null;
    let asked = 0;
    for (let index = 0; index < 10 && state?.phase !== 'confirming'; index += 1) {
      const turn = dialogTurn(state, message(index === 0 ? 'I have a problem with the bank and I am not happy' : 'hmm', { channelReachable: false }, index));
      asked += turn.actions.filter((action) => action.type === 'reply' && /\?|？/.test(action.text)).length;
      state = turn.state;
    }
    expect(state?.phase).toBe('confirming');
    expect(asked).toBeLessThanOrEqual(5);
  });

  it('starts afresh from a stored state that does not parse', () => {
    expect(readDialogState({ version: 99 })).toBeNull();
    expect(readDialogState('garbage')).toBeNull();
    const turn = dialogTurn(readDialogState(null), message('hello'));
    expect(turn.state.phase).toBe('collecting');
  });
});
