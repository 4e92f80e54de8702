/**
 * The model's forward pass, shared by training (train-model.ts) and prediction (local-model.ts) so the two cannot
 * drift apart: bias plus the weights of the present features (each scaled by 1/√n), then softmax.
 */
export function classProbabilities(
  indices: readonly number[],
  classCount: number,
  bias: Float64Array,
  weights: Float64Array,
): Float64Array {
  const value = indices.length === 0 ? 0 : 1 / Math.sqrt(indices.length);
  const scores = Float64Array.from(bias);
  for (const index of indices) {
    for (let label = 0; label < classCount; label += 1) scores[label] = (scores[label] ?? 0) + value * (weights[index * classCount + label] ?? 0);
  }
  let maximum = -Infinity;
  for (const score of scores) maximum = Math.max(maximum, score);
  const exponentials = scores.map((score) => Math.exp(score - maximum));
  const total = exponentials.reduce((sum, item) => sum + item, 0);
  return exponentials.map((item) => item / total);
}
