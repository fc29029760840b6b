/**
 * One bar end to end: simulated scales and a scanner → MQTT → the gateway (its own process) → wrangler dev
 * (workerd + local D1). The hub's stock must move by exactly what the simulated shift did.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { join } from 'node:path';
import { startSimulator } from '../scripts/lib/system.ts';
import {
  expectedChange,
  gatewayHealth,
  gatewaySummaries,
  hubStock,
  readShiftReports,
  startTestStack,
  stockChange,
  waitForCatchUp,
  type TestStack,
} from './support.ts';

let stack: TestStack;

// A fresh hub, gateway and bar for each test: the simulator starts every bottle at the bar file's level.
beforeEach(async () => {
  stack = await startTestStack();
});
afterEach(async () => {
  await stack?.close();
});

/** A short shift: a delivery and a breakage on the scanner, pours and the odd bottle swap on the scales. */
const SHIFT = ['--duration', '20', '--rounds-per-hour', '30', '--speed', '300', '--quiet'];

async function playShift(seed: number, during?: () => Promise<void>) {
  const reportFile = join(stack.dataDir, `shift-${seed}.jsonl`);
  const sim = startSimulator(
    stack.system.bar.barFilePath,
    ['--seed', String(seed), ...SHIFT, '--report', reportFile],
    (line) => stack.logs.push(`[sim] ${line}`),
  );
  await during?.();
  expect(await sim.exited, stack.logs.slice(-40).join('\n')).toBe(0);
  const [report] = readShiftReports(reportFile);
  return report!;
}

it('moves the hub stock by exactly what a simulated shift did', async () => {
  const before = await hubStock(stack.system);
  const report = await playShift(11);
  expect(report.counts.pours).toBeGreaterThan(0);
  expect(report.counts.receivedContainers).toBeGreaterThan(0);
  const health = await waitForCatchUp(stack.system);
  expect(health.refusedByReason).toEqual({});
  const after = await hubStock(stack.system);
  const expected = expectedChange(report);
  const changed = stockChange(before, after);
  for (const itemId of Object.keys(expected))
    expect({ itemId, ...changed[itemId] }).toEqual({ itemId, ...expected[itemId] });
  // Nothing else moved.
  for (const [itemId, change] of Object.entries(changed))
    if (!(itemId in expected)) expect({ itemId, ...change }).toEqual({ itemId, totalMl: 0, sealed: 0 });
  const [gateway] = await gatewaySummaries(stack.system);
  expect(gateway).toMatchObject({ ackSeq: health.ledger.lastSeq, gaps: [] });
});

it('loses nothing and applies nothing twice when the gateway is killed and the hub is down mid-shift', async () => {
  const before = await hubStock(stack.system);
  const lastSeqBefore = (await gatewayHealth(stack.system)).ledger.lastSeq;
  let maxPendingWhileHubDown = 0;
  const report = await playShift(12, async () => {
    const { system } = stack;
    // Let the shift get going, then pull the gateway's plug: no clean shutdown.
    await new Promise((resolve) => setTimeout(resolve, 8_000));
    system.gateway.kill('SIGKILL');
    await system.gateway.exited;
    await system.startGateway();
    // Then the internet goes: the hub is unreachable while the bar keeps pouring.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    await system.stopHub();
    // While the hub is away the gateway keeps taking readings and holds the events it derives.
    for (let i = 0; i < 12; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const offline = await gatewayHealth(system);
      maxPendingWhileHubDown = Math.max(maxPendingWhileHubDown, offline.outbox.pending);
    }
    await system.startHubAgain();
    // And the gateway dies once more while it is catching up.
    system.gateway.kill('SIGKILL');
    await system.gateway.exited;
    await system.startGateway();
  });
  const health = await waitForCatchUp(stack.system);
  expect(health.ledger.lastSeq).toBeGreaterThan(lastSeqBefore);
  const after = await hubStock(stack.system);
  const expected = expectedChange(report);
  const changed = stockChange(before, after);
  for (const itemId of Object.keys(expected))
    expect({ itemId, ...changed[itemId] }).toEqual({ itemId, ...expected[itemId] });
  const [gateway] = await gatewaySummaries(stack.system);
  expect(gateway).toMatchObject({ ackSeq: health.ledger.lastSeq, gaps: [] });
  console.info(`events held by the gateway while the hub was down: up to ${maxPendingWhileHubDown}`);
});
