import { USAGE } from './hid-usages.ts';

/**
 * A keyboard-wedge scanner types the barcode as key presses for the layout it was programmed for, so
 * the host must read the key codes with that same layout. A key's characters: without modifier, with
 * Shift, with AltGr. `null` is a dead key or no character; such a key spoils the barcode.
 */
export type KeyChars = readonly [plain: string | null, shift: string | null, altGr?: string | null];

export interface KeyboardLayout {
  id: LayoutId;
  name: string;
  keys: ReadonlyMap<number, KeyChars>;
}

export const LAYOUT_IDS = ['us', 'de', 'fr'] as const;
export type LayoutId = (typeof LAYOUT_IDS)[number];

/** Keys that read the same on all three layouts (with Num Lock on, as scanners assume). */
const SHARED: ReadonlyArray<readonly [number, KeyChars]> = [
  [USAGE.enter, ['\n', '\n']],
  [USAGE.keypadEnter, ['\n', '\n']],
  [USAGE.tab, ['\t', '\t']],
  [USAGE.space, [' ', ' ']],
  [0x54, ['/', '/']],
  [0x55, ['*', '*']],
  [0x56, ['-', '-']],
  [0x57, ['+', '+']],
  ...[...'123456789'].map((d, i) => [0x59 + i, [d, d]] as const),
  [0x62, ['0', '0']],
  [0x63, ['.', '.']],
];

/** Usages 0x04-0x1D: the letter each US-position key types (lower case; Shift gives upper). */
function letters(positions: string): Array<readonly [number, KeyChars]> {
  return [...positions].map((letter, i) => [USAGE.a + i, [letter, letter.toUpperCase()]] as const);
}

/** Usages 0x1E-0x27 (keys 1…0 on a US keyboard). */
function digitRow(plain: string, shift: string, altGr: string = ''): Array<readonly [number, KeyChars]> {
  return [...plain].map((p, i) => [USAGE.digit1 + i, [nul(p), nul(shift[i]), nul(altGr[i])]] as const);
}

/** `·` marks "no character" in the compact tables below. */
function nul(char: string | undefined): string | null {
  return char === undefined || char === '·' ? null : char;
}

function layout(id: LayoutId, name: string, ...parts: Array<ReadonlyArray<readonly [number, KeyChars]>>) {
  return { id, name, keys: new Map(parts.flat()) } satisfies KeyboardLayout;
}

/** US QWERTY (ANSI), the factory setting of most scanners. */
const US = layout(
  'us',
  'US English (QWERTY)',
  SHARED,
  letters('abcdefghijklmnopqrstuvwxyz'),
  digitRow('1234567890', '!@#$%^&*()'),
  [
    [0x2d, ['-', '_']],
    [0x2e, ['=', '+']],
    [0x2f, ['[', '{']],
    [0x30, [']', '}']],
    [0x31, ['\\', '|']],
    [0x32, ['\\', '|']],
    [0x33, [';', ':']],
    [0x34, ["'", '"']],
    [0x35, ['`', '~']],
    [0x36, [',', '<']],
    [0x37, ['.', '>']],
    [0x38, ['/', '?']],
    [0x64, ['\\', '|']],
  ],
);

/** German QWERTZ (ISO, DIN 2137): Y and Z swapped, umlauts, `´` and `^` dead. */
const DE = layout(
  'de',
  'German (QWERTZ)',
  SHARED,
  letters('abcdefghijklmnopqrstuvwxzy'),
  digitRow('1234567890', '!"§$%&/()=', '·²³···{[]}'),
  [
    [0x14, ['q', 'Q', '@']],
    [0x08, ['e', 'E', '€']],
    [0x10, ['m', 'M', 'µ']],
    [0x2d, ['ß', '?', '\\']],
    [0x2e, [null, null]],
    [0x2f, ['ü', 'Ü']],
    [0x30, ['+', '*', '~']],
    [0x31, ['#', "'"]],
    [0x32, ['#', "'"]],
    [0x33, ['ö', 'Ö']],
    [0x34, ['ä', 'Ä']],
    [0x35, [null, '°']],
    [0x36, [',', ';']],
    [0x37, ['.', ':']],
    [0x38, ['-', '_']],
    [0x64, ['<', '>', '|']],
  ],
);

/** French AZERTY (ISO): A/Q and Z/W swapped, M right of L, digits need Shift, `^` and `¨` dead. */
const FR = layout(
  'fr',
  'French (AZERTY)',
  SHARED,
  letters('qbcdefghijklmnoparstuvzxyw'),
  digitRow('&é"\'(-è_çà', '1234567890', '··#{[|·\\^@'),
  [
    [0x08, ['e', 'E', '€']],
    [0x10, [',', '?']],
    [0x2d, [')', '°', ']']],
    [0x2e, ['=', '+', '}']],
    [0x2f, [null, null]],
    [0x30, ['$', '£', '¤']],
    [0x31, ['*', 'µ']],
    [0x32, ['*', 'µ']],
    [0x33, ['m', 'M']],
    [0x34, ['ù', '%']],
    [0x35, ['²', null]],
    [0x36, [';', '.']],
    [0x37, [':', '/']],
    [0x38, ['!', '§']],
    [0x64, ['<', '>']],
  ],
);

export const KEYBOARD_LAYOUTS: Readonly<Record<LayoutId, KeyboardLayout>> = { us: US, de: DE, fr: FR };

export function isLayoutId(value: string): value is LayoutId {
  return (LAYOUT_IDS as readonly string[]).includes(value);
}
