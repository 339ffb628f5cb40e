// Two projects: unit tests need no servers; integration tests run against the real stack.
const fs = require('node:fs');
const path = require('node:path');

const swcConfig = JSON.parse(fs.readFileSync(path.join(__dirname, '.swcrc'), 'utf8'));
delete swcConfig.$schema;
delete swcConfig.jsc.baseUrl;
delete swcConfig.jsc.paths; // jest resolves the aliases through moduleNameMapper

const moduleNameMapper = {
  '^@dev-health/testing$': '<rootDir>/test/harness',
  '^@dev-health/github$': '<rootDir>/libs/providers/github/src',
  '^@dev-health/github/(.+)$': '<rootDir>/libs/providers/github/src/$1',
  '^@dev-health/gitlab$': '<rootDir>/libs/providers/gitlab/src',
  '^@dev-health/gitlab/(.+)$': '<rootDir>/libs/providers/gitlab/src/$1',
  '^@dev-health/jira$': '<rootDir>/libs/providers/jira/src',
  '^@dev-health/jira/(.+)$': '<rootDir>/libs/providers/jira/src/$1',
  '^@dev-health/([a-z-]+)/(.+)$': '<rootDir>/libs/$1/src/$2',
  '^@dev-health/([a-z-]+)$': '<rootDir>/libs/$1/src',
};

const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', swcConfig] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.stack/'],
};

module.exports = {
  reporters: ['default', '<rootDir>/test/harness/summary-reporter.js'],
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/test/harness/global-setup.ts',
      globalTeardown: '<rootDir>/test/harness/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/harness/integration-timeout.ts'],
    },
  ],
};
