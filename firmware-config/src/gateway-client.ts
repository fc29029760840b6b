import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { loadGatewayConfigFile, ConfigFileError } from './load-gateway-config.ts';
import { CliError, EXIT_FAILURE, EXIT_INVALID, type Out, type Values } from './cli-kit.ts';

/** Options every command that talks to a gateway takes. */
export const gatewayOptions = {
  config: { type: 'string' },
  gateway: { type: 'string' },
  'token-file': { type: 'string' },
  'dry-run': { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

export const GATEWAY_OPTIONS_USAGE = `Gateway options (every device command):
  --config <file>       the gateway's config (default $POURCAST_CONFIG): its HTTP address and dataDir/admin-token
  --gateway <url>       the gateway's HTTP API instead (default from --config, else http://127.0.0.1:8080)
  --token-file <file>   the gateway admin token (default <dataDir>/admin-token from --config, or $POURCAST_ADMIN_TOKEN_FILE)
  --dry-run             print the request instead of sending it
  --json                print the gateway's JSON answer`;

const errorEnvelopeSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.array(z.string()).optional() }),
});

export interface GatewayTarget {
  url: string;
  token: string;
  dryRun: boolean;
  out: Out;
}

/** Where the gateway is and the admin token, from --gateway/--token-file or the gateway config. */
export async function resolveGateway(
  values: Values,
  env: Record<string, string | undefined>,
  out: Out,
): Promise<GatewayTarget> {
  const configPath = (values.config as string | undefined) ?? env.POURCAST_CONFIG;
  let url = values.gateway as string | undefined;
  let tokenFile = (values['token-file'] as string | undefined) ?? env.POURCAST_ADMIN_TOKEN_FILE;
  if (configPath && (!url || !tokenFile)) {
    try {
      const { config } = await loadGatewayConfigFile(configPath);
      const host = ['0.0.0.0', '::'].includes(config.gateway.http.host)
        ? '127.0.0.1'
        : config.gateway.http.host;
      url ??= `http://${host.includes(':') ? `[${host}]` : host}:${config.gateway.http.port}`;
      tokenFile ??= join(config.gateway.dataDir, 'admin-token');
    } catch (error) {
      if (error instanceof ConfigFileError)
        throw new CliError(`${configPath} is not a valid gateway config`, error.details, EXIT_INVALID);
      throw error;
    }
  }
  url ??= 'http://127.0.0.1:8080';
  const dryRun = values['dry-run'] === true;
  if (!tokenFile) {
    if (dryRun) return { url, token: '', dryRun, out };
    throw new CliError(
      'no admin token: pass --config <gateway.json> or --token-file <file>',
      [],
      EXIT_INVALID,
    );
  }
  let token: string;
  try {
    token = (await readFile(tokenFile, 'utf8')).trim();
  } catch (error) {
    throw new CliError(`cannot read the admin token`, [
      `${tokenFile}: ${(error as NodeJS.ErrnoException).code ?? error}`,
    ]);
  }
  return { url: url.replace(/\/+$/, ''), token, dryRun, out };
}

/**
 * One request to the gateway's API. Its error envelope becomes a CliError with the `path: message` lines;
 * a 4xx exits 2 (fix the input), anything else 1. With --dry-run the request is printed, not sent.
 */
export async function gatewayRequest(
  target: GatewayTarget,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const url = `${target.url}/api/v1${path}`;
  if (target.dryRun && method !== 'GET') {
    target.out.stdout(
      `dry run: ${method} ${url}${body === undefined ? '' : `\n${JSON.stringify(body, null, 2)}`}\n`,
    );
    return undefined;
  }
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${target.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(60_000),
    });
  } catch (error) {
    throw new CliError(`cannot reach the gateway at ${target.url}: ${(error as Error).message}`);
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    throw new CliError(`the gateway answered ${response.status} with something other than JSON`);
  }
  if (response.ok) return json;
  const envelope = errorEnvelopeSchema.safeParse(json);
  const message = envelope.success ? envelope.data.error.message : `HTTP ${response.status}`;
  const details = envelope.success ? (envelope.data.error.details ?? []) : [];
  throw new CliError(
    `the gateway refused: ${message}`,
    details,
    response.status >= 400 && response.status < 500 ? EXIT_INVALID : EXIT_FAILURE,
  );
}
