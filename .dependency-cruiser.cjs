/**
 * The import rules of docs/architecture.md, checked by `npm run lint`.
 * Each layer of src/ may import the layers listed for it and nothing else;
 * src/model, the shared types, imports nothing. No file cycles anywhere.
 */
const LAYERS = {
  model: [],
  util: ['model'],
  errors: ['model'],
  git: ['model', 'util', 'errors'],
  http: ['model', 'util', 'errors'],
  declaration: ['model', 'util', 'errors'],
  plan: ['model', 'util'],
  audit: ['model', 'util', 'errors', 'git'],
  providers: ['model', 'util', 'errors', 'audit', 'http'],
  history: ['model', 'util', 'errors', 'audit', 'declaration', 'git'],
  render: ['model', 'util'],
  github: ['model', 'util', 'errors', 'audit', 'declaration', 'history', 'render', 'plan', 'git', 'http'],
  export: ['model', 'util', 'errors', 'declaration', 'plan'],
  apply: ['model', 'util', 'errors', 'audit', 'plan', 'providers'],
  engine: ['model', 'util', 'errors', 'git', 'http', 'audit', 'declaration', 'plan', 'providers', 'apply', 'history', 'github', 'render', 'export'],
  pulumi: ['model', 'util', 'errors', 'git', 'audit', 'declaration', 'plan', 'providers', 'apply', 'history', 'render', 'engine'],
};
const layerPath = (name) => (name === 'errors' ? '^src/errors\\.ts$' : `^src/${name}/`);
const layerRules = Object.entries(LAYERS).map(([layer, allowed]) => ({
  name: `layer-${layer}`,
  comment: `src/${layer} may import only: ${[layer, ...allowed].join(', ')}`,
  severity: 'error',
  from: { path: layerPath(layer) },
  to: { path: '^src/', pathNot: [layer, ...allowed].map(layerPath) },
}));

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'files that import each other in a loop', from: { path: '^src/' }, to: { circular: true } },
    {
      name: 'no-cli-below',
      severity: 'error',
      comment: 'only the command line imports src/cli',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    ...layerRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs'] },
  },
};
