import { mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The hub's tests run inside workerd with the real D1 (miniflare), migrations applied in test/apply-migrations.ts.
export default defineConfig(async () => {
  const migrations = await readD1Migrations(here('./migrations'));
  // wrangler.toml serves the manager build as static assets; the folder must exist even before a build.
  mkdirSync(here('../dashboard/dist/manager'), { recursive: true });
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: here('../wrangler.toml') },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            // A fresh random signing key per run: no secret lives in the repo.
            JWT_SECRET: randomBytes(32).toString('base64url'),
            // POURCAST_SOAK=1 runs the long fuzz (hub/test/http-fuzz.test.ts): 100,000 cases instead of 300.
            POURCAST_SOAK: process.env.POURCAST_SOAK ?? '',
          },
        },
      }),
    ],
    test: {
      name: 'hub',
      root: here('.'),
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      setupFiles: ['./test/apply-migrations.ts'],
      // One workerd per worker for all its files instead of one per file: starting workerd and loading the
      // hub was most of the project's time (323 s for 69 files, 97 s of it tests; now about 40 s on 2 cores).
      // Each file still starts from an empty database (test/apply-migrations.ts) and calls the Worker's fetch
      // handler directly (test/helpers.ts viaWorker), since the pool's own entrypoint slows down file by file.
      isolate: false,
      // PBKDF2 logins and the demo seed take seconds of CPU on a loaded 2-core machine: never a timing test.
      testTimeout: 60_000,
    },
  };
});
