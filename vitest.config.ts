import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { LongestFirst } from './test/longest-first.ts';

// One runner for the whole repo: each workspace owns its vitest.config.ts; `test/` holds the end-to-end suites.
export default defineConfig({
  test: {
    projects: ['protocol', 'devices', 'edge', 'hub', 'firmware-config', 'dashboard', 'bench', 'test'],
    // Vitest's default is one file less than the cores, which on a 2-core machine is one file at a time. The
    // unit files mostly wait (brokers, child processes, workerd), so two at once there
    // takes the unit projects from 909 s to 561 s wall; larger machines keep the default. The e2e project
    // still runs its files one at a time (fileParallelism: false in test/vitest.config.ts).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // The long end-to-end files first, so the longest does not run alone at the end (test/longest-first.ts).
    sequence: { sequencer: LongestFirst },
  },
});
