/**
 * The classifier's interface. Layers (rules now; local model and LLM in later work) each fill what they can,
 * recording their source. Pure: no I/O except the optional LLM layer.
 */
import type { Classification, InboundMessage, Product } from '../contracts/index.js';

/**
 * The most characters of a text the classifier reads: its first 100,000 (≈ 100 minutes of a caller's own words). The
 * rule layer's working memory grows with the text (≈ 20 bytes of heap per character), and a long call's customer
 * turns must not exhaust a capped import process; the record keeps the whole description.
 */
export const MAX_CLASSIFIED_CHARS = 100_000;

/** The part of `input.text` the classifier reads (see {@link MAX_CLASSIFIED_CHARS}); '' for a non-string. */
export function classifiedText(input: ClassifyInput): string {
  const text = typeof input.text === 'string' ? input.text : '';
  return text.length > MAX_CLASSIFIED_CHARS ? text.slice(0, MAX_CLASSIFIED_CHARS) : text;
}

export interface ClassifyInput {
  /** The message text (already PII-redacted when stored; the classifier also redacts what it sends out). */
  text: string;
  /** A locale hint from the channel (`zh-CN`, `en-GB`), if any. */
  locale?: string;
  /** Product given as a structured field by the channel, if any (it wins over text rules). */
  productHint?: Product;
  /** Context from the store: an open complaint from the same customer makes this a repeat. */
  customerHasOpenComplaint?: boolean;
}

export interface Classifier {
  classify(input: ClassifyInput): Promise<Classification>;
}

export type ChannelFields = InboundMessage['fields'];
