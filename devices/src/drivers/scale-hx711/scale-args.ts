import {
  choiceOption,
  COMMON_OPTIONS,
  COMMON_USAGE,
  gpioBaseOption,
  mqttOption,
  numberOption,
  parseDriverArgs,
  pinOption,
  requiredText,
  UsageError,
} from '../cli/driver-cli.ts';
import type { Hx711Gain } from './hx711.ts';

export const SCALE_USAGE = `HX711 load-cell scale: publishes weight readings over MQTT.

usage: tsx devices/src/drivers/scale-hx711/main.ts --bundle <file> --data-pin <bcm> --clock-pin <bcm> [options]

${COMMON_USAGE}
  --data-pin <bcm>       GPIO (BCM number) wired to the HX711's DOUT [required]
  --clock-pin <bcm>      GPIO (BCM number) wired to the HX711's PD_SCK [required]
  --gain A128|A64|B32    input and gain (default A128)
  --rate 10|80           samples per second the board's RATE pin selects (default 10)
  --platform <n>         platform index on a multi-platform scale (default 0)
  --window <n>           samples in the median/MAD filter window (default 5)
  --sample-hz <hz>       readings published per second until the config sets it (default: the model's)
  --offset <counts>      calibration offset until the config sets one (negative: --offset=-8000)
  --factor <counts/g>    calibration factor until the config sets one
  --gpio-base auto|<n>   sysfs GPIO number of BCM 0 (default auto, read from /sys/class/gpio)`;

const SCALE_OPTIONS = {
  ...COMMON_OPTIONS,
  'data-pin': { type: 'string' },
  'clock-pin': { type: 'string' },
  gain: { type: 'string' },
  rate: { type: 'string' },
  platform: { type: 'string' },
  window: { type: 'string' },
  'sample-hz': { type: 'string' },
  offset: { type: 'string' },
  factor: { type: 'string' },
  'gpio-base': { type: 'string' },
} as const;

export function parseScaleArgs(argv: string[]) {
  const values = parseDriverArgs(argv, SCALE_OPTIONS);
  const dataPin = pinOption(values, 'data-pin', true);
  const clockPin = pinOption(values, 'clock-pin', true);
  if (dataPin === clockPin) throw new UsageError('--data-pin and --clock-pin must be different pins');
  const offset = numberOption(values, 'offset', { min: -0x800000, max: 0x7fffff });
  const factor = numberOption(values, 'factor', { min: -1e9, max: 1e9 });
  if ((offset === undefined) !== (factor === undefined))
    throw new UsageError('--offset and --factor go together');
  if (factor === 0) throw new UsageError('--factor must not be 0');
  return {
    bundlePath: requiredText(values, 'bundle'),
    mqtt: mqttOption(values),
    dataPin,
    clockPin,
    gain: choiceOption<Hx711Gain>(values, 'gain', ['A128', 'A64', 'B32'], 'A128'),
    rate: Number(choiceOption(values, 'rate', ['10', '80'], '10')) as 10 | 80,
    platform: numberOption(values, 'platform', { min: 0, max: 15, integer: true, fallback: 0 })!,
    window: numberOption(values, 'window', { min: 1, max: 101, integer: true, fallback: 5 })!,
    sampleHz: numberOption(values, 'sample-hz', { min: 0.1, max: 80 }),
    calibration: offset !== undefined && factor !== undefined ? { offset, factor } : undefined,
    gpioBase: gpioBaseOption(values),
  };
}
