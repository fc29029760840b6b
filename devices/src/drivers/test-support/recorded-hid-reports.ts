/**
 * Boot keyboard reports as a scanner sends them, written out by hand from the HID Usage Tables
 * (Keyboard page: 1-9 → 0x1E-0x26, 0 → 0x27, Enter 0x28; modifier bit 0x02 Left Shift).
 */

/** A recorded report as its hex bytes, e.g. `02 00 22 00 00 00 00 00`. */
export function report(hex: string): Buffer {
  return Buffer.from(
    hex
      .trim()
      .split(/\s+/)
      .map((byte) => parseInt(byte, 16)),
  );
}

// "5012345678900⏎" from a scanner set to US: each digit a press report then an all-up report.
export const EAN_US = [
  '00 00 22 00 00 00 00 00',
  '00 00 00 00 00 00 00 00', // 5
  '00 00 27 00 00 00 00 00',
  '00 00 00 00 00 00 00 00', // 0
  '00 00 1e 00 00 00 00 00',
  '00 00 00 00 00 00 00 00', // 1
  '00 00 1f 00 00 00 00 00',
  '00 00 00 00 00 00 00 00', // 2
  '00 00 20 00 00 00 00 00',
  '00 00 00 00 00 00 00 00', // 3
  '00 00 21 00 00 00 00 00',
  '00 00 00 00 00 00 00 00', // 4
  '00 00 22 00 00 00 00 00',
  '00 00 00 00 00 00 00 00', // 5
  '00 00 23 00 00 00 00 00',
  '00 00 00 00 00 00 00 00', // 6
  '00 00 24 00 00 00 00 00',
  '00 00 00 00 00 00 00 00', // 7
  '00 00 25 00 00 00 00 00',
  '00 00 00 00 00 00 00 00', // 8
  '00 00 26 00 00 00 00 00',
  '00 00 00 00 00 00 00 00', // 9
  '00 00 27 00 00 00 00 00',
  '00 00 00 00 00 00 00 00', // 0
  '00 00 27 00 00 00 00 00',
  '00 00 00 00 00 00 00 00', // 0
  '00 00 28 00 00 00 00 00',
  '00 00 00 00 00 00 00 00', // Enter
];

// The same code from a scanner set to French AZERTY: digits are the shifted digit-row keys. This one
// sends Left Shift alone first, then Shift + key, then all up.
export const EAN_AZERTY = [
  ...['22', '27', '1e', '1f', '20', '21', '22', '23', '24', '25', '26', '27', '27'].flatMap((key) => [
    '02 00 00 00 00 00 00 00',
    `02 00 ${key} 00 00 00 00 00`,
    '00 00 00 00 00 00 00 00',
  ]),
  '00 00 28 00 00 00 00 00',
  '00 00 00 00 00 00 00 00',
];
