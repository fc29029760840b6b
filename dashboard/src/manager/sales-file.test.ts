import { describe, expect, it } from 'vitest';
import { MAX_CSV_CHARS, readSalesFile, toBase64 } from './sales-file.ts';

const file = (name: string, content: string | Uint8Array<ArrayBuffer>) => {
  const blob = new Blob([content]);
  return { name, text: () => blob.text(), arrayBuffer: () => blob.arrayBuffer() };
};

describe('a sales file for the hub import', () => {
  it('sends a CSV as text and a workbook as base64 that decodes to the same bytes', async () => {
    expect(await readSalesFile(file('sales.csv', 'a,b\n1,2\n'))).toEqual({
      fileName: 'sales.csv',
      csv: 'a,b\n1,2\n',
    });
    const bytes = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 256);
    const body = await readSalesFile(file('Week 48.XLSX', bytes));
    if (body === 'too-large' || !('xlsxBase64' in body))
      throw new Error(`not a workbook body: ${String(body)}`);
    expect(body.fileName).toBe('Week 48.XLSX');
    expect(Uint8Array.from(atob(body.xlsxBase64), (c) => c.charCodeAt(0))).toEqual(bytes);
    expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
  });

  it('refuses a file beyond the hub limit before sending it', async () => {
    expect(await readSalesFile(file('big.csv', 'x'.repeat(MAX_CSV_CHARS + 1)))).toBe('too-large');
  });
});
