// Lint rules, including the import boundaries of ARCHITECTURE.md:
// src/shared imports nothing; src/core and src/worker never import vscode, src/vscode or webview; webview imports only src/shared.
import tseslint from 'typescript-eslint';

const noVscode = { name: 'vscode', message: 'src/core and webview are pure: no vscode import.' };

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'src/core/proto/**',
      '.vscode-test/**',
      'test/fixtures/**',
      'out/**',
      'bench/out/**',
      '.cache/**',
      'test-results/**',
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noVscode],
          patterns: [
            {
              group: ['**/vscode/**', '**/webview/**', '../vscode', '../../webview'],
              message: 'src/core may import only src/core and src/shared.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/worker/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'src/worker runs in a worker thread: no vscode import.' }],
          patterns: [
            {
              group: ['**/vscode/**', '**/webview/**', '../vscode'],
              message: 'src/worker may import only src/worker, src/core and src/shared.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noVscode],
          patterns: [{ group: ['../*'], message: 'src/shared imports nothing outside src/shared.' }],
        },
      ],
    },
  },
  {
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noVscode],
          patterns: [{ group: ['**/src/core/**', '**/src/vscode/**'], message: 'webview imports only src/shared.' }],
        },
      ],
    },
  },
);
