import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../../test/support/browser.ts';
import { auditContrast } from './contrast-audit.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => browser?.close());

/** The audit in chromium over a page whose every pair is known: it must flag exactly the bad ones. */
describe('the contrast audit', () => {
  it('flags text below 4.5:1 (3:1 when large), composites translucent backgrounds, skips what WCAG exempts', async () => {
    const page = await browser.newPage();
    await page.setContent(`
      <body style="background:#ffffff;color:#000000;font-size:15px">
        <p>black on white</p>
        <p style="color:#777777">grey 777 on white</p>
        <p style="color:#767676">grey 767676 on white</p>
        <p style="color:#949494;font-size:24px">large 949494 on white</p>
        <p style="color:#949494;font-size:19px;font-weight:700">bold 949494 on white</p>
        <div style="background:rgba(0,0,0,0.7)"><span style="color:#ffffff">white on 70 % black</span></div>
        <div style="background:rgba(0,0,0,0.7)"><span style="color:#595959">595959 on 70 % black</span></div>
        <button disabled style="color:#cccccc;background:#ffffff">disabled</button>
        <p style="position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);color:#eeeeee">hidden</p>
        <p hidden style="color:#eeeeee">not shown</p>
        <svg width="200" height="40"><text x="0" y="20" style="fill:#bbbbbb">svg label</text></svg>
      </body>`);
    const failures = await page.evaluate(auditContrast);
    expect(failures.map((f) => f.text).sort()).toEqual([
      '595959 on 70 % black',
      'grey 777 on white',
      'svg label',
    ]);
    const grey = failures.find((f) => f.text === 'grey 777 on white')!;
    expect(grey.ratio).toBeCloseTo(4.48, 2);
    expect(grey.required).toBe(4.5);
    await page.close();
  }, 60_000);
});
