/**
 * Fuzzing the real broker: random and mutated payloads on the devices' own topics (3,000 cases in
 * `npm test`, 100,000 with POURCAST_SOAK=1), and mutated raw MQTT packets after a valid CONNECT. No crash,
 * no unhandled rejection, and every payload the gateway does not take has a counted refusal reason.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import fc from 'fast-check';
import { generate, parser } from 'mqtt-packet';
import {
  deviceTopic,
  parseJsonMessage,
  scanSchema,
  deviceStatusSchema,
  weightReadingSchema,
  type GatewayConfig,
} from '@pourcast/protocol';
import { startGateway, type Gateway } from '../../src/index.ts';
import { REFUSAL_REASONS } from '../../src/broker/refusals.ts';
import { silentLogger } from '../../src/log.ts';
import { connectDevice, gatewayConfig, makeDevice, tempDir, type TestDevice } from '../support/fixtures.ts';
import { connectPacket, rawConnect } from './raw-mqtt.ts';

const SOAK = Boolean(process.env.POURCAST_SOAK);
const PAYLOAD_CASES = SOAK ? 100_000 : 3_000;
const PACKET_CASES = SOAK ? 10_000 : 300;
const MAX_PAYLOAD = 1024;

let dir: ReturnType<typeof tempDir>;
let gateway: Gateway;
let scale: TestDevice;
let scanner: TestDevice;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  dir = tempDir();
  scale = await makeDevice('scale-1', 'scale', [{ platform: 0, itemId: 'gin' }]);
  scanner = await makeDevice('scanner-1', 'scanner');
  const base = gatewayConfig(dir.path, [scale, scanner]);
  const config: GatewayConfig = {
    ...base,
    gateway: {
      ...base.gateway,
      mqtt: {
        ...base.gateway.mqtt,
        maxPayloadBytes: MAX_PAYLOAD,
        // The fuzzer is one very busy client: budgets out of its way, so every case reaches the checks.
        rateLimit: {
          messagesPerSecond: 10_000,
          bytesPerSecond: 256 * 1024 * 1024,
          disconnectAfterDrops: 100_000,
        },
        maxConnectsPerDevicePerMinute: 1_000_000, // each packet case logs in afresh
        connectTimeoutMs: 2000,
      },
    },
  };
  gateway = await startGateway(config, { logger: silentLogger, connectHub: false, processReadings: false });
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await gateway.close();
  dir.remove();
});

/** Payloads: valid messages, the same mutated byte-wise, any JSON, any bytes, and oversize ones. */
const validWeight = fc
  .record({
    seq: fc.nat(),
    at: fc.integer({ min: 1_500_000_000_000, max: 4_102_444_800_000 }),
    grams: fc.double({ min: -2000, max: 200_000, noNaN: true }),
  })
  .map((r) => JSON.stringify(r));
const validScan = fc
  .record({
    seq: fc.nat(),
    at: fc.integer({ min: 1_500_000_000_000, max: 4_102_444_800_000 }),
    barcode: fc.string({ minLength: 3, maxLength: 66 }),
    mode: fc.constantFrom('count', 'receive', 'waste', 'sell'),
  })
  .map((r) => JSON.stringify(r));
const mutate = (text: fc.Arbitrary<string>) =>
  fc
    .tuple(text, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }))
    .map(([t, edits]) => {
      const bytes = Buffer.from(t);
      for (const [at, value] of edits) if (bytes.length) bytes[at % bytes.length] = value;
      return bytes;
    });
const payload = fc.oneof(
  validWeight.map((t) => Buffer.from(t)),
  validScan.map((t) => Buffer.from(t)),
  mutate(validWeight),
  mutate(validScan),
  fc.jsonValue({ maxDepth: 3 }).map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
  fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
  fc.integer({ min: MAX_PAYLOAD + 1, max: MAX_PAYLOAD * 4 }).map((n) => Buffer.alloc(n, 0x7b)),
);
const cases = fc.tuple(fc.constantFrom('weight', 'scan', 'status-scale', 'status-scanner'), payload);

