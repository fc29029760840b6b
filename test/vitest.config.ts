import { defineProject } from 'vitest/config';

// End-to-end suites: real processes (wrangler dev, the gateway, the simulator) on loopback, one file at a time.
export default defineProject({
  test: {
    name: 'e2e',
    include: ['**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
