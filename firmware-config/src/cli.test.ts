import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBarFile } from '@pourcast/devices';
import { runConfigCli } from './cli.ts';

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runConfigCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('pourcast-config CLI', () => {
  it('prints help, and exits 2 on no or an unknown command', async () => {
    expect(await run('--help')).toMatchObject({ code: 0, stdout: expect.stringContaining('provision-demo') });
    expect((await run()).code).toBe(2);
    expect(await run('frobnicate')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown command frobnicate'),
    });
    expect((await run('validate')).code).toBe(2);
    expect((await run('provision-demo', '--mqtt-port', 'x')).code).toBe(2);
  });

  it('provisions the demo bar once, keeps it on a rerun, and validates what it wrote', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pourcast-cli-'));
    const out = join(dir, 'provisioning');
    const bar = join(dir, 'bar', 'sim.json');
    const first = await run('provision-demo', '--out', out, '--bar', bar, '--mqtt-port', '18830');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('devices/rail-scale-1.json');
    const barFile = parseBarFile(JSON.parse(await readFile(bar, 'utf8')));
    expect(barFile.devices.map((d) => d.brokerUrl)).toEqual(Array(3).fill('mqtt://127.0.0.1:18830'));
    const gateway = await readFile(join(out, 'gateway.json'), 'utf8');
    for (const device of barFile.devices) expect(gateway).not.toContain(device.secret);

    const again = await run('provision-demo', '--out', out, '--bar', bar);
    expect(again).toMatchObject({ code: 0, stdout: expect.stringContaining('kept it') });
    expect(await readFile(join(out, 'gateway.json'), 'utf8')).toBe(gateway);

    expect(await run('validate', join(out, 'gateway.json'))).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('3 devices'),
    });
  });

  it('names the hub item ids when given the hub items, matched by barcode', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pourcast-cli-'));
    const items = join(dir, 'items.json');
    await writeFile(
      items,
      JSON.stringify([
        { id: '01JDEMOTANQUERAY0000000000', name: 'Tanqueray', barcodes: ['5000297000016'] },
        { id: '01JDEMOAPEROL0000000000000', name: 'Aperol', barcodes: ['8002000002321'] },
      ]),
    );
    const bar = join(dir, 'sim.json');
    const { code } = await run('provision-demo', '--out', dir, '--bar', bar, '--hub-items', items);
    expect(code).toBe(0);
    const gateway = JSON.parse(await readFile(join(dir, 'gateway.json'), 'utf8'));
    expect(gateway.devices[0].slots.map((s: { itemId: string }) => s.itemId)).toEqual([
      '01JDEMOTANQUERAY0000000000',
      'absolut-1000',
      'bacardi-1000',
      '01JDEMOAPEROL0000000000000',
    ]);
    const barFile = parseBarFile(JSON.parse(await readFile(bar, 'utf8')));
    expect(barFile.scales[0]!.item.id).toBe('01JDEMOTANQUERAY0000000000');
    expect(barFile.deliveries.map((d) => d.itemId)).toEqual([
      '01JDEMOTANQUERAY0000000000',
      '01JDEMOAPEROL0000000000000',
    ]);

    await writeFile(items, JSON.stringify([{ id: 'has space' }]));
    const bad = await run('provision-demo', '--out', join(dir, 'other'), '--bar', bar, '--hub-items', items);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^0\.id: /m);
  });

  it('validate: exit 2 with path: message lines, exit 1 when unreadable, reports an upgrade', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pourcast-cli-'));
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ version: 1, gateway: { http: { port: 'eighty' } } }));
    const invalid = await run('validate', bad);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr.split('\n')).toContain(
      'gateway.http.port: Invalid input: expected number, received string',
    );
    expect((await run('validate', join(dir, 'missing.json'))).code).toBe(1);
    const old = join(dir, 'v0.json');
    await writeFile(old, JSON.stringify({ name: 'bar', mqttPort: 1883, devices: [] }));
    expect(await run('validate', old)).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^upgraded v0 → v1/),
    });
  });

  it('prints a JSON Schema for editors', async () => {
    const { code, stdout } = await run('schema');
    expect(code).toBe(0);
    const schema = JSON.parse(stdout);
    expect(schema.properties.version).toBeDefined();
    expect(schema.properties.gateway.properties.mqtt).toBeDefined();
  });
});
