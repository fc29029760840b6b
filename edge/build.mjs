// Bundles the gateway for running without a TypeScript loader (a Pi in a bar, the benchmark):
// `node edge/dist/main.mjs --config gateway.json`. Workspace packages are bundled; npm packages stay external.
import { build } from 'esbuild';
import { cpSync, existsSync, readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
// Workspace packages (@pourcast/*) are TypeScript source: bundled, never external.
const external = [
  ...Object.keys(pkg.dependencies ?? {}),
  ...Object.keys(pkg.optionalDependencies ?? {}),
].filter((name) => !name.startsWith('@pourcast/'));
await build({
  entryPoints: [new URL('./src/main.ts', import.meta.url).pathname],
  outdir: new URL('./dist', import.meta.url).pathname,
  outExtension: { '.js': '.mjs' },
  // Dynamic imports stay separate chunks: TensorFlow.js and sharp load only on a gateway that has a camera.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // zod is the protocol's dependency: external too, resolved from the workspace's node_modules.
  external: [...external, 'zod'],
  sourcemap: true,
  logLevel: 'warning',
});
// The staff display's build travels with the bundle as dist/staff (edge/src/staff/static-files.ts finds it there).
const staffBuild = new URL('../dashboard/dist/staff/', import.meta.url).pathname;
if (existsSync(`${staffBuild}index.html`))
  cpSync(staffBuild, new URL('./dist/staff/', import.meta.url).pathname, { recursive: true });
else
  console.warn(
    'edge bundle: no staff display build (npm run build:staff -w @pourcast/dashboard); `/` will say so',
  );
