// Lint: typescript-eslint's recommended rules plus the one-way import rule of the architecture:
// src/web and src/server may import src/domain; src/domain imports neither (and does no I/O);
// src/web never imports src/server; src/contracts (the API's shapes, shared by both) imports zod and
// src/domain only.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'http', 'https', 'net', 'child_process', 'crypto', 'worker_threads', 'cluster'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'data/**', '.cache/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    ignores: ['src/domain/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/server/**', '**/web/**', '../server', '../web'], message: 'src/domain imports neither src/server nor src/web.' },
            { group: nodeBuiltins, message: 'src/domain is pure: no I/O (pass data and the clock in as arguments).' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'src/domain reads no environment.' }],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'src/domain takes `now` as an argument.' },
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'src/domain takes `now` as an argument.' },
      ],
    },
  },
  {
    files: ['src/contracts/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/server/**', '**/web/**', '../server', '../web'], message: 'src/contracts is shared by server and web: it imports zod and src/domain only.' },
            { group: nodeBuiltins, message: 'src/contracts describes the API: no I/O.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/server/**', '../server', '../../server'], message: 'src/web never imports src/server: use the API.' }] },
      ],
    },
  },
);
