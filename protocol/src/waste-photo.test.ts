import { describe, expect, it } from 'vitest';
import { sniffWastePhoto, WASTE_PHOTO_MAX_BYTES, wastePhotoProblem } from './waste-photo.ts';

const bytes = (...values: (number | string)[]) =>
  Uint8Array.from(values.flatMap((v) => (typeof v === 'string' ? [...v].map((c) => c.charCodeAt(0)) : [v])));

describe('sniffWastePhoto', () => {
  it('knows JPEG, PNG and WebP by their first bytes, and nothing else', () => {
    expect(sniffWastePhoto(bytes(0xff, 0xd8, 0xff, 0xe1))).toBe('image/jpeg');
    expect(sniffWastePhoto(bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBe('image/png');
    expect(sniffWastePhoto(bytes('RIFF', 0, 0, 0, 0, 'WEBPVP8 '))).toBe('image/webp');
    expect(sniffWastePhoto(bytes('RIFF', 0, 0, 0, 0, 'WAVEfmt '))).toBeNull();
    expect(sniffWastePhoto(bytes('GIF89a'))).toBeNull();
    expect(sniffWastePhoto(bytes(0xff, 0xd8))).toBeNull();
  });

  it('gives the status and reason of a refused photo', () => {
    const big = new Uint8Array(WASTE_PHOTO_MAX_BYTES + 1);
    big.set([0xff, 0xd8, 0xff]);
    expect(wastePhotoProblem(big)?.status).toBe(413);
    expect(wastePhotoProblem(bytes('<svg'))).toMatchObject({ status: 415 });
    expect(wastePhotoProblem(big.subarray(0, WASTE_PHOTO_MAX_BYTES))).toBeNull();
  });
});
