/**
 * The answer the LLM must give, as a zod schema in TAXONOMY.md values. It is sent as a strict JSON schema
 * (`zodResponseFormat`) and parsed back with the same schema, so a reply that breaks it is a schema mismatch.
 * Every field is required (strict structured outputs allow no optional keys); string lengths are capped when the
 * answer is merged, not here, because strict mode ignores `maxLength`.
 */
import { z } from 'zod';
import { Flag, Issue, Kind, Product, Sentiment, UrgencyLevel } from '../../contracts/index.js';

function fieldAnswer<T extends z.ZodType>(value: T) {
  return z.object({
    value,
    confidence: z.number().min(0).max(1),
    reason: z.string(),
  });
}

export const LlmFlagAnswer = z.object({
  flag: Flag,
  reason: z.string(),
});
export type LlmFlagAnswer = z.infer<typeof LlmFlagAnswer>;

/** The LLM's classification of one redacted message. */
export const LlmAnswer = z.object({
  kind: fieldAnswer(Kind),
  product: fieldAnswer(Product),
  issue: fieldAnswer(Issue),
  sentiment: fieldAnswer(Sentiment),
  urgency: fieldAnswer(UrgencyLevel),
  flags: z.array(LlmFlagAnswer),
});

/** What {@link LlmAnswer} parses to: the result the merge takes. */
export type LlmResult = z.infer<typeof LlmAnswer>;

/** The name of the response format (it appears in the request as `json_schema.name`). */
export const LLM_RESPONSE_FORMAT_NAME = 'complaint_classification';
