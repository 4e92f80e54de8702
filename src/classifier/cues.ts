/**
 * Context cues that change what a lexicon match means, kept as data beside the lexicons: hypotheticals and
 * general questions ("If I got scammed…?", "怎么举报诈骗？"), blocked or near-miss attempts ("nearly fell for",
 * "差点", "拦了下来"), resolved cases, local negation (没被骗, 涉嫌电诈), and words of financial harm.
 * English cues are regexes over normalised lower-case text; Chinese cues are substrings. Nothing here is global.
 */

export interface CueList {
  readonly en: readonly RegExp[];
  readonly zh: readonly string[];
}

/** The sentence talks about a case that has not happened. */
export const HYPOTHETICAL: CueList = {
  en: [/\b(?:if|in case|what if|suppose|supposing|hypothetically|whether)\b/],
  zh: ['如果', '万一', '假如', '要是', '以防万一', '假设', '如遇'],
};

/** Words that make a question a general one (how-to, is-this-real), as opposed to "why did you…?". */
export const GENERAL_QUESTION: CueList = {
  en: [
    /\b(?:how (?:do|can|does|would|should|to)|what (?:should|do|does|happens|if|is|are)|is (?:this|it|that|there)|are (?:these|they|there)|can i|could i|would i|should i|do you|do i|does (?:the|your|it|this)|will i)\b/,
  ],
  zh: ['请问', '怎么', '如何', '怎样', '是不是', '是否', '是你们', '是真的', '一般', '需要什么', '需要哪些', '吗', '帮朋友问', '想问', '咨询'],
};

/** The attempt was stopped or only nearly happened: the customer reports it, it did not happen to them. */
export const BLOCKED_ATTEMPT: CueList = {
  en: [
    /\b(?:nearly|almost|stopped (?:the|it|him|her|them|a)|didn'?t fall for|did not fall for|blocked the (?:transfer|payment|transaction)|declined the (?:transfer|payment)|prevented|(?:someone|somebody) tried to|attempted)\b/,
  ],
  zh: ['差点', '差一点', '拦了下来', '拦下', '拦截', '及时拦', '没被骗', '没有被骗', '没上当', '没有上当', '没点', '没有点', '未遂', '没转', '没有转'],
};

/** Nothing happened to this customer at all (anywhere in the text). */
export const NOTHING_HAPPENED: CueList = {
  en: [/\bnothing(?:'s| has)? happened\b/, /\bhasn'?t happened to me\b/],
  zh: ['我没被骗', '我没有被骗', '没受骗'],
};

/** The case is over and the customer is satisfied with how it went. */
export const RESOLVED: CueList = {
  en: [/\b(?:got (?:my|the) money back|refunded (?:me )?(?:in full|quickly|straight away|within))\b/],
  zh: ['处理得很及时', '已经退回', '退回来了', '已退回', '已经解决', '已解决', '已经追回', '追回来了'],
};

/** Directly before a Chinese term, these negate it (没被骗) or make it about someone else (涉嫌电诈, 防范诈骗). */
export const CHINESE_NEGATION_PREFIXES: readonly string[] = [
  '没', '没有', '未', '无', '冇', '唔', '不是', '不想', '不会', '不用', '不打算', '不需要', '涉嫌', '防', '防范', '反', '别', '不要',
];

/** The customer is losing money now: with vulnerability this raises urgency to high. */
export const FINANCIAL_HARM: CueList = {
  en: [
    /\b(?:charged|charging|took|taken|debited|overdrawn|bounced|penalty|late fee|default interest|out of pocket|lost everything)\b/,
    /\blost (?:all |all of )?(?:my |our )?(?:money|savings|life savings|pension|deposit)\b/,
    /\bdown \d{1,3}(?:\.\d{1,2})?%/,
  ],
  zh: ['扣了', '扣款', '收了我', '罚息', '违约金', '滞纳金', '亏了', '亏损', '损失', '退一半', '被扣', '多扣', '蚀咗', '赔了'],
};

/** Whether the sentence contains any cue of `list` (English regex or Chinese substring); the first one found. */
export function findCue(sentence: string, list: CueList): string | undefined {
  for (const pattern of list.en) {
    const match = pattern.exec(sentence);
    if (match !== null) return match[0].trim();
  }
  return list.zh.find((term) => sentence.includes(term));
}

/** A question: it carries a question mark, or ends in a Chinese question particle. */
export function isQuestion(sentence: string): boolean {
  return sentence.includes('?') || /[吗呢][\s。]{0,2}$/.test(sentence);
}
