import { configDefaults, defineProject } from 'vitest/config';

// End-to-end suites: real processes (wrangler dev, the gateway, the simulator) on loopback.
const shared = {
  // Real processes on a shared 2-core machine: generous, never a timing assertion.
  testTimeout: 480_000,
  hookTimeout: 180_000,
};

/**
 * The technician's walk-through runs alone, after the others: its calibration check reads a seeded simulated
 * load cell whose noise at the tare depends on how many conversions ran before it (wall-clock timing), and
 * another stack's load beside it moves that point into windows the check's ±50 counts reject.
 * The root vitest.config.ts lists this project beside this file's default one.
 */
export const e2eAlone = defineProject({
  test: {
    ...shared,
    name: 'e2e-alone',
    include: ['technician.test.ts'],
    fileParallelism: false,
    sequence: { groupOrder: 2 },
  },
});

export default defineProject({
  test: {
    ...shared,
    name: 'e2e',
    include: ['**/*.test.ts'],
    exclude: [...configDefaults.exclude, 'technician.test.ts'],
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
