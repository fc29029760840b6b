import { describe, expect, it } from 'vitest';
import { importOptionalModule, MissingHardwareModuleError } from '../optional-module.ts';
import { chooseHidDevice, parseVidPid, type HidDeviceInfo } from './hid-source.ts';

const SCANNER: HidDeviceInfo = {
  vendorId: 0x05e0,
  productId: 0x1200,
  path: '/dev/hidraw1',
  product: 'Symbol Bar Code Scanner',
  usagePage: 0x01,
  usage: 0x06,
};
const SCANNER_POS: HidDeviceInfo = { ...SCANNER, path: '/dev/hidraw2', usagePage: 0x8c, usage: 0x02 };
const MOUSE: HidDeviceInfo = {
  vendorId: 0x046d,
  productId: 0xc077,
  path: '/dev/hidraw0',
  usagePage: 0x01,
  usage: 0x02,
};

describe('choosing the scanner among HID devices', () => {
  it('parses vid:pid', () => {
    expect(parseVidPid('05e0:1200')).toEqual({ vendorId: 0x05e0, productId: 0x1200 });
    expect(parseVidPid('5e0:1200')).toBeUndefined();
  });

  it('takes the keyboard interface of the device named by vid:pid', () => {
    expect(chooseHidDevice([MOUSE, SCANNER_POS, SCANNER], '05e0:1200')).toBe(SCANNER);
  });

  it('takes a hidraw path as given', () => {
    expect(chooseHidDevice([MOUSE, SCANNER_POS, SCANNER], '/dev/hidraw2')).toBe(SCANNER_POS);
  });

  it('takes the only keyboard when nothing is named, and lists the devices when it cannot choose', () => {
    expect(chooseHidDevice([MOUSE, SCANNER], undefined)).toBe(SCANNER);
    expect(() => chooseHidDevice([MOUSE], undefined)).toThrow(/no HID keyboard device[^]*046d:c077/);
    expect(() => chooseHidDevice([SCANNER, { ...SCANNER, path: '/dev/hidraw5' }], undefined)).toThrow(
      /more than one/,
    );
  });
});

describe('optional hardware modules', () => {
  it('explains a missing module with its purpose and the fix', async () => {
    const failing = () => Promise.reject(new Error("Cannot find package 'node-hid'"));
    const loading = importOptionalModule('node-hid', {
      purpose: 'the scanner',
      hint: 'Run --stdin.',
      load: failing,
    });
    await expect(loading).rejects.toThrow(MissingHardwareModuleError);
    await expect(loading).rejects.toThrow(
      "node-hid is needed for the scanner but could not be loaded (Cannot find package 'node-hid'). Run --stdin.",
    );
  });
});
