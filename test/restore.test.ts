/**
 * A gateway restored from a backup, end to end against the real hub (wrangler dev + local D1): the simulated
 * bar plays part 1 → catch-up → the technician's online backup (the CLI, while the gateway runs) → part 2 →
 * catch-up (the hub now holds seqs the backup does not) → SIGKILL → the CLI's `restore --latest` → the gateway
 * starts again → part 3. The ledger must re-base on the hub's ack (edge/src/outbox/rebase.ts): every event at
 * the hub once, with the gateway's id at the gateway's seq, no gap, no forwarder error, new seqs above the ack;
 * and the hub's events after the backup come back into the ledger, so the scale platforms the backup rewound
 * count nothing twice: the hub's stock moves by exactly what each part did.
 *
 * One simulator plays the three parts as consecutive shifts of one `--loop` run, so the bottles carry their
 * levels from part to part, and is paused (SIGSTOP) between them: the bar is quiet while the test backs up,
 * kills and restores, so every figure below is exact.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, onTestFailed } from 'vitest';
import { z } from 'zod';
import { loginResponseSchema, stockEventSchema, type StockEvent } from '@pourcast/protocol';
import { HubApiClient } from '../scripts/lib/hub-api-client.ts';
import { REPO_ROOT } from '../scripts/lib/hub-process.ts';
import { run, StopWaiting, waitFor, type RunningChild } from '../scripts/lib/processes.ts';
import { startSimulator, type LocalSystem } from '../scripts/lib/system.ts';
import {
  expectedChange,
  gatewaySummaries,
  hubStock,
  readShiftReports,
  startTestStack,
  stockChange,
  waitForCatchUp,
  type TestStack,
} from './support.ts';

const TSX = join(REPO_ROOT, 'node_modules/.bin/tsx');
const BACKUP_CLI = join(REPO_ROOT, 'edge/src/backup/backup-cli.ts');
/** Short shifts: a delivery and a breakage on the scanner, pours and the odd bottle swap on the scales. */
const SHIFT = ['--duration', '10', '--rounds-per-hour', '30', '--speed', '300', '--quiet'];

let stack: TestStack;
let sim: RunningChild | undefined;
let simExited: number | string | undefined;
let reportFile: string;

beforeAll(async () => {
  stack = await startTestStack();
  reportFile = join(stack.dataDir, 'shifts.jsonl');
});
afterAll(async () => {
  sim?.kill('SIGCONT'); // a stopped process cannot take its SIGTERM
  await sim?.stop();
  await stack?.close();
});

/** Plays the simulator's next shift (the n-th of its loop), then pauses it: the bar goes quiet. */
async function playPart(n: number) {
  if (!sim) {
    sim = startSimulator(
      stack.system.bar.barFilePath,
      ['--seed', '21', ...SHIFT, '--loop', '--report', reportFile],
      (line) => stack.logs.push(`[sim] ${line}`),
    );
    void sim.exited.then((code) => (simExited = code));
  } else sim.kill('SIGCONT');
  const report = await waitFor(
    `shift ${n} of the simulator`,
    async () => {
      if (simExited !== undefined) throw new StopWaiting(`the simulator exited with ${simExited}`);
      if (!existsSync(reportFile)) return undefined;
      return readShiftReports(reportFile)[n - 1];
    },
    300_000,
    100,
  );
  // Each shift starts by letting every bottle settle for a second: no gesture of the next one has begun.
  sim.kill('SIGSTOP');
  return report;
}

/** Every event the gateway's ledger holds, from its own API. */
async function gatewayLedger(system: LocalSystem): Promise<StockEvent[]> {
  const page = z.strictObject({ events: z.array(stockEventSchema), nextAfterSeq: z.number().int() });
  const events: StockEvent[] = [];
  for (let afterSeq = 0; ;) {
    const response = await fetch(`${system.gatewayUrl}/api/v1/events?afterSeq=${afterSeq}&limit=1000`);
    const { events: more, nextAfterSeq } = page.parse(await response.json());
    if (more.length === 0) return events;
    events.push(...more);
    afterSeq = nextAfterSeq;
  }
}

