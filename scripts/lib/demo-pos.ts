import { join } from 'node:path';
import { z } from 'zod';
import { alertListSchema, loginResponseSchema, stationVarianceReportSchema } from '@pourcast/protocol';
import { writePrivateFile } from '@pourcast/firmware-config';
import { loadBarFile, POS_FILE_VERSION, type PosFile } from '@pourcast/devices';
import {
  DEMO_MEASURE_MODIFIERS,
  DEMO_POUR_ML,
  DEMO_STATIONS,
  demoMenuPrice,
  demoPosItemId,
  type DemoSeed,
} from '@pourcast/hub/demo';
import { HubApiClient } from './hub-api-client.ts';

/** The heavy hand of the demo: well-2's bartender pours this much over what the POS rings up. */
export const DEMO_OVERPOUR_FACTOR = 1.3;

export interface DemoPosFile {
  path: string;
  /** The one slot overpoured (`deviceId/platform`) and its item id at the hub. */
  overpouredSlot: string;
  overpouredItemId: string;
  overpouredStation: string;
}

/**
 * Writes `<dataDir>/bar/pos.json` (0600: it holds the Tabit signing secret) for the simulator's `--pos`:
 * the hub's Tabit webhook, the wells and who works them, the menu of the scale bottles, and well-2's
 * bartender overpouring the first bottle of her well by 30 %.
 */
export async function writeDemoPosFile(options: {
  hubUrl: string;
  seed: DemoSeed;
  barFilePath: string;
  dataDir: string;
}): Promise<DemoPosFile> {
  const { pos } = options.seed;
  if (!pos) throw new Error('the demo seed has no POS connection (seed the hub again)');
  const bar = await loadBarFile(options.barFilePath);
  const items = new Map(options.seed.items.map((item) => [item.id, item]));
  const menu: PosFile['menu'] = {};
  for (const scale of bar.scales) {
    const item = items.get(scale.item.id);
    if (item)
      menu[item.id] = { externalId: demoPosItemId(item.id), name: item.name, price: demoMenuPrice(item) };
  }
  const heavy = DEMO_STATIONS[1];
  const scale = bar.scales.find((s) => (heavy.deviceIds as readonly string[]).includes(s.deviceId));
  if (!scale) throw new Error(`no scale of ${heavy.name} in ${options.barFilePath}`);
  const overpouredSlot = `${scale.deviceId}/${scale.platform}`;
  const file: PosFile = {
    version: POS_FILE_VERSION,
    provider: 'tabit',
    webhookUrl: `${options.hubUrl}${pos.webhookPath}`,
    signingSecret: pos.signingSecret,
    stations: DEMO_STATIONS.map((s) => ({ name: s.name, staff: s.staff, deviceIds: [...s.deviceIds] })),
    menu,
    standardMl: DEMO_POUR_ML,
    modifiers: Object.fromEntries(Object.entries(DEMO_MEASURE_MODIFIERS)),
    overpour: { slots: [overpouredSlot], factor: DEMO_OVERPOUR_FACTOR },
  };
  const path = join(options.dataDir, 'bar', 'pos.json');
  await writePrivateFile(path, `${JSON.stringify(file, null, 2)}\n`);
  return { path, overpouredSlot, overpouredItemId: scale.item.id, overpouredStation: heavy.name };
}

/**
 * After a shift with the POS: runs the alert rules once (the hub's cron would) and answers what the variance
 * of the last 24 hours flags per station, and the open variance alerts, as lines to print.
 */
export async function reportDemoVariance(hubUrl: string, seed: DemoSeed): Promise<string[]> {
  const hub = new HubApiClient(hubUrl);
  const login = await hub.request('POST', '/auth/login', loginResponseSchema, seed.credentials.manager);
  const manager = hub.withToken(login.token);
  const now = Date.now();
  const period = `from=${encodeURIComponent(new Date(now - 86_400_000).toISOString())}&to=${encodeURIComponent(new Date(now).toISOString())}`;
  const stations = await manager.request(
    'GET',
    `/locations/${seed.locationId}/variance/stations?${period}`,
    stationVarianceReportSchema,
  );
  await manager.request('POST', '/alerts/run', z.unknown(), {});
  const alerts = await manager.request('GET', '/alerts?status=open', alertListSchema);
  const flagged = stations.ranked.map(
    (l) =>
      `  flagged    ${l.stationName} ${l.itemName}: ${l.varianceMl} ml over (${l.variancePct ?? '?'} %, band ±${l.bandMl} ml)`,
  );
  const variance = alerts.alerts
    .filter((a) => a.rule === 'variance')
    .map((a) => `  alert      ${a.title}: ${a.body}`);
  return [
    ...(flagged.length ? flagged : ['  flagged    nothing in the last 24 hours']),
    ...variance,
    `  variance   GET ${hubUrl}/api/v1/locations/${seed.locationId}/variance/stations?${period}`,
  ];
}
