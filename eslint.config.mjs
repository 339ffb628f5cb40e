// Type-aware lint that also enforces the architecture: each external system's SDK is imported only
// by its adapter in libs/ (and by the stack tests that prove the servers themselves).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const ADAPTER_SDKS = {
  kafka: ['kafkajs', '@platformatic/kafka'],
  registry: ['@kafkajs/confluent-schema-registry', 'avsc'],
  postgres: ['pg', 'typeorm'],
  clickhouse: ['@clickhouse/client', 'chdb'],
  mongo: ['mongodb'],
  'providers/github': ['octokit', '@octokit/*'],
  'providers/gitlab': ['@gitbeaker/rest', '@gitbeaker/*'],
  'providers/jira': ['jira.js'],
};

const allSdkPatterns = Object.entries(ADAPTER_SDKS).flatMap(([adapter, sdks]) =>
  sdks.map((sdk) => ({ group: [sdk, `${sdk}/*`], message: `only libs/${adapter} may import ${sdk}; use its adapter` })),
);

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.stack/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: true },
      ],
      '@typescript-eslint/explicit-module-boundary-types': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      'no-console': 'error',
      'no-restricted-imports': ['error', { patterns: allSdkPatterns }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'read configuration through libs/config only',
        },
      ],
    },
  },
  // Each adapter may import its own SDK.
  ...Object.entries(ADAPTER_SDKS).map(([adapter, sdks]) => ({
    files: [`libs/${adapter}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: allSdkPatterns.filter((pattern) => !sdks.includes(pattern.group[0])) },
      ],
    },
  })),
  {
    // Normalizers are pure (no network, no persistence): the processor and each provider's normalize/
    // folder import a provider's `/normalize` entry, never its connector side (API clients, SDKs).
    files: ['apps/processor/**/*.ts', 'libs/normalize/**/*.ts', 'libs/**/normalize/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...allSdkPatterns,
            {
              group: ['**/github-client', '**/github-sync', '**/gitlab-client', '**/gitlab-sync', '**/git-repository'],
              message: 'normalizers do no I/O',
            },
          ],
          paths: [
            '@dev-health/connector',
            '@dev-health/github',
            '@dev-health/gitlab',
            '@dev-health/git',
            '@dev-health/synthetic',
          ].map((name) => ({
            name,
            message: `normalizers are pure: import ${name}/normalize, not its connector side`,
          })),
        },
      ],
    },
  },
  {
    // Configuration is read in one place; the test harness and stack proofs read their endpoints directly.
    files: ['libs/config/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // The harness and the stack proofs talk to the servers themselves, below the adapters they test.
    files: ['test/stack/**/*.ts', 'test/harness/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/unbound-method': 'off' },
  },
);
