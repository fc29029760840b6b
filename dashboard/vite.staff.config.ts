import { gzipSync } from 'node:zlib';
import preact from '@preact/preset-vite';
import { defineConfig, type Plugin } from 'vite';

/** The staff display's JavaScript budget, gzipped (issue 6): the build fails above it. */
const JS_BUDGET_BYTES = 60 * 1024;

/** Prints every emitted file's gzipped size and fails the build when the JS total is over budget. */
function sizeBudget(label: string, budget: number): Plugin {
  return {
    name: 'pourcast-size-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      let js = 0;
      const lines: string[] = [];
      for (const file of Object.values(bundle)) {
        const source = file.type === 'chunk' ? file.code : file.source;
        const gz = gzipSync(typeof source === 'string' ? Buffer.from(source) : source).length;
        if (file.fileName.endsWith('.js')) js += gz;
        lines.push(`  ${file.fileName.padEnd(40)} ${(gz / 1024).toFixed(1).padStart(7)} KB gzipped`);
      }
      const verdict = js <= budget ? 'within' : 'OVER';
      console.log(
        `\n${label}:\n${lines.join('\n')}\n  JS total ${(js / 1024).toFixed(1)} KB gzipped, ${verdict} the ${budget / 1024} KB budget\n`,
      );
      if (js > budget)
        this.error(`${label} JS is ${(js / 1024).toFixed(1)} KB gzipped, over ${budget / 1024} KB`);
    },
  };
}

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
