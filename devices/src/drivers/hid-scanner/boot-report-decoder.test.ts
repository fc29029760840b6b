import { describe, expect, it } from 'vitest';
import { BootReportDecoder, HidReportError, keyToChar } from './boot-report-decoder.ts';
import { KEYBOARD_LAYOUTS, type LayoutId } from './keyboard-layouts.ts';
import { EAN_AZERTY, EAN_US, report } from '../test-support/recorded-hid-reports.ts';

function typed(reports: string[], layoutId: LayoutId): string {
  const decoder = new BootReportDecoder();
  let text = '';
  for (const hex of reports) {
    for (const press of decoder.decode(report(hex)))
      text += keyToChar(press, KEYBOARD_LAYOUTS[layoutId]) ?? '∅';
  }
  return text;
}

describe('boot keyboard reports → text', () => {
  it('decodes an EAN-13 from a US scanner', () => {
    expect(typed(EAN_US, 'us')).toBe('5012345678900\n');
  });

  it('decodes the same EAN-13 from an AZERTY scanner (Shift + digit row)', () => {
    expect(typed(EAN_AZERTY, 'fr')).toBe('5012345678900\n');
  });

  it('shows why the layout matters: AZERTY reports read as US are symbols', () => {
    expect(typed(EAN_AZERTY.slice(0, 6), 'us')).toBe('%)');
    // and US reports read as AZERTY are the unshifted digit-row characters
    expect(typed(EAN_US.slice(0, 6), 'fr')).toBe('(à&');
  });

  it('reads letters and symbols on QWERTZ: Y/Z swapped, Shift, AltGr', () => {
    const reports = [
      '02 00 04 00 00 00 00 00', // Shift+A → A
      '02 00 1c 00 00 00 00 00', // Shift + US "Y" key → Z
      '00 00 1d 00 00 00 00 00', // US "Z" key → y
      '00 00 38 00 00 00 00 00', // US "/" key → -
      '02 00 24 00 00 00 00 00', // Shift+7 → /
      '40 00 14 00 00 00 00 00', // AltGr+Q → @
      '00 00 00 00 00 00 00 00',
    ];
    expect(typed(reports, 'de')).toBe('AZy-/@');
  });

  it('reads AZERTY letters: A/Q and Z/W swapped, M beside L', () => {
    const reports = [
      '02 00 14 00 00 00 00 00', // US "Q" key → A
      '02 00 1a 00 00 00 00 00', // US "W" key → Z
      '20 00 33 00 00 00 00 00', // Right Shift + US ";" key → M
      '00 00 10 00 00 00 00 00', // US "M" key → ,
      '00 00 00 00 00 00 00 00',
    ];
    expect(typed(reports, 'fr')).toBe('AZM,');
  });

  it('does not repeat a key held across reports (rollover) but does type a released-and-pressed key again', () => {
    const reports = [
      '00 00 27 00 00 00 00 00', // 0 down
      '00 00 27 1e 00 00 00 00', // 0 still down, 1 down
      '00 00 1e 00 00 00 00 00', // 0 up, 1 still down
      '00 00 1e 1f 00 00 00 00', // 2 down
      '00 00 00 00 00 00 00 00',
      '00 00 1f 00 00 00 00 00', // 2 again
      '00 00 00 00 00 00 00 00',
    ];
    expect(typed(reports, 'us')).toBe('0122');
  });

  it('ignores ErrorRollOver reports and keeps what was held', () => {
    const reports = [
      '00 00 04 00 00 00 00 00',
      '00 00 01 01 01 01 01 01',
      '00 00 04 05 00 00 00 00', // a still held: only b is new
    ];
    expect(typed(reports, 'us')).toBe('ab');
  });

  it('accepts a 9-byte report with a leading report ID, and refuses other lengths', () => {
    const decoder = new BootReportDecoder();
    expect(decoder.decode(report('01 00 00 05 00 00 00 00 00'))).toEqual([{ usage: 0x05, modifiers: 0 }]);
    expect(() => decoder.decode(report('00 00 05'))).toThrow(HidReportError);
  });

  it('types nothing for dead keys, Ctrl chords and unknown keys', () => {
    const fr = KEYBOARD_LAYOUTS.fr;
    expect(keyToChar({ usage: 0x2f, modifiers: 0 }, fr)).toBeNull(); // ^ is dead on AZERTY
    expect(keyToChar({ usage: 0x06, modifiers: 0x01 }, fr)).toBeNull(); // Ctrl+C
    expect(keyToChar({ usage: 0x3a, modifiers: 0 }, fr)).toBeNull(); // F1
    expect(keyToChar({ usage: 0x5a, modifiers: 0 }, fr)).toBe('2'); // keypad 2
  });
});
