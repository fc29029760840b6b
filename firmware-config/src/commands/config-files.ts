import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { formatIssues, recordIdSchema } from '@pourcast/protocol';
import { CliError, EXIT_FAILURE, EXIT_INVALID, onePositional, type Command } from '../cli-kit.ts';
import { gatewayConfigJsonSchema } from '../json-schema.ts';
import { ConfigFileError, loadGatewayConfigFile } from '../load-gateway-config.ts';
import { provisionDemo } from '../provision-demo.ts';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check a gateway config; an older version is upgraded in memory and reported',
  usage: `Usage: pourcast-config validate <gateway.json>

Checks the file against the gateway config schema, upgrading an older version in memory (the file is
not changed). Problems are printed as \`path: message\` lines. Exit 2 when invalid, 1 when unreadable.`,
  options: {},
  async run({ positionals, out }) {
    const file = onePositional(this, positionals, 'file');
    try {
      const loaded = await loadGatewayConfigFile(file);
      for (const line of loaded.migrations) out.stdout(`upgraded ${line}\n`);
      out.stdout(
        `${file}: valid gateway config v${loaded.config.version}, ${loaded.config.devices.length} devices\n`,
      );
      return 0;
    } catch (error) {
      if (!(error instanceof ConfigFileError)) throw error;
      const unreadable = error.details.some((d) => d.startsWith('(file):'));
      throw new CliError(
        `${file} is not a valid gateway config:`,
        error.details,
        unreadable ? EXIT_FAILURE : EXIT_INVALID,
      );
    }
  },
};

/** Just what provisioning needs of the hub's items; other fields are ignored. */
const hubItemsSchema = z.array(z.object({ id: recordIdSchema, barcodes: z.array(z.string()) }));

export const provisionDemoCommand: Command = {
  name: 'provision-demo',
  summary: "create the demo bar's device identities and secrets (simulated bar, files only)",
  usage: `Usage: pourcast-config provision-demo [options]

Options:
  --out <dir>           gateway.json and devices/<id>.json go here (default data/provisioning)
  --bar <file>          the simulator's bar file (default data/bar/sim.json)
  --mqtt-host <host>    broker host the devices use (default 127.0.0.1)
  --mqtt-port <port>    broker port (default 1883)
  --force               new secrets even if <out>/gateway.json exists (devices must get the new bundles)
  --hub-items <file>    the hub's items as JSON ([{id, barcodes}], e.g. GET /api/v1/items): slots use
                        the hub's item ids, matched by barcode`,
  options: {
    out: { type: 'string' },
    bar: { type: 'string' },
    'mqtt-host': { type: 'string' },
    'mqtt-port': { type: 'string' },
    force: { type: 'boolean' },
    'hub-items': { type: 'string' },
  },
  async run({ values, out }) {
    const port = values['mqtt-port'] === undefined ? 1883 : Number(values['mqtt-port']);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new CliError('--mqtt-port: must be a port number 1-65535', [], EXIT_INVALID);
    let hubItems: Array<{ id: string; barcodes: string[] }> | undefined;
    if (typeof values['hub-items'] === 'string') {
      let raw: unknown;
      try {
        raw = JSON.parse(await readFile(values['hub-items'], 'utf8'));
      } catch (error) {
        raw = { error: (error as Error).message };
      }
      const parsed = hubItemsSchema.safeParse(raw);
      if (!parsed.success)
        throw new CliError(
          `${values['hub-items']} is not a list of hub items:`,
          formatIssues(parsed.error),
          EXIT_INVALID,
        );
      hubItems = parsed.data;
    }
    const outcome = await provisionDemo({
      ...(hubItems ? { hubItems } : {}),
      outDir: (values.out as string | undefined) ?? 'data/provisioning',
      barFile: (values.bar as string | undefined) ?? 'data/bar/sim.json',
      mqttHost: (values['mqtt-host'] as string | undefined) ?? '127.0.0.1',
      mqttPort: port,
      force: values.force === true,
    });
    if (outcome.status === 'kept') {
      out.stdout(`${outcome.gatewayConfigPath} exists; kept it (use --force for new secrets)\n`);
    } else {
      out.stdout(`wrote ${outcome.written.gatewayConfigPath} (secret hashes only)\n`);
      for (const path of Object.values(outcome.written.deviceBundlePaths))
        out.stdout(`wrote ${path} (device secret, 0600)\n`);
      out.stdout(`wrote ${outcome.barFile} (simulated bar)\n`);
    }
    return 0;
  },
};

export const schemaCommand: Command = {
  name: 'schema',
  summary: "print the gateway config's JSON Schema (for editors)",
  usage: `Usage: pourcast-config schema

Prints the JSON Schema of the gateway config, exported from its zod schema; point your editor at it.`,
  options: {},
  async run({ out }) {
    out.stdout(`${JSON.stringify(gatewayConfigJsonSchema(), null, 2)}\n`);
    return 0;
  },
};
