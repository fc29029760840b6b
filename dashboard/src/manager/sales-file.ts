/** A sales export as the hub's import takes it: CSV text, or an XLSX workbook as base64. */
export type SalesFileBody = { fileName: string; csv: string } | { fileName: string; xlsxBase64: string };

/** The hub's limits (protocol csvImportRequestSchema): refused here first, with the same numbers. */
export const MAX_CSV_CHARS = 5_000_000;
export const MAX_XLSX_BASE64_CHARS = 7_000_000;

export const isWorkbook = (fileName: string) => /\.xlsx$/i.test(fileName);

/** Bytes as base64, in slices so a large workbook does not overflow the argument list. */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** The request body for a chosen file, or the reason it cannot be sent ("too-large"). */
export async function readSalesFile(
  file: Pick<File, 'name' | 'text' | 'arrayBuffer'>,
): Promise<SalesFileBody | 'too-large'> {
  const fileName = file.name.slice(0, 200);
  if (isWorkbook(file.name)) {
    const xlsxBase64 = toBase64(new Uint8Array(await file.arrayBuffer()));
    return xlsxBase64.length > MAX_XLSX_BASE64_CHARS ? 'too-large' : { fileName, xlsxBase64 };
  }
  const csv = await file.text();
  return csv.length > MAX_CSV_CHARS ? 'too-large' : { fileName, csv };
}
