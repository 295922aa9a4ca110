import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.roster/', 'src/model/schema.generated.ts', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
      // YAML fixtures are matched by indentation; two literal spaces read better than {2}.
      'no-regex-spaces': 'off',
    },
  },
  // Only the CLI prints: everything else returns data or throws a typed error.
  {
    files: ['src/**'],
    ignores: ['src/cli/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'stdout', message: 'Only src/cli prints; return the text instead.' },
        { object: 'process', property: 'stderr', message: 'Only src/cli prints; return the text instead.' },
      ],
      // Progress is told through an observer passed in (src/model/progress.ts); the CLI draws it.
      'no-restricted-imports': ['error', { paths: [{ name: 'cli-progress', message: 'Only src/cli prints; take a ProgressObserver instead.' }] }],
    },
  },
  // The planner is pure: the same inputs give the same plan (no I/O, no clock, no randomness).
  {
    files: ['src/plan/**'],
    rules: {
      // Types of other layers are allowed until they move to src/model (issue 14); their code is not.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'child_process', 'net', 'http', 'https', 'pg', '@electric-sql/*', 'octokit'], message: 'src/plan is pure: no I/O.' },
            {
              group: ['**/providers/**', '**/apply/**', '**/cli/**', '**/render/**', '**/github/**', '**/history/**', '**/audit/**'],
              allowTypeImports: true,
              message: 'src/plan imports only types from other layers.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'src/plan reads no clock: take `now` as a parameter.' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'src/plan reads no clock: take `now` as a parameter.' },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'src/plan draws no random numbers.' },
      ],
    },
  },
  // Scripts, benchmarks and tests report figures on the console.
  { files: ['scripts/**', 'bench/**', 'bin/**', 'test/**'], rules: { 'no-console': 'off' } },
);
