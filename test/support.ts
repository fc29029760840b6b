import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { z } from 'zod';
import {
  gatewayHealthSchema,
  gatewaySummarySchema,
  locationStockSchema,
  loginResponseSchema,
  type LocationStock,
} from '@pourcast/protocol';
import type { ShiftReport } from '@pourcast/devices';
import { HubApiClient } from '../scripts/lib/hub-api-client.ts';
import { freePort, waitFor } from '../scripts/lib/processes.ts';
import { startLocalSystem, type LocalSystem } from '../scripts/lib/system.ts';

export interface TestStack {
  system: LocalSystem;
  dataDir: string;
  /** Logs of every process, kept for a failing test's message. */
  logs: string[];
  close(): Promise<void>;
}

export async function startTestStack(): Promise<TestStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pourcast-e2e-'));
  const logs: string[] = [];
  const system = await startLocalSystem({
    dataDir,
    migratedD1: inject('migratedD1'),
    mqttPort: await freePort(),
    httpPort: await freePort(),
    onLine: (source, line) => logs.push(`[${source}] ${line}`),
  });
  return {
    system,
    dataDir,
    logs,
    async close() {
      await system.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function managerClient(system: LocalSystem): Promise<HubApiClient> {
  const hub = new HubApiClient(system.hub.url);
  const login = await hub.request(
    'POST',
    '/auth/login',
    loginResponseSchema,
    system.seed.credentials.manager,
  );
  return hub.withToken(login.token);
}

export async function hubStock(system: LocalSystem): Promise<LocationStock> {
  const client = await managerClient(system);
  return client.request('GET', `/locations/${system.seed.locationId}/stock`, locationStockSchema);
}

export async function gatewayHealth(system: LocalSystem) {
  const response = await fetch(`${system.gatewayUrl}/api/v1/health`);
  return gatewayHealthSchema.parse(await response.json());
}

/** Waits until the gateway has processed every reading and the hub acknowledged every event. */
export async function waitForCatchUp(system: LocalSystem, timeoutMs = 240_000) {
  return waitFor(
    'the hub to acknowledge every gateway event',
    async () => {
      const health = await gatewayHealth(system);
      const done =
        health.status === 'ok' &&
        health.outbox.pending === 0 &&
        health.outbox.lastAckSeq === health.ledger.lastSeq;
      return done ? health : undefined;
    },
    timeoutMs,
    500,
  );
}

export async function gatewaySummaries(system: LocalSystem) {
  const client = await managerClient(system);
  return client.request('GET', '/gateways', z.array(gatewaySummarySchema));
}

export function readShiftReports(file: string): ShiftReport[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ShiftReport);
}

/** What changed per item between two stock answers, in total ml and in sealed containers. */
export function stockChange(before: LocationStock, after: LocationStock) {
  const earlier = new Map(before.items.map((line) => [line.itemId, line]));
  const change: Record<string, { totalMl: number; sealed: number }> = {};
  for (const line of after.items) {
    const was = earlier.get(line.itemId);
    change[line.itemId] = {
      totalMl: line.totalMl - (was?.totalMl ?? 0),
      sealed: line.sealedContainers - (was?.sealedContainers ?? 0),
    };
  }
  return change;
}

/** The per-item change a shift report says the ledger must show, for the items the shift touched. */
export function expectedChange(report: ShiftReport) {
  const change: Record<string, { totalMl: number; sealed: number }> = {};
  for (const [itemId, deltaMl] of Object.entries(report.expectedDeltaMlByItem)) {
    change[itemId] = { totalMl: deltaMl, sealed: report.expectedContainersDeltaByItem[itemId] ?? 0 };
  }
  return change;
}
