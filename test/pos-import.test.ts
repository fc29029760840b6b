import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import {
  csvMappingSchema,
  importJobSchema,
  loginResponseSchema,
  menuItemSchema,
  posMappingSchema,
  type ImportJob,
} from '@pourcast/protocol';
import { seedDemo, type DemoSeed } from '@pourcast/hub/demo';
import { HubApiClient } from '../scripts/lib/hub-api-client.ts';
import { startHub, type HubProcess } from '../scripts/lib/hub-process.ts';

// A manager's big POS export on the real Worker runtime (wrangler dev): recorded in the background while the
// hub goes on answering, the import's own progress included.
const LINES = 4000;

let dir: string;
let hub: HubProcess;
let seed: DemoSeed;
let manager: HubApiClient;
const logs: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pourcast-pos-import-'));
  hub = await startHub({
    dataDir: join(dir, 'hub'),
    migratedD1: inject('migratedD1'),
    onLine: (line) => logs.push(line),
  });
  seed = await seedDemo(hub.url);
  const client = new HubApiClient(hub.url);
  const login = await client.request('POST', '/auth/login', loginResponseSchema, seed.credentials.manager);
  manager = client.withToken(login.token);
});

afterAll(async () => {
  await hub?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a big POS export on wrangler dev', () => {
  it('is recorded in the background while the hub answers, its progress shown as it goes', async () => {
    const [menuItem] = await manager.request('GET', '/menu-items', z.array(menuItemSchema));
    await manager.request('POST', '/pos/mappings', posMappingSchema, {
      provider: 'csv',
      externalId: 'EXPORT-1',
      menuItemId: menuItem!.id,
    });
    const mapping = await manager.request('POST', '/pos/csv-mappings', csvMappingSchema, {
      name: 'Weekly export',
      columns: { soldAt: 'Closed', itemId: 'PLU', itemName: 'Item', quantity: 'Sold', lineId: 'Ticket line' },
    });
    const csv = [
      'Closed,PLU,Item,Sold,Ticket line',
      ...Array.from(
        { length: LINES },
        (_, i) => `2026-06-${String(1 + (i % 28)).padStart(2, '0')} 21:30,EXPORT-1,House pour,1,L${i}`,
      ),
    ].join('\n');
    const started = await manager.request('POST', '/pos/imports', importJobSchema, {
      locationId: seed.locationId,
      mappingId: mapping.id,
      fileName: 'export.csv',
      csv,
    });
    expect(started).toMatchObject({ status: 'running', processed: 0, total: LINES });

    // Follow it as the dashboard does. A hub that held every request until the job was done would answer
    // the first of these with the finished import and never show it part-way.
    const seen: ImportJob[] = [];
    for (let job = started; job.status === 'running';) {
      job = await manager.request('GET', `/pos/imports/${started.importId}`, importJobSchema);
      seen.push(job);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const partWay = seen.filter((job) => job.status === 'running' && job.processed > 0);
    expect(partWay.length, logs.slice(-20).join('\n')).toBeGreaterThan(0);
    expect(partWay.every((job) => job.processed < LINES)).toBe(true);
    expect(seen.at(-1)).toMatchObject({
      status: 'done',
      processed: LINES,
      result: { lines: LINES, recorded: LINES, duplicates: 0, errors: [] },
    });
  });
});
