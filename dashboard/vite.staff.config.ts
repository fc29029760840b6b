import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';
import { sizeBudget } from './src/shared/size-budget.ts';

/** The staff display's JavaScript budget, gzipped (issue 6): the build fails above it. */
const JS_BUDGET_BYTES = 60 * 1024;

// `npm run build:staff -w @pourcast/dashboard` → dashboard/dist/staff, served by the gateway at `/`.
export default defineConfig({
  root: 'src/staff',
  base: './',
  plugins: [preact(), sizeBudget('staff display', JS_BUDGET_BYTES)],
  build: {
    outDir: '../../dist/staff',
    emptyOutDir: true,
    target: 'es2022',
    assetsDir: 'assets',
    rollupOptions: {
      // The protocol's modules only declare schemas: the ones the display does not use can go.
      treeshake: { moduleSideEffects: (id: string) => !/[\\/]protocol[\\/]src[\\/]/.test(id) },
    },
  },
  server: {
    // `vite -c vite.staff.config.ts` during development: the API is the gateway's (npm start: port 8080).
    proxy: { '/api': process.env.POURCAST_GATEWAY_URL ?? 'http://127.0.0.1:8080' },
  },
});
