/**
 * Urgency from flags (TAXONOMY.md): the highest floor among the flags set. self_harm → critical; fraud → high,
 * critical when in progress; funds_inaccessible and regulator_referred → high; vulnerable_customer → high with
 * financial harm, otherwise medium; the other flags → medium. For an inquiry, compliment or other message only
 * the critical and high floors apply. The score orders cases within a level: rank × 25 + a small strength.
 */
import { urgencyRank, type FlagReason, type Kind, type Urgency, type UrgencyLevel } from '../contracts/index.js';

export interface UrgencySignals {
  /** A fraud entry said the fraud is happening now (money leaving, scammer on the line, takeover). */
  fraudInProgress: boolean;
  /** Words (or other harm flags) showing the customer is losing money; empty when none. */
  financialHarm: readonly string[];
}

const REASON_LIMIT = 300;
const STRENGTH_PER_TOP_FLAG = 6;
const STRENGTH_PER_OTHER_FLAG = 2;
const MAXIMUM_STRENGTH = 24;

/** The urgency floor one flag sets, given the signals around it. */
export function flagFloor(flag: FlagReason['flag'], signals: UrgencySignals): UrgencyLevel {
  switch (flag) {
    case 'self_harm':
      return 'critical';
    case 'fraud':
      return signals.fraudInProgress ? 'critical' : 'high';
    case 'funds_inaccessible':
    case 'regulator_referred':
      return 'high';
    case 'vulnerable_customer':
      return signals.financialHarm.length > 0 ? 'high' : 'medium';
    case 'regulator_threat':
    case 'media_threat':
    case 'legal_threat':
    case 'repeat_complaint':
    case 'large_amount':
    case 'staff_misconduct':
      return 'medium';
  }
}

/** Whether a floor applies to a message of this kind (medium floors only to complaints). */
function applies(floor: UrgencyLevel, kind: Kind): boolean {
  return kind === 'complaint' || urgencyRank(floor) >= urgencyRank('high');
}

function quote(words: readonly string[]): string {
  return words.length === 0 ? 'structural' : words.map((word) => `'${word}'`).join(', ');
}

function describe(reason: FlagReason, floor: UrgencyLevel, signals: UrgencySignals, kind: Kind): string {
  const details: string[] = [];
  if (reason.flag === 'fraud' && signals.fraudInProgress) details.push('in progress');
  if (reason.flag === 'vulnerable_customer' && signals.financialHarm.length > 0) {
    details.push(`with financial harm: ${quote(signals.financialHarm.slice(0, 3))}`);
  }
  const note = details.length > 0 ? ` ${details.join('; ')}` : '';
  const outcome = applies(floor, kind) ? floor : `${floor}, not applied to ${kind === 'inquiry' ? 'an inquiry' : `a ${kind} message`}`;
  const text = `${reason.flag}${note} (rule ${reason.rule}: ${quote(reason.matched)}) → ${outcome}`;
  return text.length > REASON_LIMIT ? `${text.slice(0, REASON_LIMIT - 1)}…` : text;
}

/** Urgency level, score and human-readable reasons for a set of flags on a message of `kind`. */
export function decideUrgency(flags: readonly FlagReason[], signals: UrgencySignals, kind: Kind): Urgency {
  const floors = flags.map((reason) => flagFloor(reason.flag, signals));
  let level: UrgencyLevel = 'low';
  for (const floor of floors) {
    if (applies(floor, kind) && urgencyRank(floor) > urgencyRank(level)) level = floor;
  }
  const atTop = floors.filter((floor) => applies(floor, kind) && floor === level).length;
  const strength = Math.min(MAXIMUM_STRENGTH, atTop * STRENGTH_PER_TOP_FLAG + (flags.length - atTop) * STRENGTH_PER_OTHER_FLAG);
  const reasons = flags
    .map((reason, index) => ({ reason, floor: floors[index] ?? 'low' }))
    .sort((left, right) => urgencyRank(right.floor) - urgencyRank(left.floor))
    .map(({ reason, floor }) => describe(reason, floor, signals, kind));
  return { level, score: Math.min(100, urgencyRank(level) * 25 + strength), reasons: reasons.slice(0, 50) };
}
