import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../../test/support/browser.ts';
import { downscalePhoto, fitWithin, PHOTO_MAX_SIDE, toBase64 } from './waste-photo.ts';

describe('fitWithin', () => {
  it('shrinks the longer side to the limit, keeps the aspect ratio and never enlarges', () => {
    expect(fitWithin(4032, 3024, 1280)).toEqual({ width: 1280, height: 960 });
    expect(fitWithin(3024, 4032, 1280)).toEqual({ width: 960, height: 1280 });
    expect(fitWithin(640, 480, 1280)).toEqual({ width: 640, height: 480 });
  });
});

describe('downscalePhoto in chromium', () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchBrowser();
    page = await browser.newPage();
    await page.setContent('<!doctype html><title>photo</title>');
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('turns a large camera image into a JPEG at most 1280 px on its longer side', async () => {
    // The module's own functions, run as they are in the page (they import nothing).
    const result = await page.evaluate(
      async ([downscale, base64, max]) => {
        const fns = {
          downscale: new Function(`return ${downscale}`)() as typeof downscalePhoto,
          base64: new Function(`return ${base64}`)() as typeof toBase64,
        };
        const canvas = document.createElement('canvas');
        canvas.width = 4000;
        canvas.height = 3000;
        const ctx = canvas.getContext('2d')!;
        ctx.fillStyle = '#c33';
        ctx.fillRect(0, 0, 4000, 3000);
        const png = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
        const jpeg = await fns.downscale(png, max);
        const bitmap = await createImageBitmap(jpeg);
        const notImage = await fns.downscale(new Blob(['not an image']), max);
        return {
          type: jpeg.type,
          width: bitmap.width,
          height: bitmap.height,
          head: (await fns.base64(jpeg)).slice(0, 4),
          unchanged: await notImage.text(),
        };
      },
      [downscalePhoto.toString(), toBase64.toString(), PHOTO_MAX_SIDE] as const,
    );
    expect(result).toEqual({
      type: 'image/jpeg',
      width: 1280,
      height: 960,
      head: '/9j/', // base64 of FF D8 FF
      unchanged: 'not an image',
    });
  });
});
