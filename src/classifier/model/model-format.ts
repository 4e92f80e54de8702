/**
 * The serialised local model (model.json): a softmax regression per field over a shared feature list. Weights are
 * integers, the real weight times `scale`, stored densely per head as `features × classes` (row-major), so the file
 * is a plain JSON object that loads without any native code. The zod schema checks shapes and label values.
 */
import { z } from 'zod';
import { Issue, Kind, Product, Sentiment } from '../../contracts/index.js';

export const MODEL_FORMAT = 'ombuds-local-model';
export const MODEL_FIELDS = ['kind', 'product', 'issue', 'sentiment'] as const;
export type ModelField = (typeof MODEL_FIELDS)[number];

/** The label values each head may predict (TAXONOMY.md). */
export const FIELD_VALUES = {
  kind: Kind.options,
  product: Product.options,
  issue: Issue.options,
  sentiment: Sentiment.options,
} as const;

export interface FieldValueMap {
  kind: Kind;
  product: Product;
  issue: Issue;
  sentiment: Sentiment;
}

/** An array of integers, checked in one plain loop (zod's per-element checks take ~200 ms on 400,000 weights). */
const IntegerArray = z.custom<number[]>(
  (value) => Array.isArray(value) && value.every((item) => Number.isInteger(item)),
  'expected an array of integers',
);

function headSchema<Values extends z.ZodEnum>(values: Values) {
  return z.object({
    classes: z.array(values).min(1),
    bias: IntegerArray,
    weights: IntegerArray,
    trainingRows: z.number().int().min(0),
  });
}

export const LocalModelJson = z
  .object({
    format: z.literal(MODEL_FORMAT),
    version: z.literal(1),
    algorithm: z.literal('softmax-regression'),
    scale: z.number().positive(),
    trainedOn: z.record(z.string(), z.number().int().min(0)),
    features: z.array(z.string().min(1)),
    heads: z.object({
      kind: headSchema(Kind),
      product: headSchema(Product),
      issue: headSchema(Issue),
      sentiment: headSchema(Sentiment),
    }),
  })
  .superRefine((model, context) => {
    for (const field of MODEL_FIELDS) {
      const head = model.heads[field];
      if (head.bias.length !== head.classes.length) {
        context.addIssue({ code: 'custom', path: ['heads', field, 'bias'], message: 'one bias per class' });
      }
      if (head.weights.length !== model.features.length * head.classes.length) {
        context.addIssue({ code: 'custom', path: ['heads', field, 'weights'], message: 'features × classes weights' });
      }
    }
  });
export type LocalModelJson = z.infer<typeof LocalModelJson>;
export type LocalModelHead = LocalModelJson['heads'][ModelField];
