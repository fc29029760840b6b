import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { freePort, run, startChild, StopWaiting, waitFor, type RunningChild } from './processes.ts';
import { ensureManagerBuild } from './manager-build.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
const WRANGLER = join(REPO_ROOT, 'node_modules/.bin/wrangler');

export interface HubProcessOptions {
  /** Folder for the local D1 database and the hub's secrets file. */
  dataDir: string;
  port?: number;
  /**
   * A local D1 folder `applyMigrations` migrated in this run: a new hub database starts as a copy of it
   * instead of applying every migration from scratch (the same tables, ~7 s less per start).
   */
  migratedD1?: string;
  onLine?: (line: string) => void;
}

export interface HubProcess {
  url: string;
  port: number;
  process: RunningChild;
  stop(): Promise<void>;
}

/** The hub's local secrets live in an env file beside its database, made once with a random JWT secret. */
function ensureSecretsFile(dataDir: string): string {
  const file = join(dataDir, 'hub.env');
  if (!existsSync(file)) {
    writeFileSync(file, `JWT_SECRET=${randomBytes(48).toString('base64url')}\n`, { mode: 0o600 });
  }
  return file;
}

/**
 * Applies the hub's D1 migrations to the local database under `persist` (`wrangler d1 migrations apply`). The
 * e2e suites run it once per run into a folder each stack's hub copies (`migratedD1`), instead of every stack
 * repeating the same from-scratch run.
 */
export async function applyMigrations(persist: string): Promise<void> {
  await run(WRANGLER, ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persist], {
    cwd: REPO_ROOT,
    env: { CI: 'true' },
  });
}

/** Applies the D1 migrations to the local database, then runs the Worker under `wrangler dev` (workerd). */
export async function startHub(options: HubProcessOptions): Promise<HubProcess> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const envFile = ensureSecretsFile(dataDir);
  await ensureManagerBuild(REPO_ROOT);
  const persist = join(dataDir, 'd1');
  if (options.migratedD1 && !existsSync(persist)) cpSync(options.migratedD1, persist, { recursive: true });
  else await applyMigrations(persist);
  const port = options.port ?? (await freePort());
  const inspectorPort = await freePort();
  const child = startChild(
    WRANGLER,
    [
      'dev',
      '--local',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--inspector-port',
      String(inspectorPort),
      '--persist-to',
      persist,
      '--env-file',
      envFile,
      '--show-interactive-dev-session=false',
      '--log-level',
      'warn',
    ],
    {
      name: 'hub',
      cwd: REPO_ROOT,
      // wrangler registers each `wrangler dev` by worker name in a shared dev registry (for service bindings,
      // which the hub has none of): each hub keeps its own beside its data, so two hubs at once (two e2e
      // files) never overwrite or remove each other's entry.
      env: { WRANGLER_REGISTRY_PATH: join(dataDir, 'dev-registry') },
      onLine: options.onLine,
    },
  );
  const url = `http://127.0.0.1:${port}`;
  let exitedEarly: number | string | undefined;
  void child.exited.then((code) => (exitedEarly = code));
  await waitFor(
    'the hub to answer /api/v1/health',
    async () => {
      if (exitedEarly !== undefined) throw new StopWaiting(`wrangler dev exited with ${exitedEarly}`);
      const response = await fetch(`${url}/api/v1/health`);
      return response.ok ? true : undefined;
    },
    90_000,
  );
  return { url, port, process: child, stop: () => child.stop() };
}
