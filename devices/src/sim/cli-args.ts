import { parseArgs } from 'node:util';

export const SIM_USAGE = `Plays shifts of a simulated bar over MQTT: scales stream weights, bartenders pour, a delivery is scanned in.

Usage: tsx devices/src/sim/main.ts --bar <file> [options]

  --bar <file>              simulated bar file (devices/src/sim/bar-file.ts; firmware-config provision-demo writes one)
  --seed <n>                scenario and noise seed (default 1); shift k of a loop uses seed + k
  --speed <x>               idle gaps between rounds pass x times faster (default 1; 60 = a quiet hour in a minute).
                            Lifting, pouring and settling always take their physical time at the scale's rate.
  --duration <min>          simulated minutes per shift (default 240)
  --rounds-per-hour <n>     service rounds per simulated hour (default 30)
  --noise <g>               scale noise σ in grams (default: each model's, 0.2 g for the HX711 scale)
  --start <iso>             simulated start time (default now)
  --loop                    play shift after shift until interrupted
  --report <file>           append each finished shift's report as one JSON line
  --quiet                   no line per action, only a summary per shift
  --pos <file>              also run the bar's POS (devices/src/sim/pos/pos-file.ts): each round a check sent to
                            the hub's Tabit webhook, signed; its heavy hand overpours; dry bottles finish the measure
  -h, --help                this text

Exit codes: 0 done or interrupted (devices say offline first), 1 runtime failure, 2 bad arguments or bar file.`;

export interface SimArgs {
  bar: string;
  seed: number;
  speed: number;
  durationMin: number;
  roundsPerHour: number;
  noiseSigmaG?: number;
  startAt?: number;
  loop: boolean;
  report?: string;
  pos?: string;
  quiet: boolean;
}

export type ParsedSimArgs =
  { help: true } | { help: false; args: SimArgs } | { help: false; errors: string[] };

function numberArg(
  errors: string[],
  name: string,
  text: string | undefined,
  fallback: number,
  min: number,
  max: number,
  integer = false,
): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (
    text.trim() === '' ||
    !Number.isFinite(value) ||
    value < min ||
    value > max ||
    (integer && !Number.isInteger(value))
  ) {
    errors.push(
      `--${name}: must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, not ${JSON.stringify(text)}`,
    );
    return fallback;
  }
  return value;
}

export function parseSimArgs(argv: string[]): ParsedSimArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        bar: { type: 'string' },
        seed: { type: 'string' },
        speed: { type: 'string' },
        duration: { type: 'string' },
        'rounds-per-hour': { type: 'string' },
        noise: { type: 'string' },
        start: { type: 'string' },
        loop: { type: 'boolean', default: false },
        report: { type: 'string' },
        pos: { type: 'string' },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    return { help: false, errors: [(error as Error).message] };
  }
  if (values.help) return { help: true };
  const errors: string[] = [];
  if (!values.bar) errors.push('--bar: a bar file is required');
  const args: SimArgs = {
    bar: values.bar ?? '',
    seed: numberArg(errors, 'seed', values.seed, 1, 0, 2 ** 32 - 1, true),
    speed: numberArg(errors, 'speed', values.speed, 1, 1, 100_000),
    durationMin: numberArg(errors, 'duration', values.duration, 240, 1, 24 * 60),
    roundsPerHour: numberArg(errors, 'rounds-per-hour', values['rounds-per-hour'], 30, 0.1, 2_000),
    loop: values.loop,
    quiet: values.quiet,
    ...(values.report ? { report: values.report } : {}),
    ...(values.pos ? { pos: values.pos } : {}),
  };
  if (values.noise !== undefined) args.noiseSigmaG = numberArg(errors, 'noise', values.noise, 0.2, 0, 100);
  if (values.start !== undefined) {
    const at = Date.parse(values.start);
    if (Number.isNaN(at)) errors.push(`--start: not a date-time: ${JSON.stringify(values.start)}`);
    else args.startAt = at;
  }
  return errors.length ? { help: false, errors } : { help: false, args };
}
