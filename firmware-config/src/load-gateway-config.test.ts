import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deviceBundleSchema, GATEWAY_CONFIG_VERSION } from '@pourcast/protocol';
import {
  ConfigFileError,
  loadGatewayConfig,
  loadGatewayConfigFile,
  parseGatewayConfigText,
} from './load-gateway-config.ts';
import { migrateGatewayConfig, type Migration } from './migrations.ts';
import { provisionBar } from './provision.ts';
import { writeProvisioning } from './write-provisioning.ts';

const HASH = `hmac-sha256$${'A'.repeat(22)}$${'B'.repeat(43)}`;
const failure = (text: string) => {
  try {
    parseGatewayConfigText(text, 'gw.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigFileError);
    return (error as ConfigFileError).details;
  }
  throw new Error('expected a failure');
};

describe('gateway config files', () => {
  it('writes gateway.json and one 0600 bundle per device, and reads them back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pourcast-fc-'));
    const result = await provisionBar({
      devices: [{ id: 'scale-1', model: 'pourcast-scale-hx711', slots: [{ itemId: 'gin' }] }],
    });
    await writeFile(join(dir, 'gateway.json'), 'old', { mode: 0o644 });
    const written = await writeProvisioning(dir, result);
    expect((await stat(written.gatewayConfigPath)).mode & 0o777).toBe(0o600);
    expect((await stat(written.deviceBundlePaths['scale-1']!)).mode & 0o777).toBe(0o600);
    expect(await loadGatewayConfig(written.gatewayConfigPath)).toEqual(result.gatewayConfig);
    const bundle = deviceBundleSchema.parse(
      JSON.parse(await readFile(join(dir, 'devices', 'scale-1.json'), 'utf8')),
    );
    expect(bundle).toEqual(result.deviceBundles[0]);
  });

  it('reports every problem as a path: message line', () => {
    expect(
      failure(
        '{"version": 1, "gateway": {"mqtt": {"port": 70000}}, "devices": [{"id": "s1", "kind": "scale"}]}',
      ),
    ).toEqual([
      expect.stringMatching(/^gateway\.mqtt\.port: /),
      expect.stringMatching(/^devices\.0\.id: must be 3-64/),
      expect.stringMatching(/^devices\.0\.model: /),
      expect.stringMatching(/^devices\.0\.secretHash: /),
    ]);
    expect(failure('{"version": 1,')).toEqual([expect.stringMatching(/^\(root\): malformed JSON/)]);
    expect(failure('[1]')).toEqual(['(root): must be a JSON object']);
    expect(failure('{"version": 2, "gateway": {}}')).toEqual([
      expect.stringMatching(/^version: 2 is newer than this tool understands \(1\)/),
    ]);
    expect(failure('{"version": "1"}')).toEqual(['version: must be a whole number']);
  });

  it('says when the file cannot be read', async () => {
    await expect(loadGatewayConfigFile('/nonexistent/gw.json')).rejects.toMatchObject({
      details: ['(file): cannot read /nonexistent/gw.json: ENOENT'],
    });
  });

  it('upgrades a v0 file (ports at the top level) instead of rejecting it', () => {
    const v0 = {
      name: 'copper-still',
      mqttPort: 1884,
      httpPort: 8081,
      hubUrl: 'https://hub.example.com',
      devices: [{ id: 'scale-1', kind: 'scale', model: 'pourcast-scale-hx711', secretHash: HASH }],
    };
    const loaded = parseGatewayConfigText(JSON.stringify(v0));
    expect(loaded.fromVersion).toBe(0);
    expect(loaded.migrations).toEqual([expect.stringMatching(/^v0 → v1: /)]);
    expect(loaded.config.version).toBe(GATEWAY_CONFIG_VERSION);
    expect(loaded.config.gateway).toMatchObject({
      name: 'copper-still',
      mqtt: { host: '127.0.0.1', port: 1884 },
      http: { port: 8081 },
      hub: { url: 'https://hub.example.com' },
    });
    expect(loaded.config.devices[0]).toMatchObject({ id: 'scale-1', slots: [] });
    // A v0 file that is wrong still fails with the upgraded paths.
    expect(failure(JSON.stringify({ ...v0, mqttPort: -1 }))).toEqual([
      expect.stringMatching(/^gateway\.mqtt\.port: /),
    ]);
  });

  it('chains migrations step by step and names a missing step', () => {
    const steps: Migration[] = [
      { from: 0, to: 1, describe: 'a', migrate: (v) => ({ ...v, version: 1, a: true }) },
      { from: 1, to: 2, describe: 'b', migrate: (v) => ({ ...v, version: 2, b: true }) },
    ];
    expect(migrateGatewayConfig({}, steps, 2)).toEqual({
      ok: true,
      value: { version: 2, a: true, b: true },
      fromVersion: 0,
      applied: ['v0 → v1: a', 'v1 → v2: b'],
    });
    expect(migrateGatewayConfig({ version: 1 }, steps, 2)).toMatchObject({
      ok: true,
      applied: ['v1 → v2: b'],
    });
    expect(migrateGatewayConfig({ version: 0 }, steps.slice(1), 2)).toEqual({
      ok: false,
      errors: ['version: no upgrade from version 0'],
    });
  });
});
