import { GATEWAY_CONFIG_VERSION } from '@pourcast/protocol';

/**
 * Upgrades of the gateway config, one version step each (zigbee2mqtt settingsMigration style): an old file
 * is upgraded, not rejected. Only v1 has shipped; v0 is the pre-release shape some test rigs still carry,
 * with the broker and HTTP ports at the top level:
 *   { version: 0 | absent, name, mqttPort, httpPort?, hubUrl?, dataDir?, devices }
 */
export interface Migration {
  from: number;
  to: number;
  describe: string;
  migrate(value: Record<string, unknown>): Record<string, unknown>;
}

export const gatewayConfigMigrations: readonly Migration[] = [
  {
    from: 0,
    to: 1,
    describe: 'move name, dataDir, mqttPort, httpPort and hubUrl under `gateway`',
    migrate(v0) {
      const { version: _version, name, dataDir, mqttPort, mqttHost, httpPort, hubUrl, ...rest } = v0;
      const gateway: Record<string, unknown> = {};
      if (name !== undefined) gateway.name = name;
      if (dataDir !== undefined) gateway.dataDir = dataDir;
      if (mqttPort !== undefined || mqttHost !== undefined)
        gateway.mqtt = {
          ...(mqttHost !== undefined ? { host: mqttHost } : {}),
          ...(mqttPort !== undefined ? { port: mqttPort } : {}),
        };
      if (httpPort !== undefined) gateway.http = { port: httpPort };
      if (hubUrl !== undefined) gateway.hub = { url: hubUrl };
      return { ...rest, version: 1, gateway };
    },
  },
];

export type MigrationOutcome =
  { ok: true; value: unknown; fromVersion: number; applied: string[] } | { ok: false; errors: string[] };

/** The file's version: its `version`, or 0 for a file from before versions. */
function versionOf(value: Record<string, unknown>): number | undefined {
  if (value.version === undefined) return 0;
  return typeof value.version === 'number' && Number.isInteger(value.version) && value.version >= 0
    ? value.version
    : undefined;
}

/** Applies every migration from the file's version up to the current one; the result still needs validating. */
export function migrateGatewayConfig(
  value: unknown,
  migrations: readonly Migration[] = gatewayConfigMigrations,
  current = GATEWAY_CONFIG_VERSION,
): MigrationOutcome {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, errors: ['(root): must be a JSON object'] };
  let doc = value as Record<string, unknown>;
  const fromVersion = versionOf(doc);
  if (fromVersion === undefined) return { ok: false, errors: ['version: must be a whole number'] };
  if (fromVersion > current)
    return {
      ok: false,
      errors: [
        `version: ${fromVersion} is newer than this tool understands (${current}); update firmware-config`,
      ],
    };
  const applied: string[] = [];
  for (let version = fromVersion; version < current;) {
    const step = migrations.find((m) => m.from === version);
    if (!step) return { ok: false, errors: [`version: no upgrade from version ${version}`] };
    doc = step.migrate(doc);
    applied.push(`v${step.from} → v${step.to}: ${step.describe}`);
    version = step.to;
  }
  return { ok: true, value: doc, fromVersion, applied };
}