/** The events the hub holds from one gateway, from the owner's export of the organization's data. */
async function hubEvents(system: LocalSystem, gatewayId: string) {
  const hub = new HubApiClient(system.hub.url);
  const login = await hub.request('POST', '/auth/login', loginResponseSchema, system.seed.credentials.owner);
  const row = z.object({
    id: z.string(),
    gatewayId: z.string().nullable(),
    seq: z.number().int().nullable(),
  });
  const exported = await hub
    .withToken(login.token)
    .request('GET', '/organization/export', z.object({ tables: z.object({ stock_events: z.array(row) }) }));
  return exported.tables.stock_events
    .filter((event) => event.gatewayId === gatewayId)
    .map((event) => ({ seq: event.seq, id: event.id }))
    .sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
}

async function backupCli(...args: string[]) {
  return run(TSX, [BACKUP_CLI, ...args, '--config', stack.system.bar.gatewayConfigPath], {
    cwd: REPO_ROOT,
  });
}

it('re-bases a restored gateway on the real hub: every event once, no gap, no stall, nothing counted twice', async () => {
  const { system } = stack;
  onTestFailed(() => console.error(stack.logs.slice(-80).join('\n')));
  const bySeq = (events: StockEvent[]) => events.map((event) => ({ seq: event.seq, id: event.id }));
  const wall: string[] = [];
  let since = Date.now();
  const lap = (what: string) => {
    wall.push(`${what} ${((Date.now() - since) / 1000).toFixed(1)} s`);
    since = Date.now();
  };

  // Part 1, then the technician's backup while the gateway runs (VACUUM INTO on its own connection).
  const before = await hubStock(system);
  const report1 = await playPart(1);
  const afterPart1 = await waitForCatchUp(system);
  lap('part 1');
  const gatewayId = afterPart1.gatewayId!;
  const backupFile = (await backupCli('backup')).split(' (')[0]!;
  lap('backup');

  // Part 2: the hub acknowledges seqs the backup does not hold.
  const report2 = await playPart(2);
  const afterPart2 = await waitForCatchUp(system);
  lap('part 2');
  const hubAck = afterPart2.outbox.lastAckSeq;
  expect(hubAck).toBeGreaterThan(afterPart1.ledger.lastSeq);
  const [summary2] = await gatewaySummaries(system);
  expect(summary2).toMatchObject({ id: gatewayId, ackSeq: hubAck, gaps: [] });
  // Until the crash the bar is one ordinary loop: the hub moved by exactly what parts 1 and 2 did.
  const beforeCrash = await hubStock(system);
  const expected12 = expectedChange(report1);
  for (const [itemId, change] of Object.entries(expectedChange(report2))) {
    const was = expected12[itemId] ?? { totalMl: 0, sealed: 0 };
    expected12[itemId] = { totalMl: was.totalMl + change.totalMl, sealed: was.sealed + change.sealed };
  }
  const changed12 = stockChange(before, beforeCrash);
  for (const itemId of Object.keys(expected12))
    expect({ itemId, ...changed12[itemId] }).toEqual({ itemId, ...expected12[itemId] });
  const ledgerAtCrash = await gatewayLedger(system);
  expect(ledgerAtCrash.at(-1)?.seq).toBe(hubAck);

  // The gateway dies; the technician restores the newest sound backup (ours) and starts it again.
  system.gateway.kill('SIGKILL');
  await system.gateway.exited;
  expect((await backupCli('list')).split('\n')[0]).toContain(backupFile);
  const restoreOutput = await backupCli('restore', '--latest');
  expect(restoreOutput).toContain(`restored ${backupFile}`);
  const restorePoint = Number(/ledger seq (\d+) at the backup/.exec(restoreOutput)?.[1]);
  expect(restorePoint).toBe(afterPart1.ledger.lastSeq);
  await system.startGateway();
  lap('kill, restore, start');

  // Part 3 on the restored gateway.
  const report3 = await playPart(3);
  const afterPart3 = await waitForCatchUp(system);
  lap('part 3');
  expect(afterPart3.outbox.lastError).toBeNull();
  const rebased = stack.logs
    .filter((line) => line.includes('ledger re-based on the hub after a restore from backup'))
    .map((line) => JSON.parse(line.slice(line.indexOf('{'))) as Record<string, unknown>);
  expect(rebased).toEqual([expect.objectContaining({ restorePoint, hubAckSeq: hubAck })]);

  const ledger = await gatewayLedger(system);
  const lastSeq = afterPart3.ledger.lastSeq;
  expect(ledger.at(-1)?.seq).toBe(lastSeq);
  const [summary3] = await gatewaySummaries(system);
  expect(summary3).toMatchObject({ id: gatewayId, ackSeq: lastSeq, gaps: [] });
  // Below the hub's ack the ledger holds exactly what the hub held at the crash, same ids at the same seqs: the
  // backup's events and, taken back from the hub, those of (restore point, ack]. The new ones follow the ack.
  expect(rebased).toEqual([expect.objectContaining({ caughtUp: hubAck - restorePoint })]);
  expect(bySeq(ledger.filter((event) => event.seq <= hubAck))).toEqual(bySeq(ledgerAtCrash));
  const made = ledger.filter((event) => event.seq > hubAck);
  expect(made.length).toBeGreaterThan(0);
  expect(made.map((event) => event.seq)).toEqual(made.map((_, i) => hubAck + 1 + i));
  // The hub holds each event once: what it had at the crash, then exactly the restored gateway's new events.
  const atHub = await hubEvents(system, gatewayId);
  expect(atHub).toEqual([...bySeq(ledgerAtCrash), ...bySeq(made)]);
  expect(new Set(atHub.map((event) => event.id)).size).toBe(lastSeq);

  // The backup rewound the scale platforms; brought forward from the hub's events, part 3's first weighings
  // must not count again what the scales measured between the backup and the crash.
  const scaleAfterBackup: Record<string, number> = {};
  for (const event of ledgerAtCrash)
    if (event.seq > restorePoint && event.source === 'scale')
      scaleAfterBackup[event.itemId] = (scaleAfterBackup[event.itemId] ?? 0) + event.deltaMl;
  const changed3 = stockChange(beforeCrash, await hubStock(system));
  const expected3 = expectedChange(report3);
  const touched = (itemId: string) =>
    changed3[itemId]!.totalMl !== 0 || itemId in expected3 || itemId in scaleAfterBackup;
  const lines = Object.keys(changed3)
    .filter(touched)
    .sort()
    .map((itemId) => {
      const hub = changed3[itemId]!;
      const shift = expected3[itemId] ?? { totalMl: 0, sealed: 0 };
      return (
        `  ${itemId}: hub ${hub.totalMl} ml ${hub.sealed} sealed, shift ${shift.totalMl} ml ${shift.sealed} sealed; ` +
        `scales between backup and crash ${scaleAfterBackup[itemId] ?? 0} ml`
      );
    });
  console.info(
    [
      `events: part 1 seq 1-${restorePoint} (${restorePoint}), part 2 seq ${restorePoint + 1}-${hubAck} (${hubAck - restorePoint}), part 3 seq ${hubAck + 1}-${lastSeq} (${made.length})`,
      `restore point ${restorePoint}, hub ack at the crash ${hubAck}, re-based ${JSON.stringify(rebased[0])}`,
      `hub: ${atHub.length} events from the gateway, ack ${summary3!.ackSeq}, gaps ${summary3!.gaps.length}`,
      `wall time: ${wall.join(', ')}`,
      `refused by the gateway: ${JSON.stringify(afterPart3.refusedByReason)}`,
      'part 3 at the hub per item, against its shift report:',
      ...lines,
    ].join('\n'),
  );
  // The premise: the scales measured something the backup missed (every platform is weighed again as part 3
  // settles, whether or not a bartender touches it).
  expect(Object.keys(scaleAfterBackup).length).toBeGreaterThan(0);
  for (const [itemId, change] of Object.entries(changed3))
    expect({ itemId, ...change }).toEqual({ itemId, ...(expected3[itemId] ?? { totalMl: 0, sealed: 0 }) });
});
