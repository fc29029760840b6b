import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import {
  deviceBundleSchema,
  deviceCalibrationSchema,
  deviceIdSchema,
  deviceKindSchema,
  formatIssues,
  scaleSlotSchema,
} from '@pourcast/protocol';
import { CliError, EXIT_INVALID, onePositional, printJson, requireString, type Command } from '../cli-kit.ts';
import { GATEWAY_OPTIONS_USAGE, gatewayOptions, gatewayRequest, resolveGateway } from '../gateway-client.ts';
import { writePrivateFile } from '../write-provisioning.ts';
import type { ListedDevice } from './list.ts';

/** A gateway's devices without their secrets: what `export` writes and `import` reads. */
export const deviceExportSchema = z.strictObject({
  version: z.literal(1),
  exportedAt: z.iso.datetime(),
  devices: z.array(
    z.strictObject({
      id: deviceIdSchema,
      kind: deviceKindSchema,
      model: z.string().min(1).max(64),
      revoked: z.boolean().default(false),
      slots: z.array(scaleSlotSchema).max(16).default([]),
      calibration: deviceCalibrationSchema.nullable().default(null),
    }),
  ),
});
export type DeviceExport = z.infer<typeof deviceExportSchema>;

export const exportCommand: Command = {
  name: 'export',
  summary: "write the gateway's devices, mappings and calibrations to a file (no secrets)",
  usage: `Usage: pourcast-config export --out <file>

Writes every device (id, kind, model, revoked, platform mapping, latest calibration) to a JSON file,
for a backup or to move the bar to a new gateway with \`import\`. Secrets are never exported.

Options:
  --out <file>          the file to write ("-" for stdout)
${GATEWAY_OPTIONS_USAGE}`,
  options: { ...gatewayOptions, out: { type: 'string' } },
  async run({ values, out, env }) {
    const file = requireString(values, 'out');
    const target = await resolveGateway(values, env, out);
    const { devices } = (await gatewayRequest(target, 'GET', '/devices')) as { devices: ListedDevice[] };
    const exported: DeviceExport = { version: 1, exportedAt: new Date().toISOString(), devices: [] };
    for (const device of devices) {
      const calibration =
        device.kind === 'scale'
          ? (
              (await gatewayRequest(
                target,
                'GET',
                `/devices/${encodeURIComponent(device.id)}/calibration`,
              )) as {
                calibration: DeviceExport['devices'][number]['calibration'];
              }
            ).calibration
          : null;
      exported.devices.push({
        id: device.id,
        kind: device.kind as DeviceExport['devices'][number]['kind'],
        model: device.model,
        revoked: device.revoked,
        slots: device.slots,
        calibration,
      });
    }
    const text = `${JSON.stringify(exported, null, 2)}\n`;
    if (file === '-') out.stdout(text);
    else if (target.dryRun)
      out.stdout(`dry run: would write ${exported.devices.length} devices to ${file}\n`);
    else {
      await writeFile(file, text);
      out.stdout(`wrote ${exported.devices.length} devices to ${file}\n`);
    }
    return 0;
  },
};

export const importCommand: Command = {
  name: 'import',
  summary: 'add the devices of an export to this gateway: new bundles, mappings and calibrations',
  usage: `Usage: pourcast-config import <file> [--bundles <dir>]

Adds each device of an export file that this gateway does not have (revoked ones are skipped), with a
new secret written to <dir>/<id>.json; maps its platforms and pushes its calibration in its config.
Devices the gateway already has are left alone. Every device's slots must be in this gateway's catalog.

Options:
  --bundles <dir>       where new bundles go (default devices)
${GATEWAY_OPTIONS_USAGE}`,
  options: { ...gatewayOptions, bundles: { type: 'string' } },
  async run({ values, positionals, out, env }) {
    const file = onePositional(this, positionals, 'export file');
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      throw new CliError(`cannot read ${file}`, [`(file): ${(error as Error).message}`], EXIT_INVALID);
    }
    const parsed = deviceExportSchema.safeParse(raw);
    if (!parsed.success)
      throw new CliError(`${file} is not a device export`, formatIssues(parsed.error), EXIT_INVALID);
    const target = await resolveGateway(values, env, out);
    const { devices } = (await gatewayRequest({ ...target, dryRun: false }, 'GET', '/devices')) as {
      devices: ListedDevice[];
    };
    const present = new Set(devices.map((d) => d.id));
    const bundlesDir = (values.bundles as string | undefined) ?? 'devices';
    const report: Array<{ id: string; outcome: string }> = [];
    for (const device of parsed.data.devices) {
      if (device.revoked || present.has(device.id)) {
        report.push({ id: device.id, outcome: device.revoked ? 'skipped (revoked)' : 'skipped (present)' });
        continue;
      }
      const path = `/devices/${encodeURIComponent(device.id)}`;
      const answer = await gatewayRequest(target, 'POST', '/devices', {
        id: device.id,
        kind: device.kind,
        model: device.model,
      });
      if (answer) {
        const bundle = deviceBundleSchema.parse(answer);
        await mkdir(bundlesDir, { recursive: true, mode: 0o700 });
        await writePrivateFile(
          join(bundlesDir, `${bundle.deviceId}.json`),
          `${JSON.stringify(bundle, null, 2)}\n`,
        );
      }
      if (device.slots.length > 0)
        await gatewayRequest(target, 'PUT', `${path}/slots`, { slots: device.slots });
      if (device.calibration) {
        const { offset, factor } = device.calibration;
        await gatewayRequest(target, 'POST', `${path}/config`, { calibration: { offset, factor } });
      }
      report.push({
        id: device.id,
        outcome: target.dryRun ? 'would add' : `added, bundle ${join(bundlesDir, `${device.id}.json`)}`,
      });
    }
    if (values.json) printJson(out, { devices: report });
    else for (const line of report) out.stdout(`${line.id}: ${line.outcome}\n`);
    return 0;
  },
};
