import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A folder of the edge package (edge/drizzle, edge/models/...), found by walking up from the calling module,
 * so the same code finds it running from edge/src/<domain>/ under tsx and from the edge/dist bundle.
 * `marker` is a file the folder must hold.
 */
export function edgePackageFolder(fromModuleUrl: string, folder: string, marker: string): string {
  let dir = dirname(fileURLToPath(fromModuleUrl));
  for (let depth = 0; depth < 5; depth++, dir = dirname(dir)) {
    const candidate = join(dir, folder);
    if (existsSync(join(candidate, marker))) return candidate;
  }
  throw new Error(`edge/${folder} (with ${marker}) not found beside the gateway code`);
}
