#!/usr/bin/env tsx
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { CliError, EXIT_INVALID, parseCommandArgs, type Command, type Out } from './cli-kit.ts';
import { addDeviceCommand, replaceCommand, revokeCommand } from './commands/add-device.ts';
import { calibrateCommand } from './commands/calibrate.ts';
import { claimCommand } from './commands/claim.ts';
import { provisionDemoCommand, schemaCommand, validateCommand } from './commands/config-files.ts';
import { exportCommand, importCommand } from './commands/export-import.ts';
import { listCommand } from './commands/list.ts';
import { mapSlotCommand } from './commands/map-slot.ts';
import { pairDisplayCommand } from './commands/pair-display.ts';
import { pushConfigCommand } from './commands/push-config.ts';

export type { Out } from './cli-kit.ts';

export const COMMANDS: readonly Command[] = [
  claimCommand,
  addDeviceCommand,
  calibrateCommand,
  mapSlotCommand,
  pushConfigCommand,
  listCommand,
  pairDisplayCommand,
  revokeCommand,
  replaceCommand,
  exportCommand,
  importCommand,
  validateCommand,
  provisionDemoCommand,
  schemaCommand,
];

export const CONFIG_USAGE = `pourcast-config: set up a Pourcast gateway and its devices.

Usage: pourcast-config <command> [options]     (pourcast-config <command> --help for its options)

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(16)}${c.summary}`).join('\n')}

Exit codes: 0 ok, 1 failure (unreachable gateway or hub, unreadable file, server error),
2 invalid input (bad arguments, invalid file, refused request). Errors are \`path: message\` lines.`;

export async function runConfigCli(
  argv: string[],
  out: Out,
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? out.stdout : out.stderr)(`${CONFIG_USAGE}\n`);
    return name ? 0 : EXIT_INVALID;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    out.stderr(`unknown command ${name}\n\n${CONFIG_USAGE}\n`);
    return EXIT_INVALID;
  }
  try {
    const { values, positionals } = parseCommandArgs(command, rest);
    if (values.help) {
      out.stdout(`${command.usage}\n`);
      return 0;
    }
    return await command.run({ values, positionals, out, env });
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    out.stderr([error.message, ...error.details].join('\n') + '\n');
    if (
      error.exitCode === EXIT_INVALID &&
      error.details.length === 0 &&
      /^--|takes one|: (Unknown|Option)/.test(error.message)
    )
      out.stderr(`\n${command.usage}\n`);
    return error.exitCode;
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
