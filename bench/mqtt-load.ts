import mqtt, { type MqttClient } from 'mqtt';
import { deviceTopic } from '@pourcast/protocol';

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
}

export interface LoadResult {
  devices: number;
  offeredPerSec: number;
  sent: number;
  acked: number;
  readingsPerSec: number;
  p50Ms: number;
  p99Ms: number;
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
  let sent = 0;
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
            if (!error) latencies.push(performance.now() - sentAt);
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
  return {
    devices: clients.length,
    offeredPerSec: clients.length * options.hz,
    sent,
    acked: latencies.length,
    readingsPerSec: latencies.length / elapsedS,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}
