import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LoginResponse } from '@pourcast/protocol';
import { seedDemo, type DemoSeed } from '../src/demo/seed-demo.ts';
import { NOT_ORGANIZATION_DATA, organizationTables } from '../src/data-rights/org-tables.ts';
import {
  batch,
  call,
  claimGateway,
  createItem,
  createLocation,
  emptyDatabase,
  event,
  login,
  otherOrganization,
  staff,
  viaWorker,
} from './helpers.ts';

/** D1's and workerd's own tables, not the hub's. */
const INTERNAL = /^(sqlite_|_cf_|d1_migrations$)/;

const allTables = async () =>
  (
    await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all<{
      name: string;
    }>()
  ).results
    .map((r) => r.name)
    .filter((name) => !INTERNAL.test(name));
const countAll = async () => {
  const counts: Record<string, number> = {};
  for (const name of await allTables())
    counts[name] = (await env.DB.prepare(`SELECT COUNT(*) AS n FROM "${name}"`).first<{ n: number }>())!.n;
  return counts;
};
const exportOf = async (token: string) => {
  const answer = await call('GET', '/organization/export', { token });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body as { tables: Record<string, Record<string, unknown>[]> };
};

/** Data in the second organization, through the API: a bar, staff, an item, a supplier offer, a gateway's events. */
async function fillSecond(owner: LoginResponse) {
  const locationId = await createLocation(owner.token, 'Second Bar');
  await staff(owner.token, 'bartender');
  const item = await createItem(owner.token, { name: 'Second Gin' });
  const supplier = (
    await call('POST', '/suppliers', { token: owner.token, json: { name: 'Second Supplier' } })
  ).body;
  await call('POST', `/suppliers/${supplier.id}/offers`, {
    token: owner.token,
    json: { itemId: item.id, price: 9 },
  });
  const gateway = await claimGateway(owner.token, locationId);
  const ingest = await call('POST', `/gateways/${gateway.gatewayId}/events`, {
    token: gateway.token,
    json: batch(gateway.gatewayId, 1, [event(gateway.gatewayId, 1, { locationId, itemId: item.id })]),
  });
  expect(ingest.status).toBeLessThan(300);
}

let seed: DemoSeed;
let first: LoginResponse;
let second: LoginResponse;

beforeAll(async () => {
  await emptyDatabase();
  seed = await seedDemo('http://hub.test', undefined, { fetch: viaWorker });
  first = await login(seed.credentials.owner.email, seed.credentials.owner.password);
  const gateway = await claimGateway(first.token, seed.locationId);
  await call('POST', `/gateways/${gateway.gatewayId}/token/rotate`, { token: first.token });
  second = await otherOrganization('Second Bar Group');
  await fillSecond(second);
}, 120_000); // the demo seed hashes several passwords: seconds of CPU on a loaded machine

describe('every table is organization data or says why not', () => {
  it("scopes every table of the hub's D1", async () => {
    const { scoped, unscoped } = organizationTables();
    expect(unscoped).toEqual([]);
    const known = new Set([...scoped.map((t) => t.name), ...Object.keys(NOT_ORGANIZATION_DATA)]);
    const missing = (await allTables()).filter((name) => !known.has(name));
    expect(
      missing,
      'tables in D1 that hub/src/db/schema.ts does not export: export them (data-rights scopes the schema), or ' +
        'list them in NOT_ORGANIZATION_DATA with the reason',
    ).toEqual([]);
  });
});

