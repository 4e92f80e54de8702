/**
 * Speaker roles. Two ways in:
 *
 * 1. A label the transcript writes (`Agent:`, `坐席：`, `CUSTOMER`, `ivr`) maps straight to a role ({@link roleFromLabel}).
 * 2. When a format names speakers only by number or by personal name (`spk_0`, `ch_1`, speakerLabel "2", `<v Mary>`),
 *    {@link inferRoles} decides, deterministically, from what each speaker says:
 *    - **ivr**: a speaker most of whose turns are menu prompts ("press 1", "请按", "para español").
 *    - **agent**: the remaining speaker with the highest agent score. Points for greeting with the bank's or the
 *      centre's name or "thank you for calling" / "您好，XX银行" / "请问有什么可以帮您" (3 each), for service
 *      phrases ("how can I help", "certainly", "sorry about that", "稍等", "工号") and for asking questions
 *      (1 each, a question counted at most once per turn); points off for customer phrases ("I've been on hold",
 *      "my card", "I'd like to", "我的卡", "投诉") (1 each). Ties go to the speaker heard first — call centres
 *      greet first, and AWS documents ch_0 as the agent by convention.
 *    - **customer**: with two speakers, the other one; with more, the one with the lowest agent score (ties: the
 *      most text), and the others `unknown` — unless they score as agents themselves (a transferred call).
 *    - A lone speaker is `agent` or `customer` only when the score says so clearly, otherwise `unknown`.
 * Every pattern is a plain alternation over one turn's text: linear in the transcript's length.
 */
import type { SpeakerRole } from '../../contracts/transcript.js';

const LABEL_ROLES: ReadonlyMap<string, SpeakerRole> = new Map<string, SpeakerRole>([
  ...['agent', 'rep', 'representative', 'operator', 'advisor', 'staff', 'internal', '坐席', '客服', '座席', '话务员', '人工'].map(
    (label): [string, SpeakerRole] => [label, 'agent'],
  ),
  ...['customer', 'caller', 'client', 'user', 'external', '客户', '用户', '来电人', '顾客'].map(
    (label): [string, SpeakerRole] => [label, 'customer'],
  ),
  ...['ivr', 'system', 'bot', '系统', '语音导航'].map((label): [string, SpeakerRole] => [label, 'ivr']),
]);

/** The role a written label stands for (`Agent`, `坐席`, `CUSTOMER`, `Rep 2`), or undefined when it names nobody's role. */
export function roleFromLabel(label: string): SpeakerRole | undefined {
  const normalised = label.trim().toLowerCase().replace(/[\s_-]*\d+$/, '');
  return LABEL_ROLES.get(normalised);
}

const IVR_PROMPT = /\bpress (?:\d|one|two|three|four|five|six|seven|eight|nine|zero|star|pound)\b|\bpara español\b|\byour call (?:is important|may be recorded)\b|\bplease hold\b|\bmain menu\b|请按|按\s*\d\s*键|请输入|请拨|欢迎致电|转人工|正在为您转接/i;
const AGENT_GREETING = /thank(?:s| you) for (?:calling|contacting|holding|waiting)|\bwelcome to\b|\b(?:bank|card services|customer (?:service|care)|support)[^.?!]{0,30}(?:speaking|this is)\b|\bthis is [a-z]+ (?:from|at|with)\b|\bmy name is [a-z]+[,.]? (?:how|and)\b|how (?:can|may) i (?:help|assist)|what can i do for you|您好[，,]?\s*\S{0,12}银行|请问有什么(?:可以)?(?:帮|为)您|很高兴为您服务|有什么可以帮您/i;
const AGENT_PHRASE = /\bcertainly\b|\bsorry (?:about|for) (?:that|the|your)\b|\bi apologi[sz]e\b|\bmay i (?:have|ask|confirm)\b|\bcan i (?:have|get) your\b|\bwould you like\b|\bfor (?:security|verification) purposes\b|\bis there anything else\b|\blet me (?:check|look)\b|\bone moment\b|稍等|工号|请问您|帮您(?:查|核实|登记|反映)|不好意思|抱歉|为您|还有(?:什么|其他)/i;
const CUSTOMER_PHRASE = /\bi(?:'ve| have) been (?:on hold|waiting|charged)\b|\bmy (?:card|account|money|balance|loan|mortgage|statement)\b|\bi(?:'d| would) like to\b|\bi want (?:to|my)\b|\bi(?:'m| am) calling (?:about|because|to)\b|\bcomplain|\brefund\b|我的(?:卡|账户|钱)|我想(?:问|投诉|查)|投诉|怎么办|退钱|被扣/i;
const QUESTION = /[?？]|吗[。.]?$|呢[。.]?$/;

export interface SpeakerSample {
  rawSpeaker: string;
  text: string;
}

interface Tally {
  rawSpeaker: string;
  order: number;
  turns: number;
  ivrTurns: number;
  score: number;
  textLength: number;
}

/** Roles for speakers known only by number or name, from their turns in time order; see the module header. */
export function inferRoles(turns: readonly SpeakerSample[]): Map<string, SpeakerRole> {
  const tallies = new Map<string, Tally>();
  for (const turn of turns) {
    let tally = tallies.get(turn.rawSpeaker);
    if (!tally) {
      tally = { rawSpeaker: turn.rawSpeaker, order: tallies.size, turns: 0, ivrTurns: 0, score: 0, textLength: 0 };
      tallies.set(turn.rawSpeaker, tally);
    }
    tally.turns += 1;
    tally.textLength += turn.text.length;
    if (IVR_PROMPT.test(turn.text)) tally.ivrTurns += 1;
    if (AGENT_GREETING.test(turn.text)) tally.score += 3;
    if (AGENT_PHRASE.test(turn.text)) tally.score += 1;
    if (QUESTION.test(turn.text)) tally.score += 1;
    if (CUSTOMER_PHRASE.test(turn.text)) tally.score -= 1;
  }

  const roles = new Map<string, SpeakerRole>();
  const people: Tally[] = [];
  for (const tally of tallies.values()) {
    if (tally.ivrTurns * 2 > tally.turns) roles.set(tally.rawSpeaker, 'ivr');
    else people.push(tally);
  }
  if (people.length === 0) return roles;
  const [only] = people;
  if (people.length === 1 && only) {
    roles.set(only.rawSpeaker, only.score >= 3 ? 'agent' : only.score < 0 ? 'customer' : 'unknown');
    return roles;
  }

  const byAgentScore = [...people].sort((a, b) => b.score - a.score || a.order - b.order);
  const agent = byAgentScore[0];
  if (!agent) return roles;
  roles.set(agent.rawSpeaker, 'agent');
  const rest = byAgentScore.slice(1);
  const customer = [...rest].sort((a, b) => a.score - b.score || b.textLength - a.textLength || a.order - b.order)[0];
  for (const tally of rest) {
    if (tally === customer) roles.set(tally.rawSpeaker, 'customer');
    else roles.set(tally.rawSpeaker, tally.score >= 3 ? 'agent' : 'unknown');
  }
  return roles;
}