it(`gives every fuzzed payload a PUBACK and a counted reason when refused (${PAYLOAD_CASES} cases)`, async () => {
  const sample = fc.sample(cases, { numRuns: PAYLOAD_CASES, seed: 42 });
  const clients = {
    scale: await connectDevice(gateway.mqttPort, scale),
    scanner: await connectDevice(gateway.mqttPort, scanner),
  };
  const before = await gateway.health();
  let invalid = 0;
  let readings = 0;
  for (let i = 0; i < sample.length; i += 50) {
    await Promise.all(
      sample.slice(i, i + 50).map(([target, bytes]) => {
        const device = target === 'weight' || target === 'status-scale' ? scale : scanner;
        const channel = target.startsWith('status') ? 'status' : (target as 'weight' | 'scan');
        const schema =
          channel === 'weight' ? weightReadingSchema : channel === 'scan' ? scanSchema : deviceStatusSchema;
        const ok = bytes.length <= MAX_PAYLOAD && parseJsonMessage(schema, bytes.toString('utf8')).ok;
        if (!ok) invalid++;
        else if (channel !== 'status') readings++;
        const client = device === scale ? clients.scale : clients.scanner;
        return client.publishAsync(deviceTopic(device.id, channel), bytes, { qos: 1 });
      }),
    );
  }
  await gateway.settled();
  const after = await gateway.health();
  const delta = (reason: string) =>
    (after.refusedByReason[reason] ?? 0) - (before.refusedByReason[reason] ?? 0);
  expect(after.broker.messagesIn - before.broker.messagesIn).toBe(PAYLOAD_CASES);
  expect(delta('publish:malformed-json') + delta('publish:invalid-payload') + delta('publish:oversize')).toBe(
    invalid,
  );
  // Valid readings are stored, or acknowledged as replays of one already stored (random seq and time).
  const stored = Number((await gateway.db.$client.execute('SELECT count(*) AS n FROM readings')).rows[0]!.n);
  expect(stored + delta('publish:duplicate')).toBe(readings);
  expect(clients.scale.connected && clients.scanner.connected).toBe(true);
  await clients.scale.endAsync();
  await clients.scanner.endAsync();
  expect(unhandled).toEqual([]);
  console.log(
    `fuzz payloads: ${PAYLOAD_CASES} cases, ${invalid} refused with a reason, ${stored} readings stored`,
  );
}, 600_000);

it(`survives mutated raw MQTT packets after a valid CONNECT (${PACKET_CASES} cases)`, async () => {
  const templates = [
    generate({
      cmd: 'publish',
      topic: deviceTopic(scale.id, 'weight'),
      payload: Buffer.from('{"seq":1,"at":1763000000000,"grams":5}'),
      qos: 1,
      messageId: 7,
      retain: false,
      dup: false,
    }),
    generate({
      cmd: 'publish',
      topic: deviceTopic(scale.id, 'status'),
      payload: Buffer.from('{"state":"online"}'),
      qos: 0,
      retain: true,
      dup: false,
    }),
    generate({
      cmd: 'subscribe',
      messageId: 3,
      subscriptions: [{ topic: deviceTopic(scale.id, 'cmd'), qos: 1 }],
    }),
    generate({ cmd: 'unsubscribe', messageId: 4, unsubscriptions: [deviceTopic(scale.id, 'cmd')] }),
    generate({ cmd: 'pubrel', messageId: 9 }),
  ];
  const mutations = fc.sample(
    fc.tuple(
      fc.constantFrom(...templates.keys()),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 }),
      fc.nat({ max: 8 }),
    ),
    { numRuns: PACKET_CASES, seed: 7 },
  );
  const before = await gateway.health();
  let alive = 0;
  let closedCases = 0;
  let unparseable = 0;
  const runCase = async ([template, edits, cut]: [number, Array<[number, number]>, number]) => {
    const bytes = Buffer.from(templates[template]!);
    for (const [at, value] of edits) bytes[at % bytes.length] = value;
    const sent = bytes.subarray(0, bytes.length - (cut % 2 === 0 ? 0 : Math.min(cut, bytes.length - 1)));
    // The same parser the broker uses: bytes it cannot parse must be refused with a counted reason.
    const reference = parser();
    let broken = false;
    reference.on('error', () => (broken = true));
    reference.parse(Buffer.concat([sent, generate({ cmd: 'pingreq' })]));
    if (broken) unparseable++;
    const raw = await rawConnect(gateway.mqttPort);
    raw.send(connectPacket(scale.id, scale.secret));
    const connack = (await raw.next('connack')) as { returnCode?: number } | null;
    expect(connack?.returnCode).toBe(0); // the mutation comes after a good login, every time
    raw.send(sent);
    raw.send({ cmd: 'pingreq' });
    raw.socket.end(); // no more bytes: an incomplete packet ends here instead of waiting for keep-alive
    const answer = await Promise.race([raw.next('pingresp'), raw.closed.then(() => null)]);
    if (answer) alive++;
    else closedCases++;
    raw.socket.destroy();
    await raw.closed;
  };
  // One at a time: a second CONNECT under the same id would take the first one's session over.
  for (const mutation of mutations) await runCase(mutation);
  const after = await gateway.health();
  // The broker is still serving devices.
  const client = await connectDevice(gateway.mqttPort, scanner);
  await client.publishAsync(deviceTopic(scanner.id, 'status'), '{"state":"online"}', { qos: 1 });
  await client.endAsync();
  expect(alive + closedCases).toBe(PACKET_CASES);
  // Only known reasons, and refusals for the connections the broker ended (a mutated packet may also be
  // a harmless one, e.g. a DISCONNECT, which ends a connection without a refusal).
  for (const reason of Object.keys(after.refusedByReason)) expect(REFUSAL_REASONS).toContain(reason);
  expect(unparseable).toBeGreaterThan(0);
  expect(after.broker.refused - before.broker.refused).toBeGreaterThanOrEqual(unparseable);
  expect(unhandled).toEqual([]);
  console.log(
    `fuzz packets: ${PACKET_CASES} cases, ${alive} kept the connection, ${closedCases} closed, ${unparseable} unparseable, ${after.broker.refused - before.broker.refused} refusals counted`,
  );
}, 600_000);
