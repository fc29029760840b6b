import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import {
  cameraSlotMapSchema,
  deviceBundleSchema,
  deviceIdSchema,
  formatIssues,
  recordIdSchema,
  scanSchema,
  type DeviceBundle,
} from '@pourcast/protocol';
import { isScaleDefinition, isScannerDefinition } from '../definitions/definition.ts';
import { findDeviceDefinition } from '../definitions/registry.ts';
import { bottleGrams } from './scale-physics.ts';

/**
 * A simulated bar: the device bundles (as firmware-config writes them), which item stands on which scale
 * platform and how full, the scanner, and what the next delivery brings.
 */
export const BAR_FILE_VERSION = 1;

const barcodeSchema = scanSchema.shape.barcode;

export const barItemSchema = z.strictObject({
  id: recordIdSchema,
  name: z.string().min(1).max(120),
  containerMl: z.number().int().positive().max(20_000),
  emptyWeightG: z.number().positive().max(50_000),
  densityGPerMl: z.number().min(0.5).max(2),
  barcodes: z.array(barcodeSchema).min(1).max(16),
});
export type BarItem = z.infer<typeof barItemSchema>;

export const barScaleSchema = z.strictObject({
  deviceId: deviceIdSchema,
  platform: z.number().int().min(0).max(15).default(0),
  item: barItemSchema,
  initialLevelMl: z.number().int().min(0),
});
export type BarScale = z.infer<typeof barScaleSchema>;

export const barDeliverySchema = z.strictObject({
  barcode: barcodeSchema,
  itemId: recordIdSchema,
  quantity: z.number().int().min(1).max(1000),
});
export type BarDelivery = z.infer<typeof barDeliverySchema>;

export const barFileSchema = z
  .strictObject({
    version: z.literal(BAR_FILE_VERSION),
    devices: z.array(deviceBundleSchema).min(1).max(500),
    scales: z.array(barScaleSchema).min(1).max(500),
    scanner: z.strictObject({ deviceId: deviceIdSchema }).optional(),
    /** A shelf camera watching bottles on the scales (camera-follower.ts renders what they hold). */
    camera: z.strictObject({ deviceId: deviceIdSchema, slotMap: cameraSlotMapSchema }).optional(),
    deliveries: z.array(barDeliverySchema).max(500).default([]),
  })
  .superRefine((bar, ctx) => {
    const issue = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: 'custom', path, message });
    const bundles = new Map<string, DeviceBundle>();
    bar.devices.forEach((bundle, i) => {
      if (bundles.has(bundle.deviceId))
        issue(['devices', i, 'deviceId'], `duplicate device ${bundle.deviceId}`);
      bundles.set(bundle.deviceId, bundle);
      const definition = findDeviceDefinition(bundle.model);
      if (!definition) issue(['devices', i, 'model'], `unknown device model ${bundle.model}`);
      else if (definition.kind !== bundle.kind)
        issue(['devices', i, 'kind'], `${bundle.model} is a ${definition.kind}, not a ${bundle.kind}`);
    });
    const slots = new Set<string>();
    const items = new Map<string, string>();
    bar.scales.forEach((scale, i) => {
      const bundle = bundles.get(scale.deviceId);
      const definition = bundle && findDeviceDefinition(bundle.model);
      if (!bundle) return issue(['scales', i, 'deviceId'], `no device ${scale.deviceId} in devices`);
      if (!definition || !isScaleDefinition(definition))
        return issue(['scales', i, 'deviceId'], `${scale.deviceId} is not a scale`);
      if (scale.platform >= definition.scale.platforms)
        issue(['scales', i, 'platform'], `${bundle.model} has platforms 0-${definition.scale.platforms - 1}`);
      const slot = `${scale.deviceId}/${scale.platform}`;
      if (slots.has(slot)) issue(['scales', i, 'platform'], `platform ${slot} is taken twice`);
      slots.add(slot);
      if (scale.initialLevelMl > scale.item.containerMl)
        issue(['scales', i, 'initialLevelMl'], `more than the ${scale.item.containerMl} ml container`);
      const full = bottleGrams({ item: scale.item, levelMl: scale.item.containerMl });
      if (full > definition.scale.maxG)
        issue(
          ['scales', i, 'item'],
          `a full bottle weighs ${full} g, over the scale's ${definition.scale.maxG} g`,
        );
      const known = items.get(scale.item.id);
      if (known !== undefined && known !== JSON.stringify(scale.item))
        issue(['scales', i, 'item'], `item ${scale.item.id} is described differently elsewhere`);
      items.set(scale.item.id, JSON.stringify(scale.item));
    });
    if (bar.scanner) {
      const bundle = bundles.get(bar.scanner.deviceId);
      const definition = bundle && findDeviceDefinition(bundle.model);
      if (!definition || !isScannerDefinition(definition))
        issue(['scanner', 'deviceId'], `${bar.scanner.deviceId} is not a scanner in devices`);
    }
    if (bar.camera) {
      const bundle = bundles.get(bar.camera.deviceId);
      const definition = bundle && findDeviceDefinition(bundle.model);
      if (!definition || definition.kind !== 'camera')
        issue(['camera', 'deviceId'], `${bar.camera.deviceId} is not a camera in devices`);
      if (bar.camera.slotMap.cameraId !== bar.camera.deviceId)
        issue(['camera', 'slotMap', 'cameraId'], `must be the camera's device id ${bar.camera.deviceId}`);
      bar.camera.slotMap.slots.forEach((slot, i) => {
        if (!items.has(slot.itemId))
          issue(['camera', 'slotMap', 'slots', i, 'itemId'], `no bottle of ${slot.itemId} on the scales`);
      });
    }
    bar.deliveries.forEach((delivery, i) => {
      const item = bar.scales.find((s) => s.item.id === delivery.itemId)?.item;
      if (!item) return issue(['deliveries', i, 'itemId'], `no item ${delivery.itemId} on the scales`);
      if (!item.barcodes.includes(delivery.barcode))
        issue(['deliveries', i, 'barcode'], `not a barcode of ${item.id}`);
    });
  });
export type BarFile = z.infer<typeof barFileSchema>;
export type BarFileInput = z.input<typeof barFileSchema>;

export class BarFileError extends Error {
  override readonly name = 'BarFileError';
  constructor(
    readonly file: string,
    readonly details: string[],
  ) {
    super(`${file} is not a valid bar file:\n${details.join('\n')}`);
  }
}

/** Validates a parsed bar file; failures are `path: message` lines. */
export function parseBarFile(value: unknown, file = 'bar file'): BarFile {
  const result = barFileSchema.safeParse(value);
  if (!result.success) throw new BarFileError(file, formatIssues(result.error));
  return result.data;
}

export async function loadBarFile(path: string): Promise<BarFile> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new BarFileError(path, [`(root): ${(error as Error).message}`]);
  }
  return parseBarFile(value, path);
}
