/**
 * `tsx edge/src/main.ts --config <file>` (or POURCAST_GATEWAY_CONFIG=<file>): loads and validates the
 * provisioning file, starts the gateway, closes it cleanly on SIGINT/SIGTERM. Exit 2: bad config; exit 3:
 * damaged database (restore a backup).
 */
import { parseArgs } from 'node:util';
import { loadGatewayConfig } from './config/load-config.ts';
import { DatabaseDamagedError } from './db/open-db.ts';
import { startGateway } from './gateway.ts';
import { createLogger, isLogLevel } from './log.ts';

const level = process.env.POURCAST_LOG_LEVEL;
const log = createLogger({ level: isLogLevel(level) ? level : 'info' });

const { values } = parseArgs({ options: { config: { type: 'string', short: 'c' } }, strict: true });
const file = values.config ?? process.env.POURCAST_GATEWAY_CONFIG;
if (!file) {
  process.stderr.write('usage: main.ts --config <gateway.json> (or POURCAST_GATEWAY_CONFIG)\n');
  process.exit(2);
}
const loaded = await loadGatewayConfig(file);
if (!loaded.ok) {
  process.stderr.write(
    `invalid gateway config ${file}:\n${loaded.errors.map((line) => `  ${line}`).join('\n')}\n`,
  );
  process.exit(2);
}

let stopping = false;
let gateway: Awaited<ReturnType<typeof startGateway>> | null = null;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  log.info('stopping', { signal });
  // A signal during start-up is handled once the gateway is up (see below).
  gateway?.close().then(
    () => process.exit(0),
    (error: unknown) => {
      log.error('close failed', { error });
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));

for (const migration of loaded.migrations) log.info('gateway config upgraded', { file, migration });
try {
  gateway = await startGateway(loaded.config, { logger: log });
} catch (error) {
  // A damaged database: one clear line naming the restore command, exit 3 (edge/src/db/open-db.ts).
  if (error instanceof DatabaseDamagedError) {
    log.error('refusing to start', { reason: error.message });
    process.stderr.write(`${error.message}\n`);
    process.exit(3);
  }
  throw error;
}
if (stopping) {
  await gateway.close();
  process.exit(0);
}
log.info('mqtt listening', { host: loaded.config.gateway.mqtt.host, port: gateway.mqttPort });
log.info('http listening', { host: loaded.config.gateway.http.host, port: gateway.httpPort });
