import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { emptyDatabase } from './helpers.ts';

// The hub's test files share one workerd and its D1 over a worker's life (isolate: false in vitest.config.ts,
// which saves starting workerd and loading the hub for each of them): bring the schema up to date once, then
// start every file from an empty database.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
await emptyDatabase();
