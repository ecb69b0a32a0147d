import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import prettier from 'eslint-config-prettier'
import globals from 'globals'

// Only the desktop host and the preload may reach Electron; the core must run in plain Node.
const electronFree = {
  'no-restricted-imports': [
    'error',
    {
      paths: [
        {
          name: 'electron',
          message: 'Only src/main/index.ts, src/main/hosts/desktop and src/preload may import electron.',
        },
      ],
    },
  ],
}

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      '.cache/**',
      'bench/results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      ...electronFree,
    },
  },
  {
    files: ['src/main/index.ts', 'src/main/hosts/desktop/**', 'src/preload/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'The renderer runs in a sandbox: no Node modules.' },
            {
              group: ['**/main/**', '**/preload/**'],
              message: 'The renderer talks to main only through window.latchkey.',
            },
          ],
          paths: [{ name: 'electron', message: 'The renderer never imports electron.' }],
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
          patterns: [
            {
              group: ['node:*', '**/main/**', '**/renderer/**', '**/preload/**'],
              message: 'src/shared is environment-neutral.',
            },
          ],
          paths: [{ name: 'electron', message: 'src/shared is environment-neutral.' }],
        },
      ],
    },
  },
  prettier,
)
