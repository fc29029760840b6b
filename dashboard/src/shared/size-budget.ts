import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/**
 * A Vite build plugin: prints every emitted file's gzipped size and fails the build when the JavaScript
 * total is over `budgetBytes` (issue 6: manager ≤ 120 KB, staff display ≤ 60 KB). Node-only (build time).
 */
export function sizeBudget(label: string, budgetBytes: number): Plugin {
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
      const kb = (bytes: number) => (bytes / 1024).toFixed(1);
      const verdict = js <= budgetBytes ? 'within' : 'OVER';
      console.log(
        `\n${label}:\n${lines.join('\n')}\n  JS total ${kb(js)} KB gzipped, ${verdict} the ${budgetBytes / 1024} KB budget\n`,
      );
      if (js > budgetBytes) this.error(`${label} JS is ${kb(js)} KB gzipped, over ${budgetBytes / 1024} KB`);
    },
  };
}
