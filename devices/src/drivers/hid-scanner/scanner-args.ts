import { SCAN_MODES, type ScanMode } from '@pourcast/protocol';
import {
  choiceOption,
  COMMON_OPTIONS,
  COMMON_USAGE,
  gpioBaseOption,
  mqttOption,
  numberOption,
  optionalText,
  parseDriverArgs,
  pinOption,
  requiredText,
  UsageError,
} from '../cli/driver-cli.ts';
import type { Terminator } from './barcode-framing.ts';
import { LAYOUT_IDS, type LayoutId } from './keyboard-layouts.ts';

export const SCANNER_USAGE = `USB HID barcode scanner: publishes scans over MQTT.

usage: tsx devices/src/drivers/hid-scanner/main.ts --bundle <file> [--hid <vid:pid|path> | --stdin] [options]

${COMMON_USAGE}
  --hid <vid:pid|path>   the scanner (e.g. 05e0:1200 or /dev/hidraw1); default: the only HID keyboard
  --stdin                read a keyboard-mode scanner from this terminal instead of HID
  --layout us|de|fr      keyboard layout the scanner is programmed for (HID mode; default us)
  --terminator enter|tab|none   what ends a code (default enter)
  --idle-ms <ms>         with --terminator none: a code ends after this pause (default 60)
  --prefix <text>        strip this prefix (e.g. an AIM id like ]E0); codes without it are rejected
  --suffix <text>        strip this suffix
  --mode count|receive|waste   scan mode until the config or a command sets it (default: the model's, count)
  --led-pin <bcm>        status LED on this GPIO: one blink accepted, three rejected
  --buzzer-pin <bcm>     active buzzer on this GPIO, same patterns
  --gpio-base auto|<n>   sysfs GPIO number of BCM 0 (default auto)`;

const SCANNER_OPTIONS = {
  ...COMMON_OPTIONS,
  hid: { type: 'string' },
  stdin: { type: 'boolean' },
  layout: { type: 'string' },
  terminator: { type: 'string' },
  'idle-ms': { type: 'string' },
  prefix: { type: 'string' },
  suffix: { type: 'string' },
  mode: { type: 'string' },
  'led-pin': { type: 'string' },
  'buzzer-pin': { type: 'string' },
  'gpio-base': { type: 'string' },
} as const;

export function parseScannerArgs(argv: string[]) {
  const values = parseDriverArgs(argv, SCANNER_OPTIONS);
  const stdin = values.stdin === true;
  const hid = optionalText(values, 'hid');
  if (stdin && hid !== undefined) throw new UsageError('--stdin and --hid exclude each other');
  if (stdin && values.layout !== undefined) {
    throw new UsageError('--layout applies to HID mode; in --stdin mode the OS keyboard layout applies');
  }
  const ledPin = pinOption(values, 'led-pin');
  const buzzerPin = pinOption(values, 'buzzer-pin');
  if (ledPin !== undefined && ledPin === buzzerPin)
    throw new UsageError('--led-pin and --buzzer-pin must differ');
  return {
    bundlePath: requiredText(values, 'bundle'),
    mqtt: mqttOption(values),
    input: stdin ? ({ kind: 'stdin' } as const) : ({ kind: 'hid', device: hid } as const),
    layout: choiceOption<LayoutId>(values, 'layout', LAYOUT_IDS, 'us'),
    terminator: choiceOption<Terminator>(values, 'terminator', ['enter', 'tab', 'none'], 'enter'),
    idleMs: numberOption(values, 'idle-ms', { min: 5, max: 5_000, integer: true, fallback: 60 })!,
    prefix: optionalText(values, 'prefix'),
    suffix: optionalText(values, 'suffix'),
    mode: values.mode === undefined ? undefined : choiceOption<ScanMode>(values, 'mode', SCAN_MODES, 'count'),
    signalPins: [ledPin, buzzerPin].filter((pin): pin is number => pin !== undefined),
    gpioBase: gpioBaseOption(values),
  };
}
