import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { gatewayDeviceSchema, type DeviceHealthReport, type LoginResponse } from '@pourcast/protocol';
import {
  call,
  claimGateway,
  createLocation,
  freshHub,
  otherOrganization,
  staff,
} from '../../test/helpers.ts';
import { openDb } from '../db/client.ts';

let owner: LoginResponse;
let locationId: string;
let gateway: Awaited<ReturnType<typeof claimGateway>>;

beforeEach(async () => {
  owner = await freshHub();
  locationId = await createLocation(owner.token, 'The Copper Still');
  gateway = await claimGateway(owner.token, locationId);
});

const report = (emptyG: number, drifted: boolean): DeviceHealthReport => ({
  reportedAt: new Date().toISOString(),
  devices: [
    {
      deviceId: 'well-scale-1',
      kind: 'scale',
      model: 'pourcast-scale-hx711',
      state: 'online',
      lastStatusAt: new Date().toISOString(),
      calibratedAt: '2026-11-01T09:00:00.000Z',
      drift: [
        { platform: 0, emptyG, drifted, since: drifted ? new Date().toISOString() : null },
        { platform: 1, emptyG: 0.4, drifted: false, since: null },
      ],
    },
    {
      deviceId: 'door-scanner',
      kind: 'scanner',
      model: 'generic-hid-scanner',
      state: 'offline',
      lastStatusAt: null,
      drift: [],
    },
  ],
});

const send = (body: unknown, token = gateway.token, id = gateway.gatewayId) =>
  call('POST', `/gateways/${id}/devices/health`, { token, json: body });

async function runAlerts(token = owner.token) {
  const run = await call('POST', '/alerts/run', { token });
  expect(run.status).toBe(200);
  const open = await call('GET', '/alerts?status=open', { token });
  return (open.body.alerts as Array<{ rule: string; title: string; body: string; severity: string }>).filter(
    (a) => a.rule === 'scale_recalibration',
  );
}

describe('a gateway reports its devices', () => {
  it('keeps the latest report per gateway, replacing the previous one', async () => {
    expect(await send(report(7.2, true))).toMatchObject({ status: 200, body: { stored: 2 } });
    const one = { ...report(0.1, false), devices: report(0.1, false).devices.slice(0, 1) };
    expect(await send(one)).toMatchObject({ status: 200, body: { stored: 1 } });
    const rows = await openDb(env.DB).all<{ device_id: string; drift: string }>(
      sql`SELECT device_id, drift FROM gateway_devices WHERE gateway_id = ${gateway.gatewayId}`,
    );
    expect(rows.map((r) => r.device_id)).toEqual(['well-scale-1']);
    expect(JSON.parse(rows[0]!.drift)[0]).toMatchObject({ emptyG: 0.1, drifted: false });
  });

  it('refuses a bad report with path: message lines, and a gateway acting as another', async () => {
    const bad = await send({ reportedAt: 'yesterday', devices: [{ deviceId: 'X', drift: 'lots' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^body\.reportedAt: /),
        expect.stringMatching(/^body\.devices\.0\.drift: /),
      ]),
    );
    const other = await claimGateway(owner.token, locationId);
    expect((await send(report(7.2, true), other.token)).status).toBe(403);
    expect((await send(report(7.2, true), owner.token)).status).toBe(401);
  });
});

describe("the manager's view of every gateway's devices", () => {
  it('lists each device of the latest reports with its gateway, and none of another organization', async () => {
    const technician = await staff(owner.token, 'technician');
    expect(await call('GET', '/gateways/devices', { token: owner.token })).toEqual({ status: 200, body: [] });
    const sent = report(7.2, true);
    await send(sent);
    const listed = await call('GET', '/gateways/devices', { token: technician.token });
    expect(listed.status).toBe(200);
    // A report without the newer fields (an older gateway): no reading, firmware or config known, no trouble.
    const unknown = { lastReading: null, firmware: null, config: null, trouble: [] };
    expect(z.array(gatewayDeviceSchema).parse(listed.body)).toEqual([
      {
        ...sent.devices[1]!,
        ...unknown,
        calibratedAt: null,
        gatewayId: gateway.gatewayId,
        reportedAt: sent.reportedAt,
      },
      { ...sent.devices[0]!, ...unknown, gatewayId: gateway.gatewayId, reportedAt: sent.reportedAt },
    ]);

    const other = await otherOrganization();
    expect((await call('GET', '/gateways/devices', { token: other.token })).body).toEqual([]);
    const bartender = await staff(owner.token, 'bartender');
    expect((await call('GET', '/gateways/devices', { token: bartender.token })).status).toBe(403);
  });
});

