/**
 * The boundary check itself: dependency-cruiser with the project's rules fails on a tree that breaks DESIGN.md §2
 * (a forbidden folder import, a circular import, a vendor SDK outside adapters, an import of main.ts) and passes
 * on one that keeps to it. `npm run boundaries` runs the same rules over src/.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './support/run-ombuds.js';

const run = promisify(execFile);

async function cruise(files: Record<string, string>): Promise<{ ok: boolean; output: string }> {
  const root = await mkdtemp(join(tmpdir(), 'ombuds-boundaries-'));
  roots.push(root);
  await copyFile(join(PROJECT_ROOT, '.dependency-cruiser.cjs'), join(root, '.dependency-cruiser.cjs'));
  await writeFile(join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }));
  await writeFile(join(root, 'package.json'), JSON.stringify({ name: 'boundary-fixture', type: 'module' }));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  try {
    const { stdout } = await run(join(PROJECT_ROOT, 'node_modules/.bin/depcruise'), ['src', '--config', '.dependency-cruiser.cjs'], { cwd: root });
    return { ok: true, output: stdout };
  } catch (error) {
    return { ok: false, output: String((error as { stdout?: string }).stdout ?? error) };
  }
}
const roots: string[] = [];

describe('boundary check', () => {
  afterAll(async () => {
    for (const root of roots) await rm(root, { recursive: true, force: true });
  });

  it('passes a tree that keeps to the design', async () => {
    const result = await cruise({
      'src/contracts/index.ts': 'export const x = 1;\n',
      'src/store/index.ts': "import { x } from '../contracts/index.js';\nexport const y = x;\n",
      'src/intake/index.ts': "import { y } from '../store/index.js';\nexport const z = y;\n",
      'src/http/index.ts': "import { z } from '../intake/index.js';\nexport const w = z;\n",
    });
    expect(result.output).toContain('no dependency violations');
    expect(result.ok).toBe(true);
  });

  it.each([
    ['the classifier importing the store', { 'src/classifier/rules.ts': "import { y } from '../store/index.js';\nexport const r = y;\n" }, 'classifier-boundary'],
    ['intake importing handling', { 'src/intake/worker.ts': "import { h } from '../handling/index.js';\nexport const r = h;\n" }, 'intake-boundary'],
    ['the store importing http', { 'src/store/bad.ts': "import { w } from '../http/index.js';\nexport const r = w;\n" }, 'store-boundary'],
    ['contracts importing shared', { 'src/contracts/bad.ts': "import { s } from '../shared/index.js';\nexport const r = s;\n" }, 'contracts-boundary'],
    ['anything importing main.ts', { 'src/http/bad.ts': "import { m } from '../main.js';\nexport const r = m;\n" }, 'nothing-imports-main'],
    ['a circular import', { 'src/intake/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n", 'src/intake/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n" }, 'no-circular'],
  ])('fails on %s', async (_name, extra, rule) => {
    const result = await cruise({
      'src/contracts/index.ts': 'export const x = 1;\n',
      'src/shared/index.ts': 'export const s = 1;\n',
      'src/store/index.ts': "import { x } from '../contracts/index.js';\nexport const y = x;\n",
      'src/handling/index.ts': 'export const h = 1;\n',
      'src/http/index.ts': 'export const w = 1;\n',
      'src/main.ts': 'export const m = 1;\n',
      ...extra,
    });
    expect(result.ok).toBe(false);
    expect(result.output).toContain(rule);
  });
});
