/**
 * `npm run gateway:backup -- <command> (--config <gateway.json> | --data-dir <dir>)`
 *   backup                 one online backup now (safe while the gateway runs)
 *   list                   backups, newest first
 *   restore --latest       put the newest sound backup in place (stop the gateway first)
 *   restore --from <file>  put that backup in place
 * Exit 0 done, 1 failed, 2 usage.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadGatewayConfig } from '../config/load-config.ts';
import { checkBackup, listBackups, restoreBackup, rotateBackups, takeBackup } from './backup-files.ts';

const USAGE = `usage: backup-cli.ts <backup|list|restore> (--config <gateway.json> | --data-dir <dir>)
                     [--backup-dir <dir>] [restore: --latest | --from <file>]\n`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      config: { type: 'string', short: 'c' },
      'data-dir': { type: 'string' },
      'backup-dir': { type: 'string' },
      from: { type: 'string' },
      latest: { type: 'boolean' },
    },
  });
  const command = positionals[0];
  let dataDir = values['data-dir'];
  let backupDir = values['backup-dir'];
  let keep = 8;
  if (values.config) {
    const loaded = await loadGatewayConfig(values.config);
    if (!loaded.ok) {
      process.stderr.write(`invalid gateway config ${values.config}:\n  ${loaded.errors.join('\n  ')}\n`);
      return 2;
    }
    dataDir ??= loaded.config.gateway.dataDir;
    backupDir ??= loaded.config.gateway.backup.dir;
    keep = loaded.config.gateway.backup.keep;
  }
  if (!dataDir || !['backup', 'list', 'restore'].includes(command ?? '')) {
    process.stderr.write(USAGE);
    return 2;
  }
  backupDir ??= join(dataDir, 'backups');

  if (command === 'backup') {
    const file = await takeBackup(join(dataDir, 'gateway.db'), backupDir);
    rotateBackups(backupDir, keep);
    process.stdout.write(`${file.path} (${file.bytes} bytes)\n`);
    return 0;
  }
  if (command === 'list') {
    for (const file of listBackups(backupDir))
      process.stdout.write(`${file.takenAt.toISOString()}  ${file.bytes}  ${file.path}\n`);
    return 0;
  }
  let from = values.from;
  if (!from && values.latest) {
    for (const file of listBackups(backupDir)) {
      const problem = await checkBackup(file.path);
      if (!problem) {
        from = file.path;
        break;
      }
      process.stderr.write(`skipping ${file.path}: ${problem}\n`);
    }
    if (!from) {
      process.stderr.write(`no sound backup in ${backupDir}\n`);
      return 1;
    }
  }
  if (!from) {
    process.stderr.write(USAGE);
    return 2;
  }
  const { restored, movedAside, restorePoint } = await restoreBackup(dataDir, from);
  process.stdout.write(`restored ${from} -> ${restored}\n`);
  process.stdout.write(
    `ledger seq ${restorePoint} at the backup: on start the gateway asks the hub for its ack and numbers new events above it before forwarding\n`,
  );
  for (const path of movedAside) process.stdout.write(`kept the replaced file as ${path}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`failed: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