describe('last reading, firmware, config version and signs of trouble', () => {
  it('are stored from the report and listed back as sent', async () => {
    const sent = report(0.3, false);
    sent.devices[0] = {
      ...sent.devices[0]!,
      lastReading: { channel: 'weight', at: '2026-12-06T10:59:58.000Z', platform: 1, grams: 1204.3 },
      firmware: 'scale-fw 1.4.2',
      config: { version: 3, ackedVersion: 2 },
      trouble: [{ signal: 'noisy-load-cell', platform: 1, spreadG: 8.4 }],
    };
    sent.devices[1] = {
      ...sent.devices[1]!,
      lastReading: {
        channel: 'scan',
        at: '2026-12-06T10:58:00.000Z',
        barcode: '5000000000001',
        known: false,
      },
      firmware: null,
      config: null,
      trouble: [
        { signal: 'unknown-barcodes', count: 4 },
        { signal: 'refused-messages', count: 1, lastReason: 'publish:invalid-payload' },
      ],
    };
    expect(await send(sent)).toMatchObject({ status: 200, body: { stored: 2 } });
    const listed = await call('GET', '/gateways/devices', { token: owner.token });
    const byId = Object.fromEntries(
      z
        .array(gatewayDeviceSchema)
        .parse(listed.body)
        .map((d) => [d.deviceId, d]),
    );
    expect(byId['well-scale-1']).toEqual({
      ...sent.devices[0],
      gatewayId: gateway.gatewayId,
      reportedAt: sent.reportedAt,
    });
    expect(byId['door-scanner']).toEqual({
      ...sent.devices[1],
      calibratedAt: null,
      gatewayId: gateway.gatewayId,
      reportedAt: sent.reportedAt,
    });
  });

  it('refuses an unknown trouble signal and a reading of the wrong shape', async () => {
    const sent = report(0.3, false);
    const bad = {
      ...sent,
      devices: [
        { ...sent.devices[0]!, trouble: [{ signal: 'haunted' }] },
        { ...sent.devices[1]!, lastReading: { channel: 'scan', at: sent.reportedAt, grams: 3 } },
      ],
    };
    const answer = await send(bad);
    expect(answer.status).toBe(400);
    expect(answer.body.error.details).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^body\.devices\.0\.trouble\.0\.signal: /),
        expect.stringMatching(/^body\.devices\.1\.lastReading\./),
      ]),
    );
  });
});

describe('the recalibrate-scale alert', () => {
  it('opens for a drifted platform, reaches technicians, and resolves once a report shows it calibrated', async () => {
    const technician = await staff(owner.token, 'technician');
    await send(report(7.2, true));
    const [alert, ...more] = await runAlerts();
    expect(more).toEqual([]);
    expect(alert).toMatchObject({
      severity: 'warning',
      title: 'Recalibrate scale well-scale-1 (platform 0) at The Copper Still',
    });
    expect(alert!.body).toContain('reads +7.2 g');
    expect(alert!.body).toContain('pourcast-config calibrate well-scale-1 --step tare');
    const inbox = await call('GET', '/notifications', { token: technician.token });
    expect(JSON.stringify(inbox.body)).toContain('Recalibrate scale well-scale-1');

    // Seen again while open: still one alert.
    await send(report(8.1, true));
    expect(await runAlerts()).toHaveLength(1);

    await send(report(0.2, false));
    expect(await runAlerts()).toEqual([]);
  });

  it('ignores the report of a revoked gateway', async () => {
    await send(report(7.2, true));
    await openDb(env.DB).run(
      sql`UPDATE gateways SET revoked_at = ${new Date().toISOString()} WHERE id = ${gateway.gatewayId}`,
    );
    expect(await runAlerts()).toEqual([]);
  });
});
