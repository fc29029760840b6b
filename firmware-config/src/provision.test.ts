import { describe, expect, it } from 'vitest';
import { deviceBundleSchema, gatewayConfigSchema, verifySecret } from '@pourcast/protocol';
import { ProvisioningError, provisionBar } from './provision.ts';

describe('provisionBar', () => {
  it('issues a secret per device: hashed in the gateway config, clear in the bundle', async () => {
    const { gatewayConfig, deviceBundles } = await provisionBar({
      gateway: { name: 'copper-still', mqtt: { host: '10.0.0.2', port: 1884 } },
      devices: [
        { id: 'rail-scale-1', model: 'pourcast-rail-scale-4', slots: [{ platform: 2, itemId: 'gin' }] },
        { id: 'scanner-1', model: 'generic-hid-scanner', area: 'storeroom' },
      ],
    });
    expect(gatewayConfigSchema.parse(gatewayConfig)).toEqual(gatewayConfig);
    expect(gatewayConfig.devices.map((d) => [d.id, d.kind, d.model])).toEqual([
      ['rail-scale-1', 'scale', 'pourcast-rail-scale-4'],
      ['scanner-1', 'scanner', 'generic-hid-scanner'],
    ]);
    expect(gatewayConfig.devices[0]!.slots).toEqual([{ platform: 2, itemId: 'gin' }]);
    expect(gatewayConfig.devices[1]).toMatchObject({ scanMode: 'count', area: 'storeroom' });
    expect(deviceBundles).toHaveLength(2);
    for (const [i, bundle] of deviceBundles.entries()) {
      expect(deviceBundleSchema.parse(bundle)).toEqual(bundle);
      expect(bundle.brokerUrl).toBe('mqtt://10.0.0.2:1884');
      expect(await verifySecret(bundle.secret, gatewayConfig.devices[i]!.secretHash)).toBe(true);
      expect(JSON.stringify(gatewayConfig)).not.toContain(bundle.secret);
    }
    expect(deviceBundles[0]!.secret).not.toBe(deviceBundles[1]!.secret);
  });

  it('names an mqtts:// broker in the bundles when the gateway listens with TLS', async () => {
    const tls = { certFile: '/etc/pourcast/gateway.pem', keyFile: '/etc/pourcast/gateway.key' };
    const devices = [{ id: 'scale-1', model: 'pourcast-scale-hx711' }];
    const withTls = await provisionBar({ gateway: { mqtt: { host: '10.0.0.2', port: 8883, tls } }, devices });
    expect(withTls.deviceBundles[0]!.brokerUrl).toBe('mqtts://10.0.0.2:8883');
    const plain = await provisionBar({ gateway: { mqtt: { host: '10.0.0.2', port: 1883 } }, devices });
    expect(plain.deviceBundles[0]!.brokerUrl).toBe('mqtt://10.0.0.2:1883');
  });

  it('refuses what the definitions do not allow, as path: message lines', async () => {
    const attempt = provisionBar({
      devices: [
        { id: 'Scale 1', model: 'pourcast-scale-hx711' },
        { id: 'scale-2', model: 'acme-9000' },
        { id: 'scale-3', model: 'pourcast-scale-hx711', slots: [{ platform: 1, itemId: 'gin' }] },
        { id: 'scale-3', model: 'generic-hid-scanner', slots: [{ itemId: 'gin' }] },
      ],
    });
    await expect(attempt).rejects.toBeInstanceOf(ProvisioningError);
    const error = (await attempt.catch((e: unknown) => e)) as ProvisioningError;
    expect(error.details).toEqual([
      'devices.0.id: must be 3-64 of a-z, 0-9 and -',
      expect.stringMatching(/^devices\.1\.model: unknown device model "acme-9000"/),
      'devices.2.slots.0.platform: pourcast-scale-hx711 has platforms 0-0',
      'devices.3.id: duplicate device scale-3',
      'devices.3.slots: only scales have platforms',
    ]);
  });
});
