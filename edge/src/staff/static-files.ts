import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { Context, Hono } from 'hono';
import { edgePackageFolder } from '../package-paths.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2',
};

/**
 * The staff display's build (`npm run build:staff -w @pourcast/dashboard`): `POURCAST_STAFF_DIR` when set,
 * else `staff/` beside the edge bundle (edge/build.mjs copies it there), else the dashboard's dist/staff in
 * the repo. Null when none has been built.
 */
export function findStaffBuild(moduleUrl = import.meta.url): string | null {
  const fromEnv = process.env.POURCAST_STAFF_DIR;
  if (fromEnv) return existsSync(join(fromEnv, 'index.html')) ? fromEnv : null;
  for (const folder of ['staff', 'dashboard/dist/staff']) {
    try {
      return edgePackageFolder(moduleUrl, folder, 'index.html');
    } catch {
      // not there: try the next place
    }
  }
  return null;
}

/**
 * Serves the built display: `/` is the app, `/assets/*` are hashed files cached for a year. Paths outside
 * the build folder are refused. Without a build, `/` says how to make one.
 */
export function serveStaffBuild(app: Hono, root: string | null): void {
  app.get('/', async (c) => {
    if (!root)
      return c.text(
        'The staff display is not built: run `npm run build:staff -w @pourcast/dashboard`.\n',
        503,
      );
    return c.body(await readFile(join(root, 'index.html')), 200, {
      'content-type': TYPES['.html']!,
      'cache-control': 'no-cache',
    });
  });
  app.get('/:file{[A-Za-z0-9._-]+\\.[a-z0-9]+}', (c) => sendFile(c, root, c.req.param('file'), 'no-cache'));
  app.get('/assets/:file{[A-Za-z0-9._-]+}', (c) =>
    sendFile(c, root, `assets/${c.req.param('file')}`, 'public, max-age=31536000, immutable'),
  );
}

async function sendFile(c: Context, root: string | null, relative: string, cache: string): Promise<Response> {
  const type = TYPES[extname(relative)];
  if (!root || !type) return c.notFound();
  const path = normalize(join(root, relative));
  if (!path.startsWith(root + sep) || !existsSync(path)) return c.notFound();
  return c.body(new Uint8Array(await readFile(path)), 200, { 'content-type': type, 'cache-control': cache });
}
