import { readFile } from 'node:fs/promises';
import { claimCodeResponseSchema, loginResponseSchema } from '@pourcast/protocol';
import { z } from 'zod';
import { CliError, EXIT_FAILURE, EXIT_INVALID, requireString, type Command } from '../cli-kit.ts';
import { ConfigFileError, loadGatewayConfigFile } from '../load-gateway-config.ts';
import { writePrivateFile } from '../write-provisioning.ts';

const envelopeSchema = z.object({
  error: z.object({ message: z.string(), details: z.array(z.string()).optional() }),
});

async function hubPost(url: string, body: unknown, token?: string): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body ?? {}),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new CliError(`cannot reach the hub: ${(error as Error).message}`);
  }
  const json: unknown = await response.json().catch(() => undefined);
  if (response.ok) return json;
  const envelope = envelopeSchema.safeParse(json);
  throw new CliError(
    `the hub refused: ${envelope.success ? envelope.data.error.message : `HTTP ${response.status}`}`,
    envelope.success ? (envelope.data.error.details ?? []) : [],
    response.status === 401 || response.status === 403 || response.status === 404
      ? EXIT_INVALID
      : EXIT_FAILURE,
  );
}

export const claimCommand: Command = {
  name: 'claim',
  summary:
    "get a one-time claim code from the hub with your technician login and write it into the gateway's config",
  usage: `Usage: pourcast-config claim --config <gateway.json> --location <locationId> --email <you@example.com>

Logs in to the hub as an owner, manager or technician, asks it for a one-time claim code for the bar
(POST /api/v1/locations/<id>/claim-codes, valid 24 h) and writes the code and the hub's URL into the
gateway's config. The gateway claims itself with it on its next start (restart it).

Options:
  --config <file>       the gateway config to update (default $POURCAST_CONFIG)
  --location <id>       the bar's location id on the hub
  --email <email>       your hub login
  --password-file <f>   a file holding your password (default $POURCAST_PASSWORD); never a flag
  --hub <url>           the hub (default the config's gateway.hub.url)
  --dry-run             log in and show what would change, without asking for a code or writing`,
  options: {
    config: { type: 'string' },
    location: { type: 'string' },
    email: { type: 'string' },
    'password-file': { type: 'string' },
    hub: { type: 'string' },
    'dry-run': { type: 'boolean' },
  },
  async run({ values, out, env }) {
    const configPath = (values.config as string | undefined) ?? env.POURCAST_CONFIG;
    if (!configPath) throw new CliError('--config: required', [], EXIT_INVALID);
    const location = requireString(values, 'location');
    const email = requireString(values, 'email');
    const passwordFile = values['password-file'] as string | undefined;
    const password = passwordFile
      ? (
          await readFile(passwordFile, 'utf8').catch(() => {
            throw new CliError(`cannot read ${passwordFile}`);
          })
        ).trim()
      : env.POURCAST_PASSWORD;
    if (!password)
      throw new CliError('no password: --password-file <file> or $POURCAST_PASSWORD', [], EXIT_INVALID);
    let loaded;
    try {
      loaded = await loadGatewayConfigFile(configPath);
    } catch (error) {
      if (error instanceof ConfigFileError)
        throw new CliError(`${configPath} is not a valid gateway config`, error.details, EXIT_INVALID);
      throw error;
    }
    const hub = ((values.hub as string | undefined) ?? loaded.config.gateway.hub.url).replace(/\/+$/, '');
    const session = loginResponseSchema.safeParse(
      await hubPost(`${hub}/api/v1/auth/login`, { email, password }),
    );
    if (!session.success) throw new CliError('the hub answered the login with an unexpected shape');
    if (values['dry-run']) {
      out.stdout(
        `dry run: logged in as ${session.data.user.email} (${session.data.user.role}); would POST ${hub}/api/v1/locations/${location}/claim-codes and write gateway.hub.claimCode into ${configPath}\n`,
      );
      return 0;
    }
    const code = claimCodeResponseSchema.parse(
      await hubPost(
        `${hub}/api/v1/locations/${encodeURIComponent(location)}/claim-codes`,
        {},
        session.data.token,
      ),
    );
    // Written back in the current version: an older file is upgraded on the way.
    const config = structuredClone(loaded.config);
    config.gateway.hub = { ...config.gateway.hub, url: hub, claimCode: code.code };
    await writePrivateFile(configPath, `${JSON.stringify(config, null, 2)}\n`);
    out.stdout(
      `wrote a claim code for location ${location} into ${configPath} (valid until ${code.expiresAt}); restart the gateway to claim\n`,
    );
    return 0;
  },
};
