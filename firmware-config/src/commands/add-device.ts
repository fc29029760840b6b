import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { deviceDefinitions, findDeviceDefinition } from '@pourcast/devices';
import { addDeviceRequestSchema, deviceBundleSchema, validate, type DeviceBundle } from '@pourcast/protocol';
import {
  CliError,
  EXIT_INVALID,
  onePositional,
  printJson,
  requireString,
  type Command,
  type Out,
  type Values,
} from '../cli-kit.ts';
import { GATEWAY_OPTIONS_USAGE, gatewayOptions, gatewayRequest, resolveGateway } from '../gateway-client.ts';
import { qrFormat, terminalBundleQr, writeBundleQr } from '../bundle-qr.ts';
import { writePrivateFile } from '../write-provisioning.ts';

/** Writes the bundle the device reads (its secret in clear: 0600), and says where. */
async function saveBundle(out: Out, values: Values, answer: unknown): Promise<DeviceBundle> {
  const bundle = deviceBundleSchema.parse(answer);
  const path = (values.out as string | undefined) ?? join('devices', `${bundle.deviceId}.json`);
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writePrivateFile(path, `${JSON.stringify(bundle, null, 2)}\n`);
  const qr = values.qr as string | undefined;
  if (qr !== undefined && qr !== '-') await writeBundleQr(qr, bundle);
  if (values.json) printJson(out, { deviceId: bundle.deviceId, bundle: path, ...(qr ? { qr } : {}) });
  else {
    out.stdout(
      `${bundle.deviceId}: wrote ${path} (device secret, 0600); copy it to the device, it is the only copy\n`,
    );
    if (qr === '-') {
      out.stderr('the QR code below holds the device secret: clear the screen once the device has read it\n');
      out.stdout(await terminalBundleQr(bundle));
    } else if (qr) out.stdout(`${bundle.deviceId}: wrote ${qr} (QR code of the bundle, 0600)\n`);
  }
  return bundle;
}

/** A --qr file of an unknown format is refused before the gateway creates anything. */
function checkQrOption(values: Values): void {
  const qr = values.qr;
  if (typeof qr === 'string' && qr !== '-') qrFormat(qr);
}

export const addDeviceCommand: Command = {
  name: 'add-device',
  summary: 'register a device on the gateway and write its bundle (identity, secret, broker address)',
  usage: `Usage: pourcast-config add-device --model <model> [--kind <kind>] [options]

Registers a device on the gateway, which creates its id and secret and keeps only the secret's hash;
the bundle (deviceId, secret, brokerUrl) is written to --out, mode 0600, and is the only copy.

Options:
  --model <model>       the device definition's model: ${deviceDefinitions.map((d) => d.model).join(', ')}
  --kind <kind>         scale, scanner or camera (default: the model's; must match it)
  --id <id>             choose the id (3-64 of a-z, 0-9, -); default <kind>-<random>
  --area <name>         where it stands (back bar, well ...)
  --scan-mode <mode>    start-up mode of a scanner: count, receive or waste
  --out <file>          where to write the bundle (default devices/<id>.json)
  --qr <file.svg|.png|->  also the bundle as a QR code (0600), or - to print it in the terminal
${GATEWAY_OPTIONS_USAGE}`,
  options: {
    ...gatewayOptions,
    qr: { type: 'string' },
    kind: { type: 'string' },
    model: { type: 'string' },
    id: { type: 'string' },
    area: { type: 'string' },
    'scan-mode': { type: 'string' },
    out: { type: 'string' },
  },
  async run({ values, out, env }) {
    const model = requireString(values, 'model');
    // Device kinds as data: the model's definition says what it is (devices/src/definitions).
    const definition = findDeviceDefinition(model);
    if (!definition) {
      const known = deviceDefinitions.map((d) => d.model).join(', ');
      throw new CliError(
        'unknown model',
        [`model: no device definition ${model}; known: ${known}`],
        EXIT_INVALID,
      );
    }
    if (values.kind !== undefined && values.kind !== definition.kind)
      throw new CliError('kind and model disagree', [`kind: ${model} is a ${definition.kind}`], EXIT_INVALID);
    const request = validate(addDeviceRequestSchema, {
      kind: definition.kind,
      model,
      ...(values.id ? { id: values.id } : {}),
      ...(values.area ? { area: values.area } : {}),
      ...(values['scan-mode'] ? { scanMode: values['scan-mode'] } : {}),
    });
    if (!request.ok) throw new CliError('invalid device', request.details, EXIT_INVALID);
    checkQrOption(values);
    const target = await resolveGateway(values, env, out);
    const answer = await gatewayRequest(target, 'POST', '/devices', request.value);
    if (!target.dryRun) await saveBundle(out, values, answer);
    return 0;
  },
};

export const replaceCommand: Command = {
  name: 'replace',
  summary: 'give a replacement unit a new secret under the same id (history and mapping kept)',
  usage: `Usage: pourcast-config replace <deviceId> [--out <file>]

Issues a new secret for the device id, so a replacement unit carries on its history and slot mapping;
the old unit's secret stops working and its session is ended. The new bundle is written to --out.

Options:
  --out <file>          where to write the new bundle (default devices/<id>.json)
  --qr <file.svg|.png|->  also the bundle as a QR code (0600), or - to print it in the terminal
${GATEWAY_OPTIONS_USAGE}`,
  options: { ...gatewayOptions, out: { type: 'string' }, qr: { type: 'string' } },
  async run({ values, positionals, out, env }) {
    const id = onePositional(this, positionals, 'device id');
    checkQrOption(values);
    const target = await resolveGateway(values, env, out);
    const answer = await gatewayRequest(target, 'POST', `/devices/${encodeURIComponent(id)}/replace`);
    if (!target.dryRun) await saveBundle(out, values, answer);
    return 0;
  },
};

export const revokeCommand: Command = {
  name: 'revoke',
  summary: "revoke a device's secret; the gateway disconnects it at once",
  usage: `Usage: pourcast-config revoke <deviceId>

The device's secret stops working and the broker ends its session now. Its history stays; give a
replacement unit a new secret with \`pourcast-config replace <deviceId>\`.

${GATEWAY_OPTIONS_USAGE}`,
  options: { ...gatewayOptions },
  async run({ values, positionals, out, env }) {
    const id = onePositional(this, positionals, 'device id');
    const target = await resolveGateway(values, env, out);
    const answer = (await gatewayRequest(target, 'DELETE', `/devices/${encodeURIComponent(id)}`)) as
      { disconnected: boolean } | undefined;
    if (!answer) return 0;
    if (values.json) printJson(out, answer);
    else out.stdout(`${id}: revoked${answer.disconnected ? ', disconnected' : ' (it was not connected)'}\n`);
    return 0;
  },
};
