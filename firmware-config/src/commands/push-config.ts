import { deviceConfigPushSchema, validate } from '@pourcast/protocol';
import { CliError, EXIT_INVALID, numberOption, onePositional, printJson, type Command } from '../cli-kit.ts';
import { GATEWAY_OPTIONS_USAGE, gatewayOptions, gatewayRequest, resolveGateway } from '../gateway-client.ts';

export const pushConfigCommand: Command = {
  name: 'push-config',
  summary: 'change a device setting; the gateway pushes it (retained) until the device acknowledges',
  usage: `Usage: pourcast-config push-config <deviceId> [--sample-hz <hz>] [--scan-mode <mode>] [--frame-interval-ms <ms>]

Merges the settings into the device's current config (calibration included) under the next configVersion
and publishes it retained on the device's config topic. \`list\` shows it pending until the device
acknowledges; the gateway resends it with backoff meanwhile.

Options:
  --sample-hz <hz>          scale readings per second (0.1-80)
  --scan-mode <mode>        scanner mode: count, receive or waste
  --frame-interval-ms <ms>  camera capture interval (100-3600000)
${GATEWAY_OPTIONS_USAGE}`,
  options: {
    ...gatewayOptions,
    'sample-hz': { type: 'string' },
    'scan-mode': { type: 'string' },
    'frame-interval-ms': { type: 'string' },
  },
  async run({ values, positionals, out, env }) {
    const id = onePositional(this, positionals, 'device id');
    const sampleHz = numberOption(values, 'sample-hz');
    const frameIntervalMs = numberOption(values, 'frame-interval-ms');
    const push = {
      ...(sampleHz === undefined ? {} : { sampleHz }),
      ...(values['scan-mode'] === undefined ? {} : { scanMode: values['scan-mode'] }),
      ...(frameIntervalMs === undefined ? {} : { frameIntervalMs }),
    };
    if (Object.keys(push).length === 0)
      throw new CliError('nothing to push: give at least one setting', [], EXIT_INVALID);
    const request = validate(deviceConfigPushSchema, push);
    if (!request.ok) throw new CliError('invalid config', request.details, EXIT_INVALID);
    const target = await resolveGateway(values, env, out);
    const answer = (await gatewayRequest(
      target,
      'POST',
      `/devices/${encodeURIComponent(id)}/config`,
      request.value,
    )) as { configVersion: number } | undefined;
    if (!answer) return 0;
    if (values.json) printJson(out, answer);
    else
      out.stdout(
        `${id}: config v${answer.configVersion} pushed; pending until the device acknowledges (see list)\n`,
      );
    return 0;
  },
};
