import { calibrationStepSchema, validate } from '@pourcast/protocol';
import {
  CliError,
  EXIT_INVALID,
  numberOption,
  onePositional,
  printJson,
  requireString,
  type Command,
} from '../cli-kit.ts';
import { GATEWAY_OPTIONS_USAGE, gatewayOptions, gatewayRequest, resolveGateway } from '../gateway-client.ts';

type StepAnswer =
  | { step: 'tare'; offset: number }
  | { step: 'span'; offset: number; factor: number }
  | {
      step: 'check';
      calibration: { offset: number; factor: number; errorPercent: number; calibratedAt: string };
      config: { configVersion: number };
    };

export const calibrateCommand: Command = {
  name: 'calibrate',
  summary: 'calibrate a scale in three steps: tare, a known weight, a second weight (linearity)',
  usage: `Usage: pourcast-config calibrate <deviceId> --step tare
       pourcast-config calibrate <deviceId> --step span --grams <known weight>
       pourcast-config calibrate <deviceId> --step check --grams <second weight> [--max-error <percent>]

  tare    with the platform empty: the gateway asks the scale for its raw reading (the offset)
  span    with a known weight on the platform: offset and factor from the raw readings
  check   with a second, different weight: it must read within --max-error % (default 1); then the
          calibration is stored with its date and pushed to the scale in its config

Options:
  --step <step>         tare, span or check
  --grams <g>           the weight on the platform (span, check)
  --max-error <pct>     largest error the second weight may show (check; default 1)
${GATEWAY_OPTIONS_USAGE}`,
  options: {
    ...gatewayOptions,
    step: { type: 'string' },
    grams: { type: 'string' },
    'max-error': { type: 'string' },
  },
  async run({ values, positionals, out, env }) {
    const id = onePositional(this, positionals, 'device id');
    const step = requireString(values, 'step');
    const grams = numberOption(values, 'grams');
    const maxError = numberOption(values, 'max-error');
    const request = validate(calibrationStepSchema, {
      step,
      ...(grams === undefined ? {} : { knownGrams: grams }),
      ...(maxError === undefined ? {} : { maxErrorPercent: maxError }),
    });
    if (!request.ok)
      throw new CliError(
        'invalid calibration step',
        request.details.map((d) => d.replace(/^knownGrams:/, 'grams:')),
        EXIT_INVALID,
      );
    const target = await resolveGateway(values, env, out);
    const answer = (await gatewayRequest(
      target,
      'POST',
      `/devices/${encodeURIComponent(id)}/calibration`,
      request.value,
    )) as StepAnswer | undefined;
    if (!answer) return 0;
    if (values.json) return (printJson(out, answer), 0);
    if (answer.step === 'tare')
      out.stdout(
        `${id}: tared at ${answer.offset} counts. Now put a known weight on and run --step span --grams <g>\n`,
      );
    else if (answer.step === 'span')
      out.stdout(
        `${id}: factor ${answer.factor.toFixed(4)} counts/g. Now put a second, different weight on and run --step check --grams <g>\n`,
      );
    else
      out.stdout(
        `${id}: calibrated (offset ${answer.calibration.offset}, factor ${answer.calibration.factor.toFixed(4)}, ` +
          `second weight ${answer.calibration.errorPercent.toFixed(2)} % off) on ${answer.calibration.calibratedAt}; ` +
          `pushed as config v${answer.config.configVersion}\n`,
      );
    return 0;
  },
};
