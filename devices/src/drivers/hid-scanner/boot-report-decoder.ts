import { BOOT_REPORT_LENGTH, CTRL_BITS, MODIFIER, SHIFT_BITS, USAGE } from './hid-usages.ts';
import type { KeyboardLayout } from './keyboard-layouts.ts';

/** A key that went down in this report, with the modifiers held in the same report. */
export interface KeyPress {
  usage: number;
  modifiers: number;
}

export class HidReportError extends Error {
  override readonly name = 'HidReportError';
}

/**
 * Turns boot keyboard reports into key presses. A report lists every key held down, so a key is
 * pressed when it appears in a report and was not in the previous one; a key held across reports
 * (rollover while the next key goes down, or a slow release) is not pressed again. A scanner types
 * a doubled digit ("00") as press, release, press.
 */
export class BootReportDecoder {
  private held = new Set<number>();

  decode(report: Uint8Array): KeyPress[] {
    const bytes = this.bootBytes(report);
    const modifiers = bytes[0]!;
    const slots = [...bytes.subarray(2, 8)];
    // HID Usage Tables, Keyboard page: ErrorRollOver in every slot means "too many keys down": the
    // report says nothing about which keys, so the held set is kept as it was.
    if (slots.every((usage) => usage === USAGE.errorRollOver)) return [];
    const now = new Set(slots.filter((usage) => usage > USAGE.errorUndefined));
    const pressed: KeyPress[] = [];
    for (const usage of now) if (!this.held.has(usage)) pressed.push({ usage, modifiers });
    this.held = now;
    return pressed;
  }

  reset(): void {
    this.held.clear();
  }

  /** 8 bytes; 9 when the device numbers its reports (hidraw then prepends the report ID). */
  private bootBytes(report: Uint8Array): Uint8Array {
    if (report.length === BOOT_REPORT_LENGTH) return report;
    if (report.length === BOOT_REPORT_LENGTH + 1) return report.subarray(1);
    throw new HidReportError(`expected an 8-byte boot keyboard report, got ${report.length} bytes`);
  }
}

/** What a key press types on a layout: a character (including `\n` and `\t`), or null when it types none. */
export function keyToChar(press: KeyPress, layout: KeyboardLayout): string | null {
  const chars = layout.keys.get(press.usage);
  if (!chars) return null;
  const shift = (press.modifiers & SHIFT_BITS) !== 0;
  // AltGr is Right Alt; Windows also treats Ctrl+Left Alt as AltGr.
  const altGr =
    (press.modifiers & MODIFIER.rightAlt) !== 0 ||
    ((press.modifiers & CTRL_BITS) !== 0 && (press.modifiers & MODIFIER.leftAlt) !== 0);
  if (altGr) return chars[2] ?? null;
  // A Ctrl or GUI chord is a shortcut, not a character.
  if (press.modifiers & (CTRL_BITS | MODIFIER.leftAlt | MODIFIER.leftGui | MODIFIER.rightGui)) return null;
  return shift ? chars[1] : chars[0];
}
