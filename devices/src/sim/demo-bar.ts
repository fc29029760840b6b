import { DEVICE_BUNDLE_VERSION, type DeviceBundle } from '@pourcast/protocol';
import { getDeviceDefinition } from '../definitions/registry.ts';
import { BAR_FILE_VERSION, parseBarFile, type BarFile, type BarItem } from './bar-file.ts';

/**
 * The demo bar's back-bar spirits: real-world bottle numbers (empty glass weights as weighed, densities from
 * ABV: 40% ≈ 0.95 g/ml, a 20% liqueur ≈ 1.03 with sugar). Seeds for the hub's catalog can use the same ids.
 */
export const DEMO_ITEMS: readonly BarItem[] = [
  {
    id: 'gin-london-dry-700',
    name: 'London Dry Gin 70cl',
    containerMl: 700,
    emptyWeightG: 540,
    densityGPerMl: 0.95,
    barcodes: ['5000289020701'],
  },
  {
    id: 'vodka-700',
    name: 'Vodka 70cl',
    containerMl: 700,
    emptyWeightG: 480,
    densityGPerMl: 0.95,
    barcodes: ['5000299223017'],
  },
  {
    id: 'rum-white-700',
    name: 'White Rum 70cl',
    containerMl: 700,
    emptyWeightG: 500,
    densityGPerMl: 0.95,
    barcodes: ['5010677015011'],
  },
  {
    id: 'tequila-blanco-700',
    name: 'Tequila Blanco 70cl',
    containerMl: 700,
    emptyWeightG: 560,
    densityGPerMl: 0.95,
    barcodes: ['7501035010109'],
  },
  {
    id: 'whisky-blended-700',
    name: 'Blended Scotch 70cl',
    containerMl: 700,
    emptyWeightG: 520,
    densityGPerMl: 0.95,
    barcodes: ['5000267014005'],
  },
  {
    id: 'triple-sec-700',
    name: 'Triple Sec 70cl',
    containerMl: 700,
    emptyWeightG: 610,
    densityGPerMl: 1.03,
    barcodes: ['3035540005046'],
  },
];

/** Device ids of the demo bar: a four-platform speed rail, a single scale for the whisky, a scanner. */
export const DEMO_DEVICES = [
  { id: 'rail-scale-1', model: 'pourcast-rail-scale-4' },
  { id: 'scale-whisky-1', model: 'pourcast-scale-hx711' },
  { id: 'scanner-1', model: 'generic-hid-scanner' },
] as const;

/** Which demo item stands where, and how full it starts (the triple sec is nearly out, so it runs dry early). */
const DEMO_SLOTS = [
  { deviceId: 'rail-scale-1', platform: 0, itemId: 'gin-london-dry-700', initialLevelMl: 612 },
  { deviceId: 'rail-scale-1', platform: 1, itemId: 'vodka-700', initialLevelMl: 455 },
  { deviceId: 'rail-scale-1', platform: 2, itemId: 'rum-white-700', initialLevelMl: 300 },
  { deviceId: 'rail-scale-1', platform: 3, itemId: 'triple-sec-700', initialLevelMl: 95 },
  { deviceId: 'scale-whisky-1', platform: 0, itemId: 'whisky-blended-700', initialLevelMl: 700 },
] as const;

export function demoSlots(): Array<{ deviceId: string; platform: number; itemId: string }> {
  return DEMO_SLOTS.map(({ deviceId, platform, itemId }) => ({ deviceId, platform, itemId }));
}

/** The demo bar file for these bundles (as provisioned for DEMO_DEVICES). */
export function demoBarFile(bundles: DeviceBundle[]): BarFile {
  const item = (id: string) => DEMO_ITEMS.find((i) => i.id === id)!;
  const scanner = bundles.find((b) => b.kind === 'scanner');
  const scales = DEMO_SLOTS.filter((s) => bundles.some((b) => b.deviceId === s.deviceId));
  const deliveries = [
    { barcode: '5000289020701', itemId: 'gin-london-dry-700', quantity: 6 },
    { barcode: '3035540005046', itemId: 'triple-sec-700', quantity: 2 },
  ].filter((d) => scales.some((s) => s.itemId === d.itemId));
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
