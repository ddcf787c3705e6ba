// Lint rules. The import restriction keeps channel SDKs and the HTTP framework out of core/
// (ARCHITECTURE.md); test/core/architecture.test.ts checks the same from the other side.
import tseslint from 'typescript-eslint';

const channelAndHttpPackages = ['grammy', '@grammyjs/*', 'wechaty', 'wechaty-*', '@wecom/*', 'fastify', '@fastify/*', 'hono', 'express', 'playwright-core'];

export default tseslint.config(
  { ignores: ['node_modules/', 'core/db/generated/', 'core/db/generated-postgres/', 'data/', '.tmp/'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-syntax': ['error', { selector: "CallExpression[callee.object.name='process'][callee.property.name='on']", message: 'Register process handlers in bot/main.ts only.' }],
    },
  },
  {
    files: ['bot/main.ts', 'bot/shutdown.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['core/**/*.ts', 'core/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: channelAndHttpPackages, message: 'core/ must not depend on channel SDKs or the HTTP framework; put it in bot/.' }] }],
    },
  },
  {
    files: ['bot/channels/web/assets/*.js'],
    languageOptions: { globals: { document: 'readonly', window: 'readonly', location: 'readonly', fetch: 'readonly', FormData: 'readonly', URLSearchParams: 'readonly', CSS: 'readonly', crypto: 'readonly' } },
  },
);
