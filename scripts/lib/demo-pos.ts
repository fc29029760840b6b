import { join } from 'node:path';
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
