import { defineConfig } from 'vitest/config';

// Browser tests: each file starts the visualizer and a headless Chromium, so they run one file at a time.
export default defineConfig({
  test: {
    include: ['e2e/**/*.spec.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
