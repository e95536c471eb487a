import { defineConfig } from 'vitest/config';

// One browser and one backend shared by the tests of a file, run in order.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    environment: 'node',
    fileParallelism: false,
    sequence: { concurrent: false },
    testTimeout: 60_000,
    hookTimeout: 90_000,
  },
});
