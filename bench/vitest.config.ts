import { defineProject } from 'vitest/config';

// The benchmarks' own logic (column detection, the reference methods); the benchmarks themselves run by `npm run bench*`.
export default defineProject({ test: { name: 'bench', environment: 'node', include: ['**/*.test.ts'] } });
