/**
 * The LLM layer on top of an offline classifier: classify offline, then — when the text has content — redact it
 * with `redactPii`, ask the LLM and merge. Whatever goes wrong with the LLM, the offline result is returned as it was.
 */
import { Classification } from '../../contracts/index.js';
import type { Classifier, ClassifyInput } from '../classifier.js';
import { redactPii } from '../pii.js';
import type { LlmClient } from './llm-client.js';
import { mergeLlmResult, type MergeOptions } from './merge.js';

export type WithLlmOptions = MergeOptions;

/** A {@link Classifier} that runs `offline` and lets `llm` fill in what it was unsure of. */
export function withLlm(offline: Classifier, llm: LlmClient, options: WithLlmOptions = {}): Classifier {
  return {
    async classify(input: ClassifyInput): Promise<Classification> {
      const base = await offline.classify(input);
      const text = typeof input.text === 'string' ? input.text : '';
      if (text.trim() === '') return base;
      const redacted = redactPii(text).text;
      const answer = await llm.classify(redacted, base.language);
      if (answer === null) return base;
      try {
        const merged = Classification.safeParse(mergeLlmResult(base, answer, options));
        return merged.success ? merged.data : base;
      } catch {
        return base;
      }
    },
  };
}
