/** Jest runs Payload's ESM natively (NODE_OPTIONS=--experimental-vm-modules) through @swc/jest. */
const config = {
  extensionsToTreatAsEsm: ['.ts', '.tsx'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    '^@payload-config$': '<rootDir>/payload.config.ts',
  },
  // Names the run, so the browser test files share one `next build`.
  globalSetup: '<rootDir>/test/globalSetup.js',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/int/**/*.int.spec.ts', '<rootDir>/test/e2e/**/*.e2e.spec.ts'],
  testTimeout: 90_000,
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      {
        jsc: {
          parser: { decorators: false, syntax: 'typescript', tsx: true },
          target: 'es2022',
          transform: { react: { runtime: 'automatic' } },
        },
        module: { type: 'es6' },
      },
    ],
  },
  transformIgnorePatterns: ['/node_modules/'],
}

export default config
