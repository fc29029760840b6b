import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';

/** A CSV table held column by column, each value dictionary-encoded (codes index `values`). */
export interface Table {
  header: string[];
  columns: { values: string[]; codes: Int32Array }[];
  rows: number;
}

/** Splits one CSV record (RFC 4180 quoting); returns null while a quoted field is still open. */
export function splitRecord(text: string): string[] | null {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') ((field += '"'), i++);
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') (fields.push(field), (field = ''));
    else field += c;
  }
  if (quoted) return null;
  fields.push(field);
  return fields;
}

async function isGzip(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/** Streams a plain or gzipped CSV (detected by its magic bytes) into a dictionary-encoded table. */
export async function readTable(path: string, onProgress?: (rows: number) => void): Promise<Table> {
  const file = createReadStream(path);
  const stream = (await isGzip(path)) ? file.pipe(createGunzip()) : file;
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let header: string[] | undefined;
  let columns: { values: string[]; index: Map<string, number>; codes: Int32Array }[] = [];
  let rows = 0;
  let pending = '';
  for await (const line of lines) {
    const text = pending ? `${pending}\n${line}` : line;
    const fields = splitRecord(text);
    if (!fields) {
      pending = text;
      continue;
    }
    pending = '';
    if (!header) {
      header = fields.map((f) => f.trim());
      columns = header.map(() => ({ values: [], index: new Map(), codes: new Int32Array(1 << 16) }));
      continue;
    }
    if (fields.length === 1 && fields[0] === '') continue;
    columns.forEach((column, c) => {
      const value = (fields[c] ?? '').trim();
      let code = column.index.get(value);
      if (code === undefined) {
        code = column.values.length;
        column.values.push(value);
        column.index.set(value, code);
      }
      if (rows >= column.codes.length) {
        const grown = new Int32Array(column.codes.length * 2);
        grown.set(column.codes);
        column.codes = grown;
      }
      column.codes[rows] = code;
    });
    rows++;
    if (onProgress && rows % 200_000 === 0) onProgress(rows);
  }
  if (!header) throw new Error(`${path}: empty file`);
  return {
    header,
    rows,
    columns: columns.map((c) => ({ values: c.values, codes: c.codes.subarray(0, rows) })),
  };
}
