import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';
import { sizeBudget } from './src/shared/size-budget.ts';

/** The manager app's JavaScript budget, gzipped (issue 6): the build fails above it. */
const JS_BUDGET_BYTES = 120 * 1024;

// `npm run build:manager -w @pourcast/dashboard` → dashboard/dist/manager, served by the hub as Workers
// static assets (wrangler.toml [assets]); /api/* goes to the Worker first.
export default defineConfig({
  root: 'src/manager',
  base: '/',
  // _headers (CSP, HSTS, frame-ancestors for the static files) when the security work provides one.
  publicDir: '../../public-manager',
  plugins: [preact(), sizeBudget('manager app', JS_BUDGET_BYTES)],
  build: {
    outDir: '../../dist/manager',
    emptyOutDir: true,
    target: 'es2022',
    assetsDir: 'assets',
    rollupOptions: {
      treeshake: { moduleSideEffects: (id: string) => !/[\\/]protocol[\\/]src[\\/]/.test(id) },
    },
  },
  server: {
    // `vite -c vite.manager.config.ts` during development: the API is the hub's (npm start: port 8787).
    proxy: { '/api': process.env.POURCAST_HUB_URL ?? 'http://127.0.0.1:8787' },
  },
});
