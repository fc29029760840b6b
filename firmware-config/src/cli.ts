#!/usr/bin/env tsx
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { formatIssues, recordIdSchema } from '@pourcast/protocol';
import { ConfigFileError, loadGatewayConfigFile } from './load-gateway-config.ts';
import { gatewayConfigJsonSchema } from './json-schema.ts';
import { provisionDemo } from './provision-demo.ts';

export const CONFIG_USAGE = `pourcast-config: provisioning files for a Pourcast gateway and its devices.

Usage: tsx firmware-config/src/cli.ts <command> [options]

Commands:
  validate <file>       check a gateway config; an older version is upgraded in memory and reported
  provision-demo        create the demo bar's device identities and secrets:
      --out <dir>         gateway.json and devices/<id>.json go here (default data/provisioning)
      --bar <file>        the simulator's bar file (default data/bar/sim.json)
      --mqtt-host <host>  broker host the devices use (default 127.0.0.1)
      --mqtt-port <port>  broker port (default 1883)
      --force             new secrets even if <out>/gateway.json exists (devices must get the new bundles)
      --hub-items <file>  the hub's items as JSON ([{id, barcodes}], e.g. GET /api/v1/items): slots use
                          the hub's item ids, matched by barcode
  schema                print the gateway config's JSON Schema (for editors)

Exit codes: 0 ok, 1 failure (unreadable file, write error), 2 invalid file or bad arguments.`;

/** Just what provisioning needs of the hub's items; other fields are ignored. */
const hubItemsSchema = z.array(z.object({ id: recordIdSchema, barcodes: z.array(z.string()) }));

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    return { error: (error as Error).message };
  }
}

type Out = { stdout: (text: string) => void; stderr: (text: string) => void };

export async function runConfigCli(argv: string[], out: Out): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    (command ? out.stdout : out.stderr)(`${CONFIG_USAGE}\n`);
    return command ? 0 : 2;
  }
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: {
        out: { type: 'string' },
        bar: { type: 'string' },
        'mqtt-host': { type: 'string' },
        'mqtt-port': { type: 'string' },
        force: { type: 'boolean' },
        'hub-items': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    out.stderr(`${(error as Error).message}\n\n${CONFIG_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    out.stdout(`${CONFIG_USAGE}\n`);
    return 0;
  }
  switch (command) {
    case 'validate': {
      if (positionals.length !== 1) {
        out.stderr(`validate takes one file\n\n${CONFIG_USAGE}\n`);
        return 2;
      }
      const file = positionals[0]!;
      try {
        const loaded = await loadGatewayConfigFile(file);
        for (const line of loaded.migrations) out.stdout(`upgraded ${line}\n`);
        out.stdout(
          `${file}: valid gateway config v${loaded.config.version}, ${loaded.config.devices.length} devices\n`,
        );
        return 0;
      } catch (error) {
        if (!(error instanceof ConfigFileError)) throw error;
        out.stderr(`${file} is not a valid gateway config:\n${error.details.join('\n')}\n`);
        return error.details.some((d) => d.startsWith('(file):')) ? 1 : 2;
      }
    }
    case 'provision-demo': {
      const port = values['mqtt-port'] === undefined ? 1883 : Number(values['mqtt-port']);
      if (!Number.isInteger(port) || port < 1 || port > 65535) {
        out.stderr(`--mqtt-port: must be a port number 1-65535\n`);
        return 2;
      }
      let hubItems: Array<{ id: string; barcodes: string[] }> | undefined;
      if (typeof values['hub-items'] === 'string') {
        const parsed = hubItemsSchema.safeParse(await readJson(values['hub-items']));
        if (!parsed.success) {
          out.stderr(
            `${values['hub-items']} is not a list of hub items:\n${formatIssues(parsed.error).join('\n')}\n`,
          );
          return 2;
        }
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
    }
    case 'schema':
      out.stdout(`${JSON.stringify(gatewayConfigJsonSchema(), null, 2)}\n`);
      return 0;
    default:
      out.stderr(`unknown command ${command}\n\n${CONFIG_USAGE}\n`);
      return 2;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  runConfigCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`pourcast-config failed: ${(error as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
