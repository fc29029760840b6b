import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadGatewayConfig, parseGatewayConfig } from './load-config.ts';

describe('gateway config loading', () => {
  it('fills defaults for a minimal file', async () => {
    const loaded = await parseGatewayConfig(JSON.stringify({ version: 1, gateway: {} }));
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.config.gateway.mqtt.maxPayloadBytes).toBe(256 * 1024);
    expect(loaded.config.scale.stableWindow).toBe(5);
  });

  it('reports schema failures as path: message lines', async () => {
    const loaded = await parseGatewayConfig(
      JSON.stringify({ version: 1, gateway: { mqtt: { port: 'x' } }, devices: [{ id: 'A!' }] }),
    );
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.errors).toContainEqual(expect.stringMatching(/^gateway\.mqtt\.port: /));
    expect(loaded.errors).toContainEqual(expect.stringMatching(/^devices\.0\.id: /));
  });

  it('reports malformed JSON and a missing file', async () => {
    const bad = await parseGatewayConfig('{');
    expect(bad.ok ? [] : bad.errors[0]).toMatch(/^\(root\): malformed JSON/);
    const dir = mkdtempSync(join(tmpdir(), 'pourcast-config-'));
    const missing = await loadGatewayConfig(join(dir, 'nope.json'));
    expect(missing.ok ? [] : missing.errors[0]).toMatch(/ENOENT/);
    writeFileSync(join(dir, 'ok.json'), JSON.stringify({ version: 1, gateway: { name: 'bar' } }));
    const ok = await loadGatewayConfig(join(dir, 'ok.json'));
    expect(ok.ok && ok.config.gateway.name).toBe('bar');
  });

  it('upgrades an older file version instead of rejecting it', async () => {
    const loaded = await parseGatewayConfig(
      JSON.stringify({ name: 'copper-still', mqttPort: 1884, devices: [] }),
    );
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.config.version).toBe(1);
    expect(loaded.config.gateway.mqtt.port).toBe(1884);
    expect(loaded.migrations).toEqual([expect.stringMatching(/^v0 → v1: /)]);
  });
});
