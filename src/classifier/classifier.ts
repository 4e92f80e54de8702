/**
 * The classifier's interface. Layers (rules now; local model and LLM in later work) each fill what they can,
 * recording their source. Pure: no I/O except the optional LLM layer.
 */
import type { Classification, InboundMessage, Product } from '../contracts/index.js';

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
