// Bundles the gateway for running without a TypeScript loader (a Pi in a bar, the benchmark):
// `node edge/dist/main.mjs --config gateway.json`. Workspace packages are bundled; npm packages stay external.
import { build } from 'esbuild';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

// Workspace packages (@pourcast/*) are TypeScript source: bundled. Every other bare import (npm packages,
// including those a workspace package brings, such as firmware-config's qrcode) stays external and is
// resolved from the workspace's node_modules at run time: esbuild's ESM output cannot carry a CommonJS
// package's own `require("fs")` (qrcode → pngjs failed at start with `Dynamic require of "fs"`).
const npmPackagesExternal = {
  name: 'npm-packages-external',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@pourcast/') || args.kind === 'entry-point') return undefined;
      return { path: args.path, external: true };
    });
  },
};
// A module that runs itself when it is the entry (`import.meta.url === pathToFileURL(process.argv[1])`,
// firmware-config's CLI) would run inside the bundle too, where every module shares the bundle's URL: the
// gateway printed pourcast-config's usage and exited 2. Its guard compares against its own source file.
const mainGuardsKeepTheirSource = {
  name: 'main-guards-keep-their-source',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!/import\.meta\.url\s*===/.test(source)) return undefined;
      const own = JSON.stringify(pathToFileURL(args.path).href);
      return { contents: source.replace(/import\.meta\.url(\s*===)/g, `${own}$1`), loader: 'ts' };
    });
  },
};
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
  plugins: [npmPackagesExternal, mainGuardsKeepTheirSource],
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
