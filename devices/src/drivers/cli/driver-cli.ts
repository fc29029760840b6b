import { readFile } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { deviceBundleSchema, formatIssues, type DeviceBundle, type DeviceKind } from '@pourcast/protocol';

/**
 * What the three driver programs share: strict argument parsing, exit 2 with a clear message on bad
 * arguments (as sysexits' EX_USAGE tradition and most CLIs do), the device bundle loaded and validated,
 * and a clean stop on SIGINT/SIGTERM.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;
export type ArgValues = Record<string, string | boolean | undefined>;

export function parseDriverArgs(argv: string[], options: Options): ArgValues {
  try {
    const { values } = parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    });
    return values as ArgValues;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function text(values: ArgValues, name: string): string | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new UsageError(`--${name} needs a value`);
  return value;
}

export function requiredText(values: ArgValues, name: string): string {
  const value = text(values, name);
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

export function optionalText(values: ArgValues, name: string): string | undefined {
  return text(values, name);
}

export function numberOption(
  values: ArgValues,
  name: string,
  rule: { min: number; max: number; integer?: boolean; fallback?: number },
): number | undefined {
  const raw = text(values, name);
  if (raw === undefined) return rule.fallback;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || (rule.integer && !Number.isInteger(value))) {
    throw new UsageError(
      `--${name} must be ${rule.integer ? 'a whole number' : 'a number'}, got ${JSON.stringify(raw)}`,
    );
  }
  if (value < rule.min || value > rule.max) {
    throw new UsageError(`--${name} must be between ${rule.min} and ${rule.max}, got ${value}`);
  }
  return value;
}

export function requiredNumber(
  values: ArgValues,
  name: string,
  rule: { min: number; max: number; integer?: boolean },
): number {
  const value = numberOption(values, name, rule);
  if (value === undefined) throw new UsageError(`--${name} is required`);
  return value;
}

export function choiceOption<T extends string>(
  values: ArgValues,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const raw = text(values, name) ?? fallback;
  if (!(choices as readonly string[]).includes(raw)) {
    throw new UsageError(`--${name} must be one of ${choices.join(', ')}, got ${JSON.stringify(raw)}`);
  }
  return raw as T;
}

/** BCM GPIO numbers on the Pi's 40-pin header. */
export function pinOption(values: ArgValues, name: string, required: true): number;
export function pinOption(values: ArgValues, name: string, required?: false): number | undefined;
export function pinOption(values: ArgValues, name: string, required = false): number | undefined {
  const rule = { min: 0, max: 27, integer: true };
  return required ? requiredNumber(values, name, rule) : numberOption(values, name, rule);
}

export function gpioBaseOption(values: ArgValues): number | 'auto' {
  const raw = text(values, 'gpio-base');
  return raw === undefined || raw === 'auto'
    ? 'auto'
    : numberOption(values, 'gpio-base', { min: 0, max: 4096, integer: true })!;
}

export function mqttOption(values: ArgValues): 'auto' | 4 | 5 {
  const choice = choiceOption(values, 'mqtt', ['auto', '5', '3.1.1'] as const, 'auto');
  return choice === 'auto' ? 'auto' : choice === '5' ? 5 : 4;
}

/** Reads and validates a provisioning bundle; every problem is a `path: message` line. */
export async function loadBundle(path: string, kind: DeviceKind): Promise<DeviceBundle> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read the bundle ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new UsageError(`${path} is not JSON: ${(error as Error).message}`);
  }
  const result = deviceBundleSchema.safeParse(json);
  if (!result.success)
    throw new UsageError(`${path} is not a device bundle:\n${formatIssues(result.error).join('\n')}`);
  if (result.data.kind !== kind)
    throw new UsageError(`${path} is a ${result.data.kind} bundle; this driver runs a ${kind}`);
  return result.data;
}

export const COMMON_OPTIONS = {
  bundle: { type: 'string' },
  mqtt: { type: 'string' },
} as const satisfies Options;

export const COMMON_USAGE = `  --bundle <file>        device bundle from the provisioning CLI (id, secret, broker URL) [required]
  --mqtt auto|5|3.1.1    MQTT version; auto tries 5, then 3.1.1 (default auto)
  -h, --help             this help`;

/**
 * Runs a driver program: `--help` prints usage (exit 0), a UsageError prints the message and the usage
 * hint (exit 2), any other start-up error its message (exit 1). `start` returns the stop function,
 * which runs on SIGINT/SIGTERM or when the driver calls `requestStop` (end of stdin).
 */
export async function runDriverProgram(
  argv: string[],
  usage: string,
  start: (argv: string[], requestStop: () => void) => Promise<() => Promise<void>>,
): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  let stop: () => Promise<void> = async () => {};
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await stop();
    process.exit(0);
  };
  try {
    stop = await start(argv, () => void shutdown());
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}\nRun with --help for the options.\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`error: ${(error as Error).message}\n`);
      process.exitCode = 1;
    }
    return;
  }
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}
