/**
 * Summarises a V8 CPU profile (`.cpuprofile`, from `npm run bench -- --cpu-prof`): where the self time went, by
 * function, by package / project folder, and the inclusive time of the project's own functions (src/, what they
 * call included). Usage: `npx tsx bench/profile-summary.ts FILE [TOP]`.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

function area(url: string): string {
  if (url === '') return '(native / V8)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules?.[1]) return modules[1];
  if (url.startsWith('node:')) return 'node core';
  const project = /\/(src\/[^/]+|bench|test)\//.exec(url);
  return project?.[1] ?? url;
}

function top(map: Map<string, number>, total: number, count: number): string {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, micros]) => `${(micros / 1000).toFixed(0).padStart(8)} ms ${((100 * micros) / total).toFixed(1).padStart(5)} %  ${name}`)
    .join('\n');
}

const [file, topArg] = process.argv.slice(2);
if (file === undefined) {
  console.error('usage: npx tsx bench/profile-summary.ts FILE.cpuprofile [TOP]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfTime = new Map<number, number>();
profile.samples.forEach((id, index) => {
  selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
});
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const byFunction = new Map<string, number>();
const inclusive = new Map<string, number>();
const byArea = new Map<string, number>();
let total = 0;
let idle = 0;
for (const [id, micros] of selfTime) {
  const frame = byId.get(id)?.callFrame;
  if (!frame) continue;
  total += micros;
  if (frame.functionName === '(idle)') idle += micros;
  const where = frame.url === '' ? '' : ` ${frame.url.replace(/^file:\/\//, '').replace(/.*\/node_modules\//, '')}:${frame.lineNumber + 1}`;
  const name = `${frame.functionName || '(anonymous)'}${where}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
  // Inclusive: every project function on the stack of this sample (once per stack, recursion or not).
  const onStack = new Set<string>();
  for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) {
    const callFrame = byId.get(node)?.callFrame;
    if (callFrame?.url.includes('/src/') === true) onStack.add(`${callFrame.functionName || '(anonymous)'} ${callFrame.url.replace(/.*\/src\//, 'src/')}`);
  }
  for (const key of onStack) inclusive.set(key, (inclusive.get(key) ?? 0) + micros);
  const region = ['(idle)', '(program)', '(garbage collector)'].includes(frame.functionName) ? frame.functionName : area(frame.url);
  byArea.set(region, (byArea.get(region) ?? 0) + micros);
}
const count = Number(topArg ?? 25);
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(100 - (100 * idle) / total).toFixed(0)} % not idle\n`);
console.log(`By package / folder:\n${top(byArea, total, count)}\n`);
console.log(`By function (self time):\n${top(byFunction, total, count)}\n`);
console.log(`Project functions (inclusive time):\n${top(inclusive, total, count)}`);
