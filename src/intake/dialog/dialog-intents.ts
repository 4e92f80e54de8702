/**
 * What a customer's message asks of the dialog beyond describing the complaint, in English and Chinese: a human
 * ("agent", "人工", "转人工"), the status of a complaint ("status CMP-…", "进度查询"), yes / no to the summary,
 * skipping a question, a bare greeting. Each recogniser is a bounded regular expression over normalised text.
 */
const REFERENCE = /\bCMP-\d{4}-\d{6,}\b/i;

const HANDOFF = /(?:\b(?:agent|human|real person|a person|operator|advisor|adviser|representative|speak to (?:someone|a person))\b|转人工|人工客服|人工服务|找人工|^\s*人工\s*$|真人|客服人员)/i;
const STATUS = /(?:\b(?:status|progress|update on|where is my complaint|track(?:ing)?)\b|进度|查询投诉|投诉(?:处理)?到哪|处理得怎么样)/i;
const YES = /^\s*(?:y|yes|yeah|yep|correct|right|ok(?:ay)?|confirm(?:ed)?|that'?s (?:right|correct)|是|是的|对|对的|没错|正确|确认|好的?|可以)\s*[.!。！]*\s*$/i;
const NO = /^\s*(?:n|no|nope|not (?:quite|right|correct)|wrong|change|不是|不对|错了|修改|不正确)\s*[.!。！]*\s*$/i;
const SKIP = /^\s*(?:skip|pass|don'?t know|not sure|no idea|n\/a|none|跳过|不知道|不清楚|没有|略过)\s*[.!。！]*\s*$/i;
const GREETING = /^\s*(?:hi|hello|hey|good (?:morning|afternoon|evening)|你好|您好|在吗|有人吗|哈喽|嗨)\s*[,.!?，。！？~]*\s*$/i;

export function wantsHuman(text: string): boolean {
  return HANDOFF.test(text);
}

/** A status question, with the reference it names (if any). */
export function statusQuery(text: string): { reference: string | null } | null {
  const reference = REFERENCE.exec(text)?.[0].toUpperCase() ?? null;
  if (!STATUS.test(text)) return null;
  return { reference };
}

export function mentionedReference(text: string): string | null {
  return REFERENCE.exec(text)?.[0].toUpperCase() ?? null;
}

export function isYes(text: string): boolean {
  return YES.test(text);
}

export function isNo(text: string): boolean {
  return NO.test(text);
}

export function isSkip(text: string): boolean {
  return SKIP.test(text);
}

export function isGreetingOnly(text: string): boolean {
  return text.trim() === '' || GREETING.test(text);
}
