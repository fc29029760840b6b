import { defineProject } from 'vitest/config';

// End-to-end suites: real processes (wrangler dev, the gateway, the simulator) on loopback, two files at a time.
export default defineProject({
  test: {
    name: 'e2e',
    include: ['**/*.test.ts'],
    // Real processes on a shared 2-core machine: generous, never a timing assertion.
    testTimeout: 480_000,
    hookTimeout: 180_000,
    // Builds the manager app and migrates one local D1 for every stack to copy (scripts/lib/e2e-global-setup.ts).
    globalSetup: ['../scripts/lib/e2e-global-setup.ts'],
    // Two files at once, each with its own stack: its own temp dir (hub D1, dev registry, gateway data, bar),
    // its own ports (reserved machine-wide, outside the ephemeral range: scripts/lib/processes.ts freePort).
    // The files mostly wait on their processes, so two at once roughly halves the wall time on 2 cores.
    fileParallelism: true,
    maxWorkers: 2,
    // After every other project: these suites must not share the two cores with the unit tests.
    sequence: { groupOrder: 1 },
  },
});
