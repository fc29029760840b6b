import { ulid } from 'ulid';
import { eventBatchAckSchema, gatewayClaimResponseSchema, type EventBatchInput } from '@pourcast/protocol';
import type { DemoSeed } from '@pourcast/hub/demo';
import { HubApiClient } from '../scripts/lib/hub-api-client.ts';
import { groupCpuMs } from './proc-stats.ts';
import { issueClaimCode } from '../scripts/lib/demo-bar.ts';

export interface HubIngestOptions {
  hubUrl: string;
  seed: DemoSeed;
  /** Process group of the `wrangler dev` child, to read workerd's CPU time. */
  hubProcessGroup: number;
  batchSize: number;
  batches: number;
}

export interface HubIngestResult {
  batchSize: number;
  batches: number;
  eventsPerSec: number;
  msPerBatchP50: number;
  /** CPU time workerd spent per batch (from /proc), the closest local figure to Workers' CPU ms. */
  cpuMsPerBatch: number;
}

/** A gateway of its own, claimed like any other, so its seqs start at 1. */
export async function claimBenchGateway(hubUrl: string, seed: DemoSeed, name: string) {
  const code = await issueClaimCode(hubUrl, seed);
  return new HubApiClient(hubUrl).request('POST', '/gateways/claim', gatewayClaimResponseSchema, {
    code,
    name,
  });
}

/** Posts batches of pours, one after another, as a gateway catching up would. */
export async function benchHubIngest(options: HubIngestOptions): Promise<HubIngestResult> {
  const gateway = await claimBenchGateway(options.hubUrl, options.seed, `bench-${options.batchSize}`);
  const client = new HubApiClient(options.hubUrl, gateway.token);
  const items = options.seed.items;
  let seq = 0;
  const makeBatch = (): EventBatchInput => {
    const fromSeq = seq + 1;
    const events = Array.from({ length: options.batchSize }, () => {
      seq++;
      return {
        gatewayId: gateway.gatewayId,
        seq,
        id: ulid(),
        locationId: gateway.locationId,
        itemId: items[seq % items.length]!.id,
        kind: 'pour' as const,
        deltaMl: -30,
        levelAfterMl: 500,
        source: 'scale' as const,
        deviceId: 'bench-scale',
        observedAt: new Date().toISOString(),
        confidence: 0.99,
      };
    });
    return { gatewayId: gateway.gatewayId, fromSeq, events };
  };
  const post = (batch: EventBatchInput) =>
    client.request('POST', `/gateways/${gateway.gatewayId}/events`, eventBatchAckSchema, batch);
  await post(makeBatch()); // warm-up: module load, first D1 statements
  const durations: number[] = [];
  const cpuBefore = groupCpuMs(options.hubProcessGroup, /workerd/);
  const started = performance.now();
  for (let i = 0; i < options.batches; i++) {
    const batchStarted = performance.now();
    const ack = await post(makeBatch());
    if (ack.ackSeq !== seq || ack.applied !== options.batchSize) {
      throw new Error(`hub acknowledged ${ack.ackSeq} (${ack.applied} applied), expected ${seq}`);
    }
    durations.push(performance.now() - batchStarted);
  }
  const elapsedS = (performance.now() - started) / 1000;
  const cpuMs = groupCpuMs(options.hubProcessGroup, /workerd/) - cpuBefore;
  durations.sort((a, b) => a - b);
  return {
    batchSize: options.batchSize,
    batches: options.batches,
    eventsPerSec: (options.batchSize * options.batches) / elapsedS,
    msPerBatchP50: durations[Math.floor(durations.length / 2)]!,
    cpuMsPerBatch: cpuMs / options.batches,
  };
}
