import { describe, expect, it } from 'vitest';
import { gatewayConfigSchema } from './provisioning.ts';
import { validate } from './validation.ts';

describe('gateway config', () => {
  it('fills sane defaults from a minimal file', () => {
    const config = gatewayConfigSchema.parse({ version: 1, gateway: {} });
    expect(config.gateway.mqtt.port).toBe(1883);
    expect(config.gateway.mqtt.maxPayloadBytes).toBe(256 * 1024);
    expect(config.gateway.http.port).toBe(8080);
    expect(config.scale.stableWindow).toBe(5);
  });

  it('reports a bad device as path: message', () => {
    const result = validate(gatewayConfigSchema, {
      version: 1,
      gateway: {},
      devices: [{ id: 'Bad Id', kind: 'scale', model: 'x', secretHash: 'nope' }],
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.details.some((line) => line.startsWith('devices.0.id: '))).toBe(true);
      expect(result.details.some((line) => line.startsWith('devices.0.secretHash: '))).toBe(true);
    }
  });
});
