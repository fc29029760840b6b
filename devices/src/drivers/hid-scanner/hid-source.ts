import { importOptionalModule } from '../optional-module.ts';

/** The part of node-hid's `HID` device the scanner driver uses; tests pass an emitter of recorded reports. */
export interface HidReportSource {
  on(event: 'data', listener: (report: Buffer) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  close(): void;
}

export interface HidDeviceInfo {
  vendorId: number;
  productId: number;
  path?: string;
  product?: string;
  manufacturer?: string;
  usagePage?: number;
  usage?: number;
}

interface NodeHidModule {
  devices(): HidDeviceInfo[];
  HID: new (path: string) => HidReportSource;
}

const NODE_HID_HINT =
  'Install the devices package with optional dependencies on the Pi; node-hid needs libusb-1.0-0 and ' +
  'libudev1 (apt install libusb-1.0-0 libudev1), see docs/HARDWARE.md. Or run with --stdin.';

/** `05e0:1200` → vendor and product ids. */
export function parseVidPid(text: string): { vendorId: number; productId: number } | undefined {
  const match = /^([0-9a-f]{4}):([0-9a-f]{4})$/i.exec(text);
  return match ? { vendorId: parseInt(match[1]!, 16), productId: parseInt(match[2]!, 16) } : undefined;
}

function describeDevice(d: HidDeviceInfo): string {
  const hex = (n: number) => n.toString(16).padStart(4, '0');
  return `${hex(d.vendorId)}:${hex(d.productId)} ${d.manufacturer ?? ''} ${d.product ?? ''} (${d.path ?? 'no path'})`.trim();
}

/**
 * Chooses the scanner among the HID devices: by `vid:pid` or hidraw path when given, else the only
 * keyboard-class interface (Generic Desktop page 0x01, usage 0x06 Keyboard).
 */
export function chooseHidDevice(devices: HidDeviceInfo[], wanted: string | undefined): HidDeviceInfo {
  const ids = wanted ? parseVidPid(wanted) : undefined;
  const candidates = wanted
    ? devices.filter((d) =>
        ids ? d.vendorId === ids.vendorId && d.productId === ids.productId : d.path === wanted,
      )
    : devices.filter((d) => d.usagePage === 0x01 && d.usage === 0x06);
  // A composite scanner lists several interfaces: prefer its keyboard one.
  const keyboards = candidates.filter(
    (d) => d.usagePage === undefined || (d.usagePage === 0x01 && d.usage === 0x06),
  );
  const chosen = keyboards.length > 0 ? keyboards : candidates;
  if (chosen.length === 1 || (wanted && chosen.length > 0)) return chosen[0]!;
  const listing = devices.length ? devices.map(describeDevice).join('\n  ') : '(no HID devices found)';
  throw new Error(
    `${chosen.length === 0 ? 'no' : 'more than one'} HID keyboard device${wanted ? ` matches ${wanted}` : ''}: ` +
      `pass --hid <vid:pid|path>. Devices:\n  ${listing}`,
  );
}

export async function openHidScanner(
  wanted: string | undefined,
): Promise<{ source: HidReportSource; name: string }> {
  const hid = await importOptionalModule<NodeHidModule>('node-hid', {
    purpose: 'the USB HID barcode scanner driver',
    hint: NODE_HID_HINT,
  });
  const device = chooseHidDevice(hid.devices(), wanted);
  if (!device.path) throw new Error(`HID device ${describeDevice(device)} has no path to open`);
  return { source: new hid.HID(device.path), name: describeDevice(device) };
}
