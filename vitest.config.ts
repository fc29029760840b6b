import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { e2eAlone } from './test/vitest.config.ts';

// One runner for the whole repo: each workspace owns its vitest.config.ts; `test/` holds the end-to-end suites.
export default defineConfig({
  test: {
    projects: [
      'protocol',
      'devices',
      'edge',
      'hub',
      'firmware-config',
      'dashboard',
      'test',
      { ...e2eAlone, test: { ...e2eAlone.test, root: './test' } },
    ],
    // Vitest's default is one file less than the cores, which on a 2-core machine is one file at a time. The
    // unit files mostly wait (a workerd start per hub file, brokers, child processes), so two at once there
    // takes the unit projects from 909 s to 561 s wall; larger machines keep the default. The e2e project
    // runs two files at a time after them, then e2e-alone its one file (test/vitest.config.ts).
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
