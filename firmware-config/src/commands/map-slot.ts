import { deviceSlotsRequestSchema, validate } from '@pourcast/protocol';
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
import type { ListedDevice } from './list.ts';

export const mapSlotCommand: Command = {
  name: 'map-slot',
  summary: 'map a scale platform to a catalog item (checked against the catalog the gateway holds)',
  usage: `Usage: pourcast-config map-slot <deviceId> --item <itemId> [--platform <n>]
       pourcast-config map-slot <deviceId> --platform <n> --clear

Sets which item a scale platform weighs (other platforms keep their mapping). The item must be in the
catalog the gateway fetched from the hub, so claim the gateway first.

Options:
  --item <itemId>       the hub's item id
  --platform <n>        platform index, 0-15 (default 0)
  --clear               unmap the platform instead
${GATEWAY_OPTIONS_USAGE}`,
  options: {
    ...gatewayOptions,
    item: { type: 'string' },
    platform: { type: 'string' },
    clear: { type: 'boolean' },
  },
  async run({ values, positionals, out, env }) {
    const id = onePositional(this, positionals, 'device id');
    const platform = numberOption(values, 'platform') ?? 0;
    const itemId = values.clear ? undefined : requireString(values, 'item');
    const target = await resolveGateway(values, env, out);
    const { devices } = (await gatewayRequest({ ...target, dryRun: false }, 'GET', '/devices')) as {
      devices: ListedDevice[];
    };
    const device = devices.find((d) => d.id === id);
    if (!device) throw new CliError(`no device ${id} on the gateway`, [], EXIT_INVALID);
    const slots = device.slots.filter((s) => s.platform !== platform);
    if (itemId !== undefined) slots.push({ platform, itemId });
    slots.sort((a, b) => a.platform - b.platform);
    const request = validate(deviceSlotsRequestSchema, { slots });
    if (!request.ok) throw new CliError('invalid mapping', request.details, EXIT_INVALID);
    const answer = await gatewayRequest(
      target,
      'PUT',
      `/devices/${encodeURIComponent(id)}/slots`,
      request.value,
    );
    if (!answer) return 0;
    if (values.json) printJson(out, answer);
    else out.stdout(`${id}: platform ${platform} ${itemId === undefined ? 'unmapped' : `→ ${itemId}`}\n`);
    return 0;
  },
};
