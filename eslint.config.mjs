// Lint: typescript-eslint's recommended rules plus the layer rules of the pipeline
// (docs: src/README.md). The core folders never import VS Code, the worker or the editor;
// the editor reaches the core only through the worker's protocol and client.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const CORE = ['profile', 'pgo', 'source', 'match', 'refresh', 'compiler', 'platform'];
const noVscode = { name: 'vscode', message: 'the core is plain TypeScript: only src/editor/ and src/extension.ts use the VS Code API' };
const pattern = (group, message) => ({ group, message });

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'bench-data/**', 'test/fixtures/**', 'test/corpus/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      // the walker's nested visitor closures refer to the walker as `self`
      '@typescript-eslint/no-this-alias': ['error', { allowedNames: ['self'] }],
      'no-constant-condition': ['error', { checkLoops: false }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-restricted-imports': ['error', { paths: [] }],
    },
  },
  {
    files: CORE.map((d) => `src/${d}/**/*.ts`),
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noVscode],
          patterns: [
            pattern(['**/worker/*', '**/worker'], 'the core never imports the worker'),
            pattern(['**/editor/*', '**/editor'], 'the core never imports the editor'),
            pattern(['**/cli/*', '**/cli'], 'the core never imports the CLI'),
          ],
        },
      ],
    },
  },
  {
    files: ['src/worker/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [noVscode], patterns: [pattern(['**/editor/*', '**/editor'], 'the worker and the CLI never import the editor')] },
      ],
    },
  },
  {
    files: ['src/editor/**/*.ts', 'src/extension.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            pattern(
              CORE.flatMap((d) => [`../${d}`, `../${d}/*`, `./${d}`, `./${d}/*`]),
              'the editor is a thin edge: it talks to the core only through the worker (src/worker/protocol.ts, client.ts)',
            ),
            pattern(['**/worker/*', '!**/worker/protocol', '!**/worker/client'], 'the editor uses the worker only through protocol.ts and client.ts'),
          ],
        },
      ],
    },
  },
  {
    files: ['scripts/**/*.mjs', 'test/**/*.mjs', '*.mjs'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        URL: 'readonly',
        globalThis: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        fetch: 'readonly',
        performance: 'readonly',
        TextDecoder: 'readonly',
        TextEncoder: 'readonly',
        document: 'readonly',
        window: 'readonly',
        getComputedStyle: 'readonly',
      },
    },
  },
);
