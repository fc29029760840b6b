import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every literal `t('key')` in an app's source (tests excluded), for the catalog tests: a key the code
 * asks for must be in the English catalog, as itself or as plural forms (`key.other`). Node-only.
 */
export function keysUsedIn(dir: string): string[] {
  const keys: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) keys.push(...keysUsedIn(path));
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name))
      for (const match of readFileSync(path, 'utf8').matchAll(/\bt\(\s*'([\w.]+)'/g)) keys.push(match[1]!);
  }
  return keys;
}
