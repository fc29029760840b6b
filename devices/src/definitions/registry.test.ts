import { describe, expect, it } from 'vitest';
import { publishChannelsByKind } from '@pourcast/protocol';
import { defineDevice } from './define-device.ts';
import { connectedBy, loadCell, platforms, sampleRate } from './parts.ts';
import {
  deviceDefinitions,
  deviceModelsOfKind,
  getDeviceDefinition,
  getScaleDefinition,
} from './registry.ts';

describe('device definitions', () => {
  it('describes the HX711 bottle scale from its parts', () => {
    const scale = getScaleDefinition('pourcast-scale-hx711');
    expect(scale.kind).toBe('scale');
    expect(scale.scale).toEqual({
      platforms: 1,
      sampleHz: 10,
      minG: 0,
      maxG: 5_000,
      resolutionG: 0.1,
      noiseSigmaG: 0.2,
    });
    expect(scale.commands).toEqual(['tare', 'calibrate']);
    expect(scale.publishes).toEqual(publishChannelsByKind.scale);
  });

  it('knows the keg scale range and the HID scanner', () => {
    expect(getScaleDefinition('pourcast-keg-scale').scale.maxG).toBe(80_000);
    const scanner = getDeviceDefinition('generic-hid-scanner');
    expect(scanner.kind).toBe('scanner');
    expect(scanner.scanner?.defaultMode).toBe('count');
    expect(scanner.commands).toContain('set-scan-mode');
    expect(deviceModelsOfKind('scanner')).toEqual(['generic-hid-scanner']);
  });

  it('names the known models when asked for an unknown one', () => {
    expect(() => getDeviceDefinition('acme-9000')).toThrow(
      /unknown device model "acme-9000"; known: .*pourcast-scale-hx711/,
    );
    expect(() => getScaleDefinition('generic-hid-scanner')).toThrow(/is a scanner, not a scale/);
  });

  it('has unique model names', () => {
    const models = deviceDefinitions.map((d) => d.model);
    expect(new Set(models).size).toBe(models.length);
  });

  it('refuses a definition that does not add up', () => {
    expect(() =>
      defineDevice({
        model: 'x',
        vendor: 'v',
        description: 'd',
        extend: [loadCell({ maxG: 10, resolutionG: 1, noiseSigmaG: 1 })],
      }),
    ).toThrow(/no part gives a connection/);
    expect(() =>
      defineDevice({
        model: 'x',
        vendor: 'v',
        description: 'd',
        extend: [loadCell({ maxG: 10, resolutionG: 1, noiseSigmaG: 1 }), connectedBy('wifi'), platforms(1)],
      }),
    ).toThrow(/scale is missing sampleHz/);
    expect(() =>
      defineDevice({
        model: 'x',
        vendor: 'v',
        description: 'd',
        extend: [
          loadCell({ maxG: 10, resolutionG: 1, noiseSigmaG: 1 }),
          connectedBy('wifi'),
          platforms(17),
          sampleRate(10),
        ],
      }),
    ).toThrow(/platforms must be 1-16/);
  });
});
