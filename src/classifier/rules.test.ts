/** Tests for rules.ts: the hard cases of TAXONOMY.md per flag, in EN, simplified and traditional Chinese. */
import { describe, expect, it } from 'vitest';
import type { Flag, Kind } from '../contracts/index.js';
import { detectLanguage } from './language.js';
import { normalizeForMatching } from './normalize.js';
import { applyRules, type RuleContext } from './rules.js';

function rules(text: string, context: RuleContext = {}) {
  return applyRules(normalizeForMatching(text), detectLanguage(text), context);
}

function flagsOf(text: string, context: RuleContext = {}): Flag[] {
  return rules(text, context).flags.map((reason) => reason.flag);
}

function levelOf(text: string, kind?: Kind): string {
  return rules(text, kind === undefined ? {} : { kind }).urgency.level;
}

describe('self_harm', () => {
  it.each([
    'honestly want to end my life. just stop calling',
    'I want to die',
    "I don't want to live anymore",
    "I can't see a way out anymore",
    "i can't go on like this. if something happens to me it's on you",
    "sometimes I think everyone would be better off if I wasn't here anymore",
    "I honestly don't see the point anymore",
    'I’m thinking about suicide',
    '我不想活了',
    '我真的活不下去了',
    '我还活着有什么意思一了百了算了',
    '再逼我，我就从楼上跳下去，死给你们看',
    '我真係唔想活落去',
    '我不想活了，你們凍結我的戶口',
  ])('is set, critical, by %s', (text) => {
    const outcome = rules(text);
    expect(outcome.flags.map((reason) => reason.flag)).toContain('self_harm');
    expect(outcome.urgency.level).toBe('critical');
  });

  it.each([
    'this fee is killing me lol',
    "I'm dying to know when my card arrives",
    'I could die of embarrassment, my card got declined',
    "you're killing it with the new app",
    '气死我了！！排了两个小时的队',
    '笑死，你们APP更新完连登录都登录不了',
    '急死了，钱还没到账',
    '烦死了，天天打电话',
    '丢死人了，请客户吃饭刷不了卡',
    '跳楼价大甩卖',
    '想死你们了，谢谢客服',
    'veterans commit suicide because of banks like you',
  ])('is not set by the idiom %s', (text) => {
    expect(flagsOf(text)).not.toContain('self_harm');
  });
});

describe('fraud', () => {
  it('is high when it already happened, and names the rule and words', () => {
    const outcome = rules('2 charges on my card i didnt make, $89.99 + $214.00. card is in my hand');
    const fraud = outcome.flags.find((reason) => reason.flag === 'fraud');
    expect(fraud).toMatchObject({ source: 'rule' });
    expect(fraud?.matched.length).toBeGreaterThan(0);
    expect(outcome.urgency.level).toBe('high');
  });

  it.each([
    'Money is leaving my account as we speak!!! I didn’t make any of these payments',
    'Someone is on the phone with me RIGHT NOW saying he is from your bank, asking me to read out the code',
    'My online banking has been taken over, they changed my email 5 mins ago',
    'now transfers going out of my savings, $4,200 gone so far & still going',
    '刚收到验证码短信不是我操作的，卡里的钱正在被转走！！',
    '他说是公安局的，让我把钱转到安全账户，他现在还在电话里让我接着转',
    '有人正在用我的手机银行转账，我根本没有操作',
    '有人在電話上說是你們銀行的客服，讓我把驗證碼念給他，他還在那邊等著',
    'Please help, I think I am being scammed, he wants me to transfer more money',
  ])('is critical when in progress: %s', (text) => {
    const outcome = rules(text);
    expect(outcome.flags.map((reason) => reason.flag)).toContain('fraud');
    expect(outcome.fraudInProgress).toBe(true);
    expect(outcome.urgency.level).toBe('critical');
  });

  it.each([
    'How do I report a scam?',
    'Is this text a scam?',
    'If I got scammed into sending money, would I be covered?',
    'My neighbour nearly fell for a scam last week.',
    'How do I report fraud in general? Nothing has happened to me.',
    'Priya spotted that my gran was being scammed and stopped the transfer. Absolute star.',
    '请问一般遇到诈骗电话应该怎么举报？我没被骗。',
    '如果信用卡被盗刷了，一般要怎么处理？',
    '我没有被盗刷，只是想问问',
    '说我涉嫌电诈，要核查',
    '信用卡盗刷那件事处理得很及时 钱两天就退回来了 谢谢你们',
    '收到一條短信說我賬戶異常要點鏈接，是你們發的嗎？',
  ])('is not set for a question, a hypothetical or a blocked attempt: %s', (text) => {
    expect(flagsOf(text)).not.toContain('fraud');
  });

  it('does not make "as we speak" alone into fraud', () => {
    expect(flagsOf('I am writing this as we speak, my card is on its way')).not.toContain('fraud');
  });

  it('triggers on traditional Chinese too (盜刷 → 盗刷)', () => {
    expect(flagsOf('我的信用卡被盜刷了三千幾蚊')).toContain('fraud');
  });
});

