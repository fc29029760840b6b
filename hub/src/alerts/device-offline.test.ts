import { beforeAll, describe, expect, it } from 'vitest';
import type { DeviceHealthReport, LoginResponse } from '@pourcast/protocol';
import { call, claimGateway, createLocation, freshHub, staff } from '../../test/helpers.ts';
import { deviceOfflineAlerts, type DeviceOfflineFact } from './device-offline.ts';

const NOW = new Date('2026-03-06T21:00:00Z');
const minutesBefore = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString();
const fact = (fields: Partial<DeviceOfflineFact>): DeviceOfflineFact => ({
  gatewayId: 'gw-1',
  gatewayName: 'Back bar',
  gatewayLastSeenAt: minutesBefore(1),
  locationId: 'bar-1',
  locationName: 'The Copper Still',
  deviceId: 'well-scale-1',
  kind: 'scale',
  lastStatusAt: minutesBefore(20),
  reportedAt: minutesBefore(1),
  ...fields,
});

describe('deviceOfflineAlerts', () => {
  it('warns about a device offline for 15 minutes behind a gateway that is online', () => {
    const [alert] = deviceOfflineAlerts([fact({})], NOW);
    expect(alert).toMatchObject({
      rule: 'device_offline',
      severity: 'warning',
      locationId: 'bar-1',
      dedupKey: 'device_offline:gw-1:well-scale-1',
      title: 'Scale well-scale-1 at The Copper Still is offline',
    });
    expect(alert!.body).toContain(`last heard ${minutesBefore(20)}`);
    expect(deviceOfflineAlerts([fact({ lastStatusAt: null })], NOW)).toHaveLength(1);
  });

  it('waits out a short drop, and leaves an offline gateway to the gateway rule', () => {
    expect(deviceOfflineAlerts([fact({ lastStatusAt: minutesBefore(14) })], NOW)).toEqual([]);
    expect(deviceOfflineAlerts([fact({ gatewayLastSeenAt: minutesBefore(15) })], NOW)).toEqual([]);
  });
});

describe('the device_offline rule on the hub', () => {
  let owner: LoginResponse;
  let technician: LoginResponse;
  let gateway: Awaited<ReturnType<typeof claimGateway>>;

  beforeAll(async () => {
    owner = await freshHub();
    technician = await staff(owner.token, 'technician');
    gateway = await claimGateway(owner.token, await createLocation(owner.token, 'The Copper Still'));
  });

  const report = (cameraState: 'online' | 'offline', lastStatusAt: string): DeviceHealthReport => ({
    reportedAt: new Date().toISOString(),
    devices: [
      {
        deviceId: 'shelf-cam-1',
        kind: 'camera',
        model: 'pourcast-shelf-cam',
        state: cameraState,
        lastStatusAt,
        drift: [],
      },
      {
        deviceId: 'door-scanner',
        kind: 'scanner',
        model: 'generic-hid-scanner',
        state: 'unknown',
        lastStatusAt: null,
        drift: [],
      },
    ],
  });
  const send = (body: DeviceHealthReport) =>
    call('POST', `/gateways/${gateway.gatewayId}/devices/health`, { token: gateway.token, json: body });
  const open = async (token = owner.token) => {
    expect((await call('POST', '/alerts/run', { token: owner.token })).status).toBe(200);
    const list = await call('GET', '/alerts?status=open', { token });
    return (list.body.alerts as Array<{ rule: string; title: string }>).filter(
      (a) => a.rule === 'device_offline',
    );
  };

  it('opens one alert for the camera gone an hour, none for the never-seen scanner, and resolves it when back', async () => {
    // The report itself is the gateway heard from now; the camera's last will came an hour ago.
    expect((await send(report('offline', new Date(Date.now() - 3_600_000).toISOString()))).status).toBe(200);
    expect((await open()).map((a) => a.title)).toEqual(['Camera shelf-cam-1 at The Copper Still is offline']);
    expect(await open()).toHaveLength(1);
    // Technicians hear about devices as they do about gateways.
    const notified = await call('GET', '/notifications', { token: technician.token });
    expect(notified.body.notifications.map((n: { rule: string }) => n.rule)).toEqual(['device_offline']);

    expect((await send(report('online', new Date().toISOString()))).status).toBe(200);
    expect(await open()).toEqual([]);
  });
});
