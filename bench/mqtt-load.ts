import mqtt, { type MqttClient } from 'mqtt';
import { deviceTopic } from '@pourcast/protocol';
import type { LedgerWatch } from './ledger-watch.ts';

export interface LoadDevice {
  id: string;
  secret?: string;
}

export interface ScaleLoadOptions {
  brokerUrl: string;
  devices: LoadDevice[];
  hz: number;
  durationMs: number;
  /** Readings wander around this weight (a bottle standing still), so the pipeline does real work. */
  grams?: number;
  /** The gateway's inbox, watched to time publish → ledger (bench/ledger-watch.ts); none for bare aedes. */
  ledger?: LedgerWatch;
  /** CPU time (ms) the broker's process has used so far (bench/proc-stats.ts), for CPU ms per reading. */
  brokerCpuMs?: () => number;
}

export interface LoadResult {
  devices: number;
  offeredPerSec: number;
  sent: number;
  acked: number;
  readingsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Publish → ledger (upper bounds, see bench/ledger-watch.ts), when the load had a ledger to watch. */
  ledger?: { p50Ms: number; p99Ms: number; maxMs: number; seen: number; unseen: number };
  /**
   * The broker's CPU ms per acknowledged reading (including the pipeline's work for it): a figure a loaded
   * machine disturbs far less than latencies, which wait for the scheduler.
   */
  cpuMsPerReading?: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function connect(brokerUrl: string, device: LoadDevice): Promise<MqttClient> {
  const client = mqtt.connect(brokerUrl, {
    clientId: device.id,
    username: device.id,
    password: device.secret,
    protocolVersion: 4,
    reconnectPeriod: 0,
    connectTimeout: 10_000,
  });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  return client;
}

/** Connects every device, then publishes QoS 1 weight readings at `hz` each; latency is publish → PUBACK. */
export async function runScaleLoad(options: ScaleLoadOptions): Promise<LoadResult> {
  const clients: MqttClient[] = [];
  for (let i = 0; i < options.devices.length; i += 20) {
    clients.push(
      ...(await Promise.all(options.devices.slice(i, i + 20).map((d) => connect(options.brokerUrl, d)))),
    );
  }
  const latencies: number[] = [];
  const published: Array<{ sentAt: number; ackedAt: number }> = [];
  let sent = 0;
  options.ledger?.start();
  const cpuBefore = options.brokerCpuMs?.();
  const grams = options.grams ?? 1234.5;
  const started = performance.now();
  const timers = clients.map((client, index) => {
    let seq = 0;
    const topic = deviceTopic(options.devices[index]!.id, 'weight');
    // Spread the devices over the period, as real scales are not in phase.
    const period = 1000 / options.hz;
    return setTimeout(
      () => {
        const tick = () => {
          const payload = JSON.stringify({
            seq: seq++,
            at: Date.now(),
            grams: grams + (Math.random() - 0.5) * 0.4,
            platform: 0,
          });
          const sentAt = performance.now();
          sent++;
          client.publish(topic, payload, { qos: 1 }, (error) => {
            if (error) return;
            const ackedAt = performance.now();
            latencies.push(ackedAt - sentAt);
            published.push({ sentAt, ackedAt });
          });
        };
        tick();
        timers[index] = setInterval(tick, period);
      },
      (index * period) / clients.length,
    );
  }) as Array<NodeJS.Timeout>;
  await new Promise((resolve) => setTimeout(resolve, options.durationMs));
  timers.forEach((timer) => clearInterval(timer));
  const elapsedS = (performance.now() - started) / 1000;
  // Give in-flight publishes a moment to be acknowledged before counting.
  await new Promise((resolve) => setTimeout(resolve, 500));
  await Promise.all(clients.map((client) => client.endAsync()));
  latencies.sort((a, b) => a - b);
  const cpuMs = cpuBefore === undefined ? undefined : options.brokerCpuMs!() - cpuBefore;
  let ledger: LoadResult['ledger'];
  if (options.ledger) {
    // The last readings' pass: give the pipeline a moment, then count what the watch saw reach the ledger.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await options.ledger.stop();
    const { ms, unseen } = options.ledger.latencies(published);
    ledger = {
      p50Ms: percentile(ms, 50),
      p99Ms: percentile(ms, 99),
      maxMs: ms.length ? ms[ms.length - 1]! : Number.NaN,
      seen: ms.length,
      unseen,
    };
  }
  return {
    devices: clients.length,
    offeredPerSec: clients.length * options.hz,
    sent,
    acked: latencies.length,
    readingsPerSec: latencies.length / elapsedS,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    ledger,
    cpuMsPerReading: cpuMs === undefined ? undefined : cpuMs / latencies.length,
  };
}