describe('funds_inaccessible', () => {
  it.each([
    'Hello, my account is blocked since 5 days, I can not use any money',
    "My account's been frozen for nine days and I can't touch a penny of it",
    "you've blocked my card for 'unusual activity'",
    '工资卡被冻结了交不起房租',
    '我的卡被风控了只能进不能出',
    '你哋無啦啦凍結咗我個戶口',
    '你们柜台就是不给取',
  ])('is set, high: %s', (text) => {
    expect(flagsOf(text)).toContain('funds_inaccessible');
    expect(levelOf(text)).toBe('high');
  });

  it.each([
    'Please freeze my card now',
    '快帮我冻结账户',
    "Can't log in since you switched to passkeys",
    '请问账户被冻结了一般需要什么材料才能解冻？帮朋友问的。',
    '我的账户没有被冻结',
  ])('is not set for a request to freeze, a log-in problem or a question: %s', (text) => {
    expect(flagsOf(text)).not.toContain('funds_inaccessible');
  });
});

describe('vulnerable_customer', () => {
  it('is high with financial harm and medium without it', () => {
    expect(levelOf("I'm registered blind and you charged me a £12 late fee")).toBe('high');
    expect(levelOf('我老公在做化疗，你们还在按月收罚息')).toBe('high');
    expect(levelOf("My dad is 84 and has never used a smartphone. You closed the branch in his village.")).toBe('medium');
    expect(levelOf('我坐轮椅根本进不去你们网点')).toBe('medium');
  });

  it('does not apply the medium floor to an inquiry', () => {
    const text = 'My dad has dementia and I have lasting power of attorney. How do I register it?';
    expect(flagsOf(text)).toEqual(['vulnerable_customer']);
    expect(levelOf(text, 'inquiry')).toBe('low');
  });

  it('is not set by hardship words that only follow from a frozen account', () => {
    expect(flagsOf('My savings account was suspended and I cannot pay my rent')).toEqual(['funds_inaccessible']);
  });

  it('counts "lost my job" as a life event, not as money lost', () => {
    const outcome = rules('I just lost my job. What hardship options do you have?');
    expect(outcome.flags.map((reason) => reason.flag)).toEqual(['vulnerable_customer']);
    expect(outcome.financialHarm).toEqual([]);
  });
});

