import { defineConfig } from 'drizzle-kit';

// `npx drizzle-kit generate --config hub/drizzle.config.ts` writes NNNN_name.sql files, the format
// `wrangler d1 migrations apply` reads from hub/migrations.
export default defineConfig({
  dialect: 'sqlite',
  schema: './hub/src/db/schema.ts',
  out: './hub/migrations',
  migrations: { prefix: 'index' },
});
