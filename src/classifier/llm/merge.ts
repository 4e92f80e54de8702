/**
 * Merging the LLM's answer into the offline classification (DESIGN.md §8, issue #3): flags are the union (flags only
 * the LLM saw are recorded with source `llm` and its reason); urgency is the maximum of the offline level, the LLM's
 * level and the TAXONOMY floors of the flags it added, so the rule floors are never lowered; kind, product, issue and
 * sentiment take the LLM's value only where the offline layer decided nothing or was unsure, and never over a value
 * the channel or staff gave.
 */
import {
  urgencyRank,
  type Classification,
  type DecisionSource,
  type FlagReason,
  type Kind,
  type Urgency,
  type UrgencyLevel,
} from '../../contracts/index.js';
import { flagFloor } from '../urgency.js';
import type { LlmResult } from './llm-schema.js';

/** Offline decisions below this confidence may be replaced by the LLM's (and make a record need review). */
export const DEFAULT_CONFIDENCE_THRESHOLD = 0.6;

export interface MergeOptions {
  confidenceThreshold?: number;
}

const REASON_LIMIT = 500;
const URGENCY_REASON_LIMIT = 300;
const MATCHED_LIMIT = 200;
const URGENCY_REASONS_LIMIT = 50;
const PROTECTED_SOURCES: ReadonlySet<DecisionSource> = new Set(['channel', 'staff']);

interface Decision<T> {
  value: T;
  source: DecisionSource;
  confidence: number;
  reason: string;
}

function takeIfUnsure<T>(offline: Decision<T>, llm: { value: T; confidence: number; reason: string }, threshold: number): Decision<T> {
  if (PROTECTED_SOURCES.has(offline.source)) return offline;
  if (offline.source !== 'default' && offline.confidence >= threshold) return offline;
  return { value: llm.value, source: 'llm', confidence: llm.confidence, reason: `llm: ${llm.reason}`.slice(0, REASON_LIMIT) };
}

/** A floor applies to any kind when high or critical; medium floors only to complaints (TAXONOMY.md). */
function floorApplies(floor: UrgencyLevel, kind: Kind): boolean {
  return kind === 'complaint' || urgencyRank(floor) >= urgencyRank('high');
}

function mergeUrgency(offline: Urgency, llm: LlmResult, addedFlags: readonly FlagReason[], kind: Kind): Urgency {
  const reasons = [...offline.reasons, `llm → ${llm.urgency.value} (${llm.urgency.reason})`.slice(0, URGENCY_REASON_LIMIT)];
  let level = urgencyRank(llm.urgency.value) > urgencyRank(offline.level) ? llm.urgency.value : offline.level;
  for (const added of addedFlags) {
    // The LLM gives no in-progress or financial-harm signal, so each added flag takes its lower floor.
    const floor = flagFloor(added.flag, { fraudInProgress: false, financialHarm: [] });
    if (!floorApplies(floor, kind)) continue;
    reasons.push(`${added.flag} (llm) → ${floor}`);
    if (urgencyRank(floor) > urgencyRank(level)) level = floor;
  }
  const score = level === offline.level ? offline.score : Math.max(offline.score, urgencyRank(level) * 25);
  return { level, score: Math.min(100, score), reasons: reasons.slice(0, URGENCY_REASONS_LIMIT) };
}

function isUnsure(decision: Decision<unknown>, threshold: number): boolean {
  return decision.source !== 'default' && decision.confidence < threshold;
}

/** The offline classification with the LLM's answer merged in (pure; the offline value is not changed). */
export function mergeLlmResult(offline: Classification, llm: LlmResult, options: MergeOptions = {}): Classification {
  const threshold = options.confidenceThreshold ?? DEFAULT_CONFIDENCE_THRESHOLD;
  const kind = takeIfUnsure(offline.kind, llm.kind, threshold);
  const product = takeIfUnsure(offline.product, llm.product, threshold);
  const issue = takeIfUnsure(offline.issue, llm.issue, threshold);
  const sentiment = takeIfUnsure(offline.sentiment, llm.sentiment, threshold);

  const present = new Set(offline.flags.map((reason) => reason.flag));
  const addedFlags: FlagReason[] = [];
  for (const answer of llm.flags) {
    if (present.has(answer.flag)) continue;
    present.add(answer.flag);
    addedFlags.push({ flag: answer.flag, source: 'llm', rule: 'llm', matched: [answer.reason.slice(0, MATCHED_LIMIT)] });
  }

  const needsReview =
    kind.source === 'default' ||
    product.source === 'default' ||
    [kind, product, issue, sentiment].some((decision) => isUnsure(decision, threshold));

  return {
    language: offline.language,
    kind,
    product,
    issue,
    sentiment,
    flags: [...offline.flags, ...addedFlags],
    urgency: mergeUrgency(offline.urgency, llm, addedFlags, kind.value),
    needsReview,
  };
}
