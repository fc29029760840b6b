import { readFile } from 'node:fs/promises';
import { formatIssues, gatewayConfigSchema, type GatewayConfig } from '@pourcast/protocol';
import { migrateGatewayConfig } from './migrations.ts';

export class ConfigFileError extends Error {
  override readonly name = 'ConfigFileError';
  constructor(
    readonly file: string,
    readonly details: string[],
  ) {
    super(`${file}:\n${details.join('\n')}`);
  }
}

export interface LoadedGatewayConfig {
  config: GatewayConfig;
  /** The version the file was written in; below the current one when it was upgraded. */
  fromVersion: number;
  /** Upgrades applied, one line each. */
  migrations: string[];
}

/** Parses JSON text, upgrades older versions and validates; failures are `path: message` lines. */
export function parseGatewayConfigText(text: string, file = 'gateway config'): LoadedGatewayConfig {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigFileError(file, [`(root): malformed JSON: ${(error as Error).message}`]);
  }
  const migrated = migrateGatewayConfig(value);
  if (!migrated.ok) throw new ConfigFileError(file, migrated.errors);
  const result = gatewayConfigSchema.safeParse(migrated.value);
  if (!result.success) throw new ConfigFileError(file, formatIssues(result.error));
  return { config: result.data, fromVersion: migrated.fromVersion, migrations: migrated.applied };
}

export async function loadGatewayConfigFile(path: string): Promise<LoadedGatewayConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigFileError(path, [
      `(file): cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`,
    ]);
  }
  return parseGatewayConfigText(text, path);
}

/** The gateway config at `path`, upgraded to the current version and validated. Throws ConfigFileError. */
export async function loadGatewayConfig(path: string): Promise<GatewayConfig> {
  return (await loadGatewayConfigFile(path)).config;
}
