/**
 * `npm start`: the whole system on this machine — the hub on wrangler dev (port 8787) with its local D1 and
 * the demo organization, one gateway (MQTT 1883, HTTP 8080) claimed to the demo bar, and a simulated bar of
 * eight scales, a scanner and a shelf camera over the scales' bottles playing shifts over real MQTT (delete the
 * data folder of an older run to get the camera). Ctrl-C stops everything.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loginResponseSchema } from '@pourcast/protocol';
import { seedSalesHistory } from '@pourcast/hub/demo';
import { createPrng } from '@pourcast/devices';
import { HubApiClient } from './lib/hub-api-client.ts';
import { startLocalSystem, startSimulator } from './lib/system.ts';
import { reportDemoVariance, writeDemoPosFile } from './lib/demo-pos.ts';
import type { RunningChild } from './lib/processes.ts';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: process.env.POURCAST_DATA_DIR ?? 'data' },
    speed: { type: 'string', default: '30' },
    seed: { type: 'string', default: '42' },
    'history-days': { type: 'string', default: '120' },
    verbose: { type: 'boolean', default: false },
  },
});
const dataDir = resolve(values.data!);
mkdirSync(dataDir, { recursive: true });

const say = (line: string) => process.stdout.write(`${line}\n`);
const prefixed = (source: string) => (line: string) => {
  // The hub and the gateway log a lot; warnings and errors always show, the rest with --verbose.
  if (values.verbose || /error|warn|"level":"(warn|error)"/i.test(line)) say(`[${source}] ${line}`);
};

// The gateway serves the staff display's build at `/` (edge/src/staff/static-files.ts): build it first.
say('Pourcast: building the staff display…');
const staffBuild = spawnSync('npm', ['run', 'build:staff', '-w', '@pourcast/dashboard'], {
  encoding: 'utf8',
});
if (staffBuild.status !== 0) say(`(staff display not built: ${staffBuild.stderr.trim().split('\n').at(-1)})`);
say('Pourcast: starting the hub (wrangler dev), seeding the demo bar, starting the gateway…');
const system = await startLocalSystem({
  dataDir,
  hubPort: 8787,
  mqttPort: 1883,
  httpPort: 8080,
  onLine: (source, line) => prefixed(source)(line),
});
// A bar brings its POS history when it joins: the demo bar's last months of sales, imported once through
// the API, are what its forecasts learn from.
try {
  const days = Number(values['history-days']);
  let shown = -25;
  const imported = await seedSalesHistory(system.hub.url, system.seed, {
    days,
    random: createPrng(Number(values.seed)).fork('pos-history').next,
    onProgress: (processed, total) => {
      const percent = Math.floor((100 * processed) / Math.max(1, total));
      if (percent >= shown + 25)
        say(`Pourcast: importing ${days} days of POS history… ${(shown = percent)} %`);
    },
  });
  if (imported === 0) say('Pourcast: the demo bar has its POS history already');
} catch (error) {
  say(`(POS history not imported: ${(error as Error).message})`);
}
// The nightly job and the alert rules run on the hub's cron; run them once now so the demo bar has
// forecasts, draft orders and its first alerts (low stock, orders awaiting approval).
try {
  const hub = new HubApiClient(system.hub.url);
  const login = await hub.request(
    'POST',
    '/auth/login',
    loginResponseSchema,
    system.seed.credentials.manager,
  );
  const manager = hub.withToken(login.token);
  await manager.request('POST', '/forecasts/run', z.unknown(), {});
  await manager.request('POST', `/orders/draft?locationId=${system.seed.locationId}`, z.unknown(), {});
  await manager.request('POST', '/alerts/run', z.unknown(), {});
} catch (error) {
  say(`(forecasts, draft orders and alerts not prepared: ${(error as Error).message})`);
}

// The bar's POS (a simulated Tabit cloud) rings up each round at its well; well-2's bartender overpours one
// bottle. The shift starts 4 hours back so its sales and pours are in the past the variance rule looks at.
const demoPos = await writeDemoPosFile({
  hubUrl: system.hub.url,
  seed: system.seed,
  barFilePath: system.bar.barFilePath,
  dataDir,
});
const shiftStart = new Date(Date.now() - 4 * 3_600_000).toISOString();
const sim: RunningChild = startSimulator(
  system.bar.barFilePath,
  ['--seed', values.seed!, '--speed', values.speed!, '--loop', '--pos', demoPos.path, '--start', shiftStart],
  (line) => {
    say(`[sim] ${line}`);
    if (line.startsWith('pos: '))
      void reportDemoVariance(system.hub.url, system.seed).then(
        (lines) => lines.forEach(say),
        (error: unknown) => say(`(variance not read: ${(error as Error).message})`),
      );
  },
);

say(`
  hub        ${system.hub.url}/api/v1/health   (API /api/v1, OpenAPI /api/v1/openapi.json)
  stock      GET ${system.hub.url}/api/v1/locations/${system.seed.locationId}/stock  (log in first: POST /api/v1/auth/login)
  gateway    ${system.gatewayUrl}/api/v1/health   levels: ${system.gatewayUrl}/api/v1/levels
  manager    ${system.hub.url}/  (the manager app; log in with the manager's email and password from the logins file below)
  staff      ${system.gatewayUrl}/  (the bar's display; to log waste, pair it with a code from POST /api/v1/staff/pairing-codes, admin token in ${dataDir}/gateway/admin-token)
  camera     ${system.gatewayUrl}/api/v1/events  (source "camera"; detection per camera in the health's "cameras")
  mqtt       mqtt://127.0.0.1:1883  (devices log in with the secrets in ${dataDir}/bar/devices/)
  forecasts  GET ${system.hub.url}/api/v1/forecasts?locationId=${system.seed.locationId}
  orders     GET ${system.hub.url}/api/v1/orders?locationId=${system.seed.locationId}  (approve: POST /api/v1/orders/:id/approve)
  alerts     GET ${system.hub.url}/api/v1/alerts?status=open
  pos        simulated Tabit → ${system.hub.url}/api/v1/pos/webhooks/tabit/…  (${demoPos.overpouredStation} overpours ${demoPos.overpouredSlot} by 30 %)
  variance   GET ${system.hub.url}/api/v1/locations/${system.seed.locationId}/variance/stations?from=…&to=…  (after each shift the flagged lines and alerts are printed here)
  logins     ${dataDir}/demo-credentials.json (owner, manager, bartender, technician)
  Ctrl-C stops everything.
`);

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  say(`\n${signal}: stopping the simulator, the gateway and the hub…`);
  await sim.stop();
  await system.stop();
  say('stopped.');
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
void sim.exited.then((code) => {
  if (!stopping) {
    say(`the simulator exited (${code}); stopping.`);
    void stop('simulator exit');
  }
});
