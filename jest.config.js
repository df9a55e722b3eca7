/** Unit tests (*.test.ts) and integration tests (*.int.test.ts) against the real stack. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/services', '<rootDir>/scripts', '<rootDir>/test', '<rootDir>/deploy'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  globalSetup: '<rootDir>/test/global-setup.ts',
  testTimeout: 120000,
  maxWorkers: 1,
  verbose: true,
};
