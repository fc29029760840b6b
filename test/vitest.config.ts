import { defineProject } from 'vitest/config';

// End-to-end suites: real processes (wrangler dev, the gateway, the simulator) on loopback, one file at a time.
export default defineProject({
  test: {
    name: 'e2e',
    include: ['**/*.test.ts'],
    // Real processes on a shared 2-core machine: generous, never a timing assertion.
    testTimeout: 480_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    // After every other project: these suites start servers on ports they pick first, and must not race
    // the unit tests' brokers for them, nor share the two cores with them.
    sequence: { groupOrder: 1 },
  },
});
