import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { applyMigrations, REPO_ROOT } from './hub-process.ts';
import { ensureManagerBuild } from './manager-build.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A local D1 with the hub's migrations applied, made once per run for every e2e stack to copy. */
    migratedD1: string;
  }
}

let dir: string | undefined;

/**
 * Once per run, before the e2e files (test/vitest.config.ts globalSetup): the work every stack would repeat.
 * The manager app is built here rather than by two stacks starting at once, and the hub's migrations run once
 * into a folder each stack's hub copies as its fresh database.
 */
export async function setup(project: TestProject) {
  await ensureManagerBuild(REPO_ROOT);
  dir = mkdtempSync(join(tmpdir(), 'pourcast-migrated-d1-'));
  const migrated = join(dir, 'd1');
  await applyMigrations(migrated);
  project.provide('migratedD1', migrated);
}

export function teardown() {
  if (dir) rmSync(dir, { recursive: true, force: true });
}
