import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './processes.ts';

/** Newest modification time under a folder (source files of the manager app). */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/**
 * The hub serves dashboard/dist/manager as static assets (wrangler.toml [assets]): build it when it is
 * missing or older than its sources, so `npm start` and the e2e stack always serve the current app.
 */
export async function ensureManagerBuild(repoRoot: string): Promise<void> {
  const dashboard = join(repoRoot, 'dashboard');
  const built = join(dashboard, 'dist/manager/index.html');
  const sources = Math.max(newest(join(dashboard, 'src/manager')), newest(join(dashboard, 'src/shared')));
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  await run('npm', ['run', 'build:manager', '-w', '@pourcast/dashboard'], { cwd: repoRoot });
}
