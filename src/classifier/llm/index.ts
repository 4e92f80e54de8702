/** The optional LLM layer (DESIGN.md §8): what main.ts needs to wire it (named exports only). */
export { createLlmClassifier, type LlmClient, type LlmClientConfig } from './llm-client.js';
export { withLlm, type WithLlmOptions } from './llm-classifier.js';
export { mergeLlmResult, DEFAULT_CONFIDENCE_THRESHOLD, type MergeOptions } from './merge.js';
export { LLM_OUTCOMES, type LlmOutcome } from './llm-outcome.js';
export { LlmAnswer, type LlmResult } from './llm-schema.js';
export type { CircuitState } from './circuit-breaker.js';
