import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'tests/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['tests/cli/buildCli.globalSetup.ts'],
    // CI shares two cores with everything else; a test's own assertions, not the clock, decide.
    testTimeout: 30_000,
  },
});
