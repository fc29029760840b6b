import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { E2E_SECONDS } from './longest-first.ts';

it('lists only end-to-end files that exist (a renamed file would silently lose its place at the front)', () => {
  const root = fileURLToPath(new URL('..', import.meta.url));
  for (const file of Object.keys(E2E_SECONDS)) expect(existsSync(`${root}${file}`), file).toBe(true);
});
