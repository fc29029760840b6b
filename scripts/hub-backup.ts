/**
 * The hub's D1 backups with wrangler (docs/RELIABILITY.md "Hub and security").
 *
 *   tsx scripts/hub-backup.ts backup  [--remote | --persist-to DIR] [--dir backups/hub] [--keep 14]
 *   tsx scripts/hub-backup.ts restore FILE --persist-to FRESH_DIR        (local only; refuses a non-empty target)
 *   tsx scripts/hub-backup.ts verify  --persist-to DIR [--dir backups/hub]  (backup, restore into a temp dir, compare)
 *
 * `backup` runs `wrangler d1 export` into `hub-<UTC timestamp>.sql` and keeps the newest `--keep` files.
 * Restoring into production is deliberately not scripted: create a new database (`wrangler d1 create`),
 * `wrangler d1 execute <new> --remote --file FILE`, check it, then point wrangler.toml's database_id at it.
 */
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = resolve(import.meta.dirname, '..');
const WRANGLER = join(ROOT, 'node_modules/.bin/wrangler');
const BINDING = 'DB';

function wrangler(args: string[]): string {
  return execFileSync(WRANGLER, args, {
    cwd: ROOT,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 256 * 1024 * 1024,
  });
}

const where = (remote: boolean, persistTo?: string) =>
  remote ? ['--remote'] : ['--local', ...(persistTo ? ['--persist-to', resolve(persistTo)] : [])];

/** `hub-20260601T201500Z.sql`: sorts by time. */
const stamp = (now: Date) =>
  now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');

export function backup(options: {
  dir: string;
  keep: number;
  remote: boolean;
  persistTo?: string;
  now?: Date;
}) {
  const dir = resolve(options.dir);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `hub-${stamp(options.now ?? new Date())}.sql`);
  if (options.remote || !options.persistTo) {
    wrangler(['d1', 'export', BINDING, options.remote ? '--remote' : '--local', '--output', file]);
  } else {
    // `d1 export` has no --persist-to: it reads <config dir>/.wrangler/state. Point a scratch config's state there.
    const scratch = mkdtempSync(join(tmpdir(), 'pourcast-export-'));
    try {
      copyFileSync(join(ROOT, 'wrangler.toml'), join(scratch, 'wrangler.toml'));
      mkdirSync(join(scratch, '.wrangler'));
      symlinkSync(resolve(options.persistTo), join(scratch, '.wrangler', 'state'));
      wrangler([
        'd1',
        'export',
        BINDING,
        '--local',
        '--config',
        join(scratch, 'wrangler.toml'),
        '--output',
        file,
      ]);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  if (!existsSync(file) || statSync(file).size === 0) throw new Error(`wrangler wrote no export at ${file}`);
  const removed = rotate(dir, options.keep);
  return { file, removed };
}

/** Keeps the newest `keep` backups (by name, which is by time); answers the files removed. */
export function rotate(dir: string, keep: number): string[] {
  const backups = readdirSync(dir)
    .filter((name) => /^hub-\d{8}T\d{6}Z\.sql$/.test(name))
    .sort()
    .reverse();
  const old = backups.slice(Math.max(1, keep)).map((name) => join(dir, name));
  for (const file of old) rmSync(file);
  return old;
}

export function restore(file: string, persistTo: string) {
  const target = resolve(persistTo);
  if (existsSync(target) && readdirSync(target).length > 0)
    throw new Error(`${target} is not empty: restore into a fresh folder, then swap it in`);
  wrangler(['d1', 'execute', BINDING, ...where(false, target), '--file', resolve(file), '--yes']);
}

/** Row counts of every table (the hub's and D1's bookkeeping alike), read through wrangler. */
export function rowCounts(persistTo: string): Record<string, number> {
  const query = (sql: string) =>
    (
      JSON.parse(
        wrangler(['d1', 'execute', BINDING, ...where(false, persistTo), '--json', '--command', sql]),
      ) as {
        results: Record<string, unknown>[];
      }[]
    )[0]!.results;
  const tables = query(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' ORDER BY name",
  ).map((row) => String(row.name));
  if (tables.length === 0) return {};
  // One row, a scalar subquery per table (a UNION of 50 SELECTs passes SQLite's compound-select limit).
  const [row] = query(`SELECT ${tables.map((t) => `(SELECT COUNT(*) FROM "${t}") AS "${t}"`).join(', ')}`);
  return Object.fromEntries(tables.map((t) => [t, Number(row![t])]));
}

function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      dir: { type: 'string', default: 'backups/hub' },
      keep: { type: 'string', default: '14' },
      remote: { type: 'boolean', default: false },
      'persist-to': { type: 'string' },
    },
  });
  const [command, file] = positionals;
  const persistTo = values['persist-to'];
  if (command === 'backup') {
    const result = backup({ dir: values.dir!, keep: Number(values.keep), remote: values.remote!, persistTo });
    console.log(
      `backup: ${result.file}${result.removed.length ? `; rotated out ${result.removed.length}` : ''}`,
    );
  } else if (command === 'restore' && file && persistTo) {
    restore(file, persistTo);
    console.log(`restored ${file} into ${resolve(persistTo)}: ${JSON.stringify(rowCounts(persistTo))}`);
  } else if (command === 'verify' && persistTo) {
    const source = rowCounts(persistTo);
    const { file: made } = backup({ dir: values.dir!, keep: Number(values.keep), remote: false, persistTo });
    const scratch = mkdtempSync(join(tmpdir(), 'pourcast-restore-'));
    try {
      restore(made, join(scratch, 'd1'));
      const restored = rowCounts(join(scratch, 'd1'));
      const differ = Object.keys({ ...source, ...restored }).filter(
        (t) => source[t] !== restored[t] && t !== 'd1_migrations',
      );
      if (differ.length)
        throw new Error(
          `restore differs in ${differ.map((t) => `${t} ${source[t]}→${restored[t]}`).join(', ')}`,
        );
      const rows = Object.values(source).reduce((a, b) => a + b, 0);
      console.log(
        `verify: ${made} restores ${Object.keys(source).length} tables, ${rows} rows, identical counts`,
      );
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  } else {
    console.error(
      'usage: hub-backup.ts backup [--remote|--persist-to DIR] [--dir D] [--keep N] | restore FILE --persist-to FRESH | verify --persist-to DIR',
    );
    process.exitCode = 2;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    main();
  } catch (error) {
    const failed = error as Error & { stderr?: string; stdout?: string };
    console.error(failed.stderr || failed.stdout || failed.message);
    process.exitCode = 1;
  }
}
