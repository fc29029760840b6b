import { DEVICE_BUNDLE_VERSION, type DeviceBundle } from '@pourcast/protocol';
import { getDeviceDefinition } from '../definitions/registry.ts';
import { BAR_FILE_VERSION, parseBarFile, type BarFile, type BarItem } from './bar-file.ts';

/**
 * The demo bar's speed-rail bottles: the same names, sizes, glass weights, densities and EAN-13s as the hub's
 * demo catalog (hub/seed/items.ts), so a start script can map them to the hub's item ids by barcode.
 * The ids here are the simulator's own slugs.
 */
export const DEMO_ITEMS: readonly BarItem[] = [
  {
    id: 'tanqueray-700',
    name: 'Tanqueray London Dry Gin',
    containerMl: 700,
    emptyWeightG: 560,
    densityGPerMl: 0.95,
    barcodes: ['5000297000016'],
  },
  {
    id: 'absolut-1000',
    name: 'Absolut Vodka',
    containerMl: 1000,
    emptyWeightG: 650,
    densityGPerMl: 0.95,
    barcodes: ['7312310000414'],
  },
  {
    id: 'bacardi-1000',
    name: 'Bacardi Carta Blanca',
    containerMl: 1000,
    emptyWeightG: 640,
    densityGPerMl: 0.95,
    barcodes: ['5010440000893'],
  },
  {
    id: 'aperol-700',
    name: 'Aperol',
    containerMl: 700,
    emptyWeightG: 560,
    densityGPerMl: 1.05,
    barcodes: ['8002000002321'],
  },
  {
    id: 'jameson-700',
    name: 'Jameson Irish Whiskey',
    containerMl: 700,
    emptyWeightG: 520,
    densityGPerMl: 0.95,
    barcodes: ['5011013001194'],
  },
];

/** Device ids of the demo bar: a four-platform speed rail, a single scale for the whiskey, a scanner. */
export const DEMO_DEVICES = [
  { id: 'rail-scale-1', model: 'pourcast-rail-scale-4' },
  { id: 'scale-whiskey-1', model: 'pourcast-scale-hx711' },
  { id: 'scanner-1', model: 'generic-hid-scanner' },
] as const;

/** Which demo item stands where, and how full it starts (the Aperol is nearly out, so it runs dry early). */
const DEMO_SLOTS = [
  { deviceId: 'rail-scale-1', platform: 0, itemId: 'tanqueray-700', initialLevelMl: 612 },
  { deviceId: 'rail-scale-1', platform: 1, itemId: 'absolut-1000', initialLevelMl: 455 },
  { deviceId: 'rail-scale-1', platform: 2, itemId: 'bacardi-1000', initialLevelMl: 300 },
  { deviceId: 'rail-scale-1', platform: 3, itemId: 'aperol-700', initialLevelMl: 95 },
  { deviceId: 'scale-whiskey-1', platform: 0, itemId: 'jameson-700', initialLevelMl: 700 },
] as const;

/** Demo item slug → the hub's id for it, found by barcode in the hub's items; slugs without a match stay. */
export function demoItemIdsByBarcode(
  hubItems: ReadonlyArray<{ id: string; barcodes: readonly string[] }>,
): Record<string, string> {
  const ids: Record<string, string> = {};
  for (const item of DEMO_ITEMS) {
    const match = hubItems.find((h) => h.barcodes.some((b) => item.barcodes.includes(b)));
    if (match) ids[item.id] = match.id;
  }
  return ids;
}

export interface DemoBarOptions {
  /** Demo item slug → item id to use instead (the hub's, see demoItemIdsByBarcode). */
  itemIds?: Record<string, string>;
}

export function demoSlots(
  options: DemoBarOptions = {},
): Array<{ deviceId: string; platform: number; itemId: string }> {
  return DEMO_SLOTS.map(({ deviceId, platform, itemId }) => ({
    deviceId,
    platform,
    itemId: options.itemIds?.[itemId] ?? itemId,
  }));
}

/** The demo bar file for these bundles (as provisioned for DEMO_DEVICES). */
export function demoBarFile(bundles: DeviceBundle[], options: DemoBarOptions = {}): BarFile {
  const rename = (id: string) => options.itemIds?.[id] ?? id;
  const item = (id: string) => {
    const found = DEMO_ITEMS.find((i) => i.id === id)!;
    return { ...found, id: rename(found.id) };
  };
  const scanner = bundles.find((b) => b.kind === 'scanner');
  const scales = DEMO_SLOTS.filter((s) => bundles.some((b) => b.deviceId === s.deviceId));
  const deliveries = [
    { barcode: '5000297000016', itemId: 'tanqueray-700', quantity: 6 },
    { barcode: '8002000002321', itemId: 'aperol-700', quantity: 2 },
  ]
    .filter((d) => scales.some((s) => s.itemId === d.itemId))
    .map((d) => ({ ...d, itemId: rename(d.itemId) }));
  return parseBarFile({
    version: BAR_FILE_VERSION,
    devices: bundles,
    scales: scales.map((s) => ({
      deviceId: s.deviceId,
      platform: s.platform,
      item: item(s.itemId),
      initialLevelMl: s.initialLevelMl,
    })),
    ...(scanner ? { scanner: { deviceId: scanner.deviceId } } : {}),
    deliveries,
  });
}

/** Bundles for the demo devices on a broker, with the secrets the caller issued. */
export function demoBundles(brokerUrl: string, secretOf: (deviceId: string) => string): DeviceBundle[] {
  return DEMO_DEVICES.map(({ id, model }) => ({
    version: DEVICE_BUNDLE_VERSION,
    deviceId: id,
    kind: getDeviceDefinition(model).kind,
    model,
    secret: secretOf(id),
    brokerUrl,
  }));
}
