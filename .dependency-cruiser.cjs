/**
 * Folder boundaries of DESIGN.md §2, checked by `npm run boundaries` (part of `npm test`).
 * Arrows mean "may import":
 *   http     → adapters, intake, handling, store, queue, contracts, shared
 *   intake   → classifier, store, queue, contracts, shared
 *   handling → store, queue, contracts, shared
 *   adapters, classifier, queue, store, config, cli → contracts, shared
 *   contracts → zod only;  shared → no src folder
 *   nothing imports http, main.ts or composition.ts (the composition root: composition.ts builds the object
 *   graph, main.ts is the `ombuds` command on top of it)
 */
const folders = ['contracts', 'shared', 'config', 'store', 'queue', 'intake', 'classifier', 'handling', 'adapters', 'http', 'cli'];
const allowed = {
  contracts: [],
  shared: [],
  config: ['contracts', 'shared'],
  store: ['contracts', 'shared'],
  queue: ['contracts', 'shared'],
  classifier: ['contracts', 'shared'],
  adapters: ['contracts', 'shared'],
  intake: ['classifier', 'store', 'queue', 'contracts', 'shared'],
  handling: ['store', 'queue', 'contracts', 'shared'],
  http: ['adapters', 'intake', 'handling', 'store', 'queue', 'contracts', 'shared'],
  cli: ['contracts', 'shared'],
};

const folderRules = folders.map((from) => {
  const forbiddenTargets = folders.filter((to) => to !== from && !allowed[from].includes(to));
  return {
    name: `${from}-boundary`,
    comment: `src/${from} may import only: ${allowed[from].join(', ') || 'nothing in src'} (DESIGN.md §2)`,
    severity: 'error',
    from: { path: `^src/${from}/` },
    to: { path: `^src/(${forbiddenTargets.join('|')})/` },
  };
});

module.exports = {
  forbidden: [
    ...folderRules,
    {
      name: 'nothing-imports-main',
      comment: 'main.ts and composition.ts are the composition root; nothing in src imports them (main.ts imports composition.ts)',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/main\\.ts$' },
      to: { path: '^src/(main|composition)\\.ts$' },
    },
    {
      name: 'only-composition-imports-its-channels',
      comment: 'composition-channels.ts (which channels the environment turns on) is part of the composition root: only composition.ts imports it',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/composition\\.ts$' },
      to: { path: '^src/composition-channels\\.ts$' },
    },
    {
      name: 'contracts-only-zod',
      comment: 'src/contracts is a leaf: it imports zod and nothing else outside itself',
      severity: 'error',
      from: { path: '^src/contracts/' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'core'], pathNot: '^node_modules/zod/' },
    },
    {
      name: 'shared-no-vendor-sdk',
      comment: 'vendor SDKs live in src/adapters only (and the openai SDK in src/classifier/llm, the optional LLM layer)',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(adapters|classifier/llm)/' },
      to: { path: '^node_modules/(telegraf|botbuilder|botframework-|openai)' },
    },
    {
      name: 'bot-framework-sdk-only-in-its-adapter',
      comment: 'the Bot Framework SDK (botbuilder, botframework-*) is end-of-life upstream: only src/adapters/botframework imports it, so it can be swapped (decision 0011)',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/adapters/botframework/' },
      to: { path: '^node_modules/(botbuilder|botframework-)' },
    },
    {
      name: 'express-only-in-http',
      comment: 'express is used in src/http only (and wired in the composition root)',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(http/|main\\.ts$|composition\\.ts$)' },
      to: { path: '^node_modules/(express|@bull-board|swagger-ui-dist)/' },
    },
    {
      name: 'no-circular',
      comment: 'circular imports make load order fragile',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-test-code-in-src',
      comment: 'production code does not import tests',
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.test\\.ts$' },
      to: { path: '(\\.test\\.ts$|^test/)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.json'] },
  },
};
