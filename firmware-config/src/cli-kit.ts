import { parseArgs, type ParseArgsConfig } from 'node:util';

export type Out = { stdout: (text: string) => void; stderr: (text: string) => void };

/** Exit codes: 0 ok, 1 failure (unreachable gateway or hub, write error, server error), 2 invalid input. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_INVALID = 2;

/** A failure the CLI reports as `path: message` lines with an exit code; never a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly details: string[] = [],
    readonly exitCode: number = EXIT_FAILURE,
  ) {
    super(message);
  }
}

export type Options = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | undefined>;

export interface CommandContext {
  values: Values;
  positionals: string[];
  out: Out;
  env: Record<string, string | undefined>;
}

export interface Command {
  name: string;
  summary: string;
  /** The command's own --help text. */
  usage: string;
  options: Options;
  run(context: CommandContext): Promise<number>;
}

export function parseCommandArgs(
  command: Command,
  args: string[],
): { values: Values; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
    });
    return { values: values as Values, positionals };
  } catch (error) {
    throw new CliError(`${command.name}: ${(error as Error).message}`, [], EXIT_INVALID);
  }
}

export function requireString(values: Values, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value.length === 0)
    throw new CliError(`--${name}: required`, [], EXIT_INVALID);
  return value;
}

export function numberOption(values: Values, name: string): number | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  const number = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !Number.isFinite(number))
    throw new CliError(`--${name}: must be a number`, [], EXIT_INVALID);
  return number;
}

export function onePositional(command: Command, positionals: string[], what: string): string {
  if (positionals.length !== 1) throw new CliError(`${command.name} takes one ${what}`, [], EXIT_INVALID);
  return positionals[0]!;
}

export function printJson(out: Out, value: unknown): void {
  out.stdout(`${JSON.stringify(value, null, 2)}\n`);
}
