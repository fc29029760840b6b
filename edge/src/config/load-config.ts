import type { GatewayConfig } from '@pourcast/protocol';
import {
  ConfigFileError,
  loadGatewayConfigFile,
  parseGatewayConfigText,
} from '@pourcast/firmware-config/config';

export type LoadedConfig =
  { ok: true; config: GatewayConfig; migrations: string[] } | { ok: false; errors: string[] };

/**
 * Reads a gateway provisioning file through firmware-config's loader, the one place that upgrades an older
 * file version before validating it; every failure is a `path: message` line.
 */
export async function loadGatewayConfig(file: string): Promise<LoadedConfig> {
  return settle(() => loadGatewayConfigFile(file));
}

export async function parseGatewayConfig(text: string): Promise<LoadedConfig> {
  return settle(async () => parseGatewayConfigText(text));
}

async function settle(
  load: () => Promise<{ config: GatewayConfig; migrations: string[] }>,
): Promise<LoadedConfig> {
  try {
    const { config, migrations } = await load();
    return { ok: true, config, migrations };
  } catch (error) {
    if (error instanceof ConfigFileError) return { ok: false, errors: error.details };
    throw error;
  }
}