describe('export', () => {
  it('gives each organization exactly its own rows: the two exports add up to every row', async () => {
    const counts = await countAll();
    const a = await exportOf(first.token);
    const b = await exportOf(second.token);
    const withRows = Object.keys(a.tables).filter((name) => a.tables[name]!.length > 0);
    expect(withRows.length).toBeGreaterThanOrEqual(15);
    for (const [name, total] of Object.entries(counts)) {
      if (name in NOT_ORGANIZATION_DATA) continue;
      expect(a.tables[name]!.length + b.tables[name]!.length, name).toBe(total);
    }
    expect(JSON.stringify(b)).not.toContain(seed.items[0]!.name);
  });

  it('never exports a password hash, token hash or signing key', async () => {
    const text = JSON.stringify(await exportOf(first.token));
    expect(text).not.toMatch(/pbkdf2-sha256\$/);
    for (const row of (await exportOf(first.token)).tables.users!)
      expect(row.passwordHash).toBe('[redacted]');
    const keys = await env.DB.prepare('SELECT signing_key FROM pos_connections').all<{
      signing_key: string;
    }>();
    for (const { signing_key } of keys.results) expect(text).not.toContain(signing_key);
  });

  it('answers a ZIP with export.json and one CSV per table', async () => {
    const response = await viaWorker('http://hub.test/api/v1/organization/export?format=zip', {
      headers: { authorization: `Bearer ${first.token}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    const bytes = new Uint8Array(await response.arrayBuffer());
    const names = zipNames(bytes);
    expect(names).toContain('export.json');
    expect(names).toContain('items.csv');
    expect(names.filter((n) => n.endsWith('.csv')).length).toBe(organizationTables().scoped.length);
    const itemsCsv = new TextDecoder().decode(zipEntry(bytes, 'items.csv'));
    expect(itemsCsv.split('\r\n')[0]).toContain('name');
    expect(itemsCsv).toContain(seed.items[0]!.name);
  });

  it('is for owners only', async () => {
    const manager = await login(seed.credentials.manager.email, seed.credentials.manager.password);
    expect((await call('GET', '/organization/export', { token: manager.token })).status).toBe(403);
  });
});

describe('deleting the organization', () => {
  it('needs the exact name and an owner', async () => {
    const manager = await login(seed.credentials.manager.email, seed.credentials.manager.password);
    expect(
      (await call('DELETE', '/organization', { token: manager.token, json: { confirm: 'x' } })).status,
    ).toBe(403);
    const wrong = await call('DELETE', '/organization', {
      token: first.token,
      json: { confirm: 'not the name' },
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.details).toEqual(['body.confirm: does not match the organization name']);
    expect((await call('DELETE', '/organization', { token: first.token, json: {} })).status).toBe(400);
  });

  it("removes every row of it in every table and leaves the other organization's rows alone", async () => {
    const b = await exportOf(second.token);
    const before = await countAll();
    const name = (await env.DB.prepare('SELECT name FROM organizations WHERE id = ?')
      .bind(seed.organizationId)
      .first<{ name: string }>())!.name;
    const answer = await call('DELETE', '/organization', { token: first.token, json: { confirm: name } });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const after = await countAll();
    for (const table of Object.keys(before)) {
      if (table in NOT_ORGANIZATION_DATA) continue;
      expect(after[table], table).toBe(b.tables[table]!.length);
      expect(answer.body.deleted[table], table).toBe(before[table]! - after[table]!);
    }
    // The people went with it; the second organization still works.
    expect(
      (
        await call('POST', '/auth/login', {
          json: { email: seed.credentials.owner.email, password: seed.credentials.owner.password },
        })
      ).status,
    ).toBe(401);
    expect((await call('GET', '/items', { token: first.token })).status).toBe(401);
    expect(
      (await call('GET', '/items', { token: second.token })).body.map((i: { name: string }) => i.name),
    ).toEqual(['Second Gin']);
  });
});

/** File names in a ZIP's central directory (APPNOTE 4.3.12). */
function zipNames(bytes: Uint8Array): string[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.length - 22;
  expect(view.getUint32(end, true)).toBe(0x06054b50);
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    expect(view.getUint32(at, true)).toBe(0x02014b50);
    const nameLength = view.getUint16(at + 28, true);
    const extra = view.getUint16(at + 30, true);
    const comment = view.getUint16(at + 32, true);
    names.push(new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength)));
    at += 46 + nameLength + extra + comment;
  }
  return names;
}

/** A stored entry's data, found by walking the local headers. */
function zipEntry(bytes: Uint8Array, wanted: string): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  while (view.getUint32(at, true) === 0x04034b50) {
    const size = view.getUint32(at + 18, true);
    const nameLength = view.getUint16(at + 26, true);
    const extra = view.getUint16(at + 28, true);
    const name = new TextDecoder().decode(bytes.subarray(at + 30, at + 30 + nameLength));
    const start = at + 30 + nameLength + extra;
    if (name === wanted) return bytes.subarray(start, start + size);
    at = start + size;
  }
  throw new Error(`${wanted} not in the zip`);
}