describe('regulators, media, legal', () => {
  it('sets regulator_referred (high) for a case forwarded by a regulator, without regulator_threat', () => {
    for (const text of ['The HKMA has passed my complaint to you.', 'This complaint is being submitted through the CFPB.', '金管局已將我的投訴轉交貴行。', '人民银行12363那边已经把我的投诉转给你们了']) {
      expect(flagsOf(text), text).toEqual(['regulator_referred']);
      expect(levelOf(text), text).toBe('high');
    }
  });

  it('needs a named regulator for a referral', () => {
    expect(flagsOf('My branch forwarded my complaint to you')).toEqual([]);
  });

  it('sets regulator_threat, media_threat and legal_threat at medium', () => {
    expect(flagsOf("Refund it or I'm going to AFCA.")).toEqual(['regulator_threat']);
    expect(flagsOf('再不退我要打12378')).toEqual(['regulator_threat']);
    expect(flagsOf('Going on TikTok with this tonight')).toEqual(['media_threat']);
    expect(flagsOf('发小红书曝光你们！')).toEqual(['media_threat']);
    expect(flagsOf("I'm taking you to small claims court")).toEqual(['legal_threat']);
    expect(flagsOf('我已經叫律師發信俾你哋')).toEqual(['legal_threat']);
    expect(levelOf('我已经委托律师了，准备起诉')).toBe('medium');
  });

  it('does not read a payment to a solicitor, power of attorney or a fraud police report as a legal threat', () => {
    expect(flagsOf('I transferred £1,500 to my solicitor on Monday and it has not arrived')).toEqual([]);
    expect(flagsOf('I have lasting power of attorney for my mother')).not.toContain('legal_threat');
    expect(flagsOf('我被骗了9800块，已经去派出所报警了')).toEqual(['fraud']);
  });
});

describe('repeat_complaint', () => {
  it.each(['This is the third time I am complaining about this', '2nd complaint re: debit card not arrived', '我之前投诉过两次了', '已經係第三次打嚟投訴', "I've disputed this twice"])(
    'is set by prior contact: %s',
    (text) => {
      expect(flagsOf(text)).toContain('repeat_complaint');
    },
  );

  it.each(['My card was blocked again', 'Third overdraft fee this week', '又白跑一趟'])('is not set by a recurring problem alone: %s', (text) => {
    expect(flagsOf(text)).not.toContain('repeat_complaint');
  });

  it('is set structurally by an open complaint in the store', () => {
    const reason = rules('My card has not arrived', { customerHasOpenComplaint: true }).flags.find((item) => item.flag === 'repeat_complaint');
    expect(reason).toEqual({ flag: 'repeat_complaint', source: 'rule', rule: 'structural_open_complaint', matched: [] });
  });
});

describe('staff_misconduct and large_amount', () => {
  it('sets staff_misconduct for rude or mis-selling staff', () => {
    expect(flagsOf("The manager shouted at me and called me 'stupid'")).toEqual(['staff_misconduct']);
    expect(flagsOf('你们XX路支行的柜员态度恶劣')).toEqual(['staff_misconduct']);
    expect(flagsOf('理财产品上写的R2风险等级是什么意思？会不会亏本金？')).toEqual([]);
  });

  it('sets large_amount from about US$10,000 at stake, not for limits', () => {
    expect(flagsOf('I transferred £15,000 and it has not arrived')).toEqual(['large_amount']);
    expect(flagsOf('多出来6万元')).toEqual(['large_amount']);
    expect(flagsOf('I was charged £9,000')).toEqual([]);
    expect(flagsOf('Can I get a credit limit of $20,000?')).toEqual([]);
    expect(flagsOf('您有一笔5万元备用金额度待领取')).toEqual([]);
    expect(rules('多出来6万元').flags[0]?.rule).toBe('large_amount_cny');
  });
});

describe('urgency for other kinds', () => {
  it('keeps critical and high floors for an inquiry but drops medium ones', () => {
    expect(levelOf('Someone is on the phone with me right now asking me to read out the code. What should I do?', 'inquiry')).toBe('critical');
    expect(levelOf('I will go to the newspaper about this', 'inquiry')).toBe('low');
    expect(levelOf('I will go to the newspaper about this', 'complaint')).toBe('medium');
  });

  it('is low with no flags', () => {
    const outcome = rules('How do I activate my new debit card?');
    expect(outcome.flags).toEqual([]);
    expect(outcome.urgency).toEqual({ level: 'low', score: 0, reasons: [] });
  });
});
