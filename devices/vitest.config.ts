import { defineProject } from 'vitest/config';

// The simulator suites play whole shifts over a real broker: on two loaded CI cores that takes longer than
// vitest's 5 s default, so the guard against a hung test is set like the other packages'.
export default defineProject({ test: { name: 'devices', testTimeout: 30_000, hookTimeout: 30_000 } });
