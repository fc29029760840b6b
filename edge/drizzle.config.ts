import { defineConfig } from 'drizzle-kit';

// `npx drizzle-kit generate --config edge/drizzle.config.ts` writes a new migration after a schema change.
export default defineConfig({
  dialect: 'sqlite',
  schema: './edge/src/db/schema.ts',
  out: './edge/drizzle',
});
