/**
 * USB HID boot keyboard: Device Class Definition for HID 1.11, Appendix B.1 "Protocol 1 (Keyboard)"
 * gives the 8-byte input report — byte 0 modifier bits, byte 1 reserved, bytes 2-7 up to six key
 * codes — and the key codes are usages of the Keyboard/Keypad page (0x07) of the HID Usage Tables.
 */
export const BOOT_REPORT_LENGTH = 8;

/** Byte 0 bits (HID 1.11 §8.3 / Usage Tables 0xE0-0xE7). */
export const MODIFIER = {
  leftCtrl: 0x01,
  leftShift: 0x02,
  leftAlt: 0x04,
  leftGui: 0x08,
  rightCtrl: 0x10,
  rightShift: 0x20,
  /** AltGr on European layouts. */
  rightAlt: 0x40,
  rightGui: 0x80,
} as const;

export const SHIFT_BITS = MODIFIER.leftShift | MODIFIER.rightShift;
export const CTRL_BITS = MODIFIER.leftCtrl | MODIFIER.rightCtrl;

/** Keyboard/Keypad page usages the decoder names. */
export const USAGE = {
  none: 0x00,
  /** Sent in every key slot when more keys are down than the report holds. */
  errorRollOver: 0x01,
  postFail: 0x02,
  errorUndefined: 0x03,
  a: 0x04,
  z: 0x1d,
  digit1: 0x1e,
  digit0: 0x27,
  enter: 0x28,
  escape: 0x29,
  backspace: 0x2a,
  tab: 0x2b,
  space: 0x2c,
  keypadEnter: 0x58,
} as const;

/** Usage of the letter key at a US position: `letterUsage('q')` → 0x14. */
export function letterUsage(letter: string): number {
  return USAGE.a + (letter.toLowerCase().charCodeAt(0) - 'a'.charCodeAt(0));
}

/** Usage of a digit-row key: 1-9 → 0x1E-0x26, 0 → 0x27. */
export function digitUsage(digit: string): number {
  return digit === '0' ? USAGE.digit0 : USAGE.digit1 + Number(digit) - 1;
}
