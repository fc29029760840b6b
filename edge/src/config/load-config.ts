import { readFile } from 'node:fs/promises';
import { formatIssues, gatewayConfigSchema, type GatewayConfig } from '@pourcast/protocol';

export type LoadedConfig = { ok: true; config: GatewayConfig } | { ok: false; errors: string[] };

/** Reads and validates a gateway provisioning file; every failure is a `path: message` line. */
export async function loadGatewayConfig(file: string): Promise<LoadedConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return {
      ok: false,
      errors: [`(file): cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`],
    };
  }
  return parseGatewayConfig(text);
}

export function parseGatewayConfig(text: string): LoadedConfig {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, errors: [`(root): malformed JSON: ${(error as Error).message}`] };
  }
  const result = gatewayConfigSchema.safeParse(value);
  if (!result.success) return { ok: false, errors: formatIssues(result.error) };
  return { ok: true, config: result.data };
}
