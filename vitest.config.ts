import { defineConfig } from 'vitest/config';

// One runner for the whole repo: each workspace owns its vitest.config.ts; `test/` holds the end-to-end suites.
export default defineConfig({
  test: {
    projects: ['protocol', 'devices', 'edge', 'hub', 'firmware-config', 'dashboard', 'test'],
  },
});
