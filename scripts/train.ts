/**
 * `npm run train`: trains the local model on the project's labelled data and writes
 * src/classifier/model/model.json. Reads corpus/banking77/train.jsonl (all), corpus/cfpb/cfpb_labelled.jsonl and
 * fixtures/classifier/ombuds-labelled-dev.jsonl (their training parts only, split.ts). Deterministic: the same data
 * gives the same file. Prints the rows per set, the training accuracy per head, the file size and the elapsed time.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseLabelledJsonl, type LabelledRow } from '../src/classifier/evaluation-data.js';
import { MODEL_FIELDS } from '../src/classifier/model/model-format.js';
import { selectPart } from '../src/classifier/model/split.js';
import { trainLocalModel, type TrainingRow } from '../src/classifier/model/train-model.js';

const root = new URL('../', import.meta.url);
const output = new URL('src/classifier/model/model.json', root);

/** The sets and how much each row counts: the small in-domain sets weigh more than BANKING77's 10,000 queries. */
const SETS = [
  { source: 'banking77-train', path: 'corpus/banking77/train.jsonl', split: false, weight: 1 },
  { source: 'cfpb-train', path: 'corpus/cfpb/cfpb_labelled.jsonl', split: true, weight: 10 },
  { source: 'ombuds-dev-train', path: 'fixtures/classifier/ombuds-labelled-dev.jsonl', split: true, weight: 4 },
] as const;

function toTrainingRow(row: LabelledRow, source: string, weight: number): TrainingRow {
  return {
    text: row.text,
    source,
    weight,
    labels: {
      ...(row.kind === undefined ? {} : { kind: row.kind }),
      ...(row.product === undefined ? {} : { product: row.product }),
      ...(row.issue === undefined ? {} : { issue: row.issue }),
      ...(row.sentiment === undefined ? {} : { sentiment: row.sentiment }),
    },
  };
}

const started = performance.now();
const rows: TrainingRow[] = [];
for (const set of SETS) {
  const parsed = parseLabelledJsonl(readFileSync(new URL(set.path, root), 'utf8'));
  const selected = set.split ? selectPart(parsed.rows, 'train') : parsed.rows;
  console.log(`${set.source}: ${selected.length} rows of ${parsed.rows.length} (${parsed.skipped} skipped)`);
  rows.push(...selected.map((row) => toTrainingRow(row, set.source, set.weight)));
}
const { model, trainingAccuracy } = trainLocalModel(rows);
const json = `${JSON.stringify(model)}\n`;
writeFileSync(output, json);
for (const field of MODEL_FIELDS) {
  const head = model.heads[field];
  console.log(`${field}: ${head.trainingRows} rows, ${head.classes.length} classes, training accuracy ${trainingAccuracy[field].toFixed(3)}`);
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`${model.features.length} features; wrote ${output.pathname} (${(json.length / 1024).toFixed(0)} KB) in ${seconds} s`);
