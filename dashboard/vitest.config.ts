import preact from '@preact/preset-vite';
import { defineProject } from 'vitest/config';

// Unit and component tests of the two Preact apps. Browser suites that drive the real stack live in the
// root `test/` project (they start the hub and a gateway); this project stays fast.
export default defineProject({
  plugins: [preact()],
  test: {
    name: 'dashboard',
    environment: 'node',
    include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
    testTimeout: 20_000,
  },
});
