import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Seconds each long end-to-end file took in CI (clean clone, 2 cores, 2026-12-07). Vitest runs files it has no
 * timings for (every CI run: a clean clone has no cache) largest first, and these are short files that wait on
 * their processes, so `one-bar` (191 s) started last and ran alone for its last 150 s. Started first, it runs
 * beside the others. Only the order comes from here; an unlisted file keeps Vitest's order after these.
 */
export const E2E_SECONDS: Readonly<Record<string, number>> = {
  'test/one-bar.test.ts': 191,
  'test/restore.test.ts': 107,
  'test/pos-variance.test.ts': 106,
  'test/manager-dashboard.test.ts': 62,
  'test/camera.test.ts': 45,
};

/** Vitest's order (groups, projects, its cache), then, within a project, the files known to be long first. */
export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const seconds = (spec: TestSpecification) =>
      E2E_SECONDS[relative(this.ctx.config.root, spec.moduleId).split('\\').join('/')] ?? 0;
    // The base order keeps each project's files together: reorder inside each run of one project only.
    const runs: TestSpecification[][] = [];
    for (const spec of sorted) {
      const run = runs.at(-1);
      if (run && run[0]!.project.name === spec.project.name) run.push(spec);
      else runs.push([spec]);
    }
    // Array.prototype.sort is stable: unlisted files keep the base order among themselves.
    return runs.flatMap((run) => run.sort((a, b) => seconds(b) - seconds(a)));
  }
}
