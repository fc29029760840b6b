import sharp from 'sharp';
import type { DeviceTrouble, LastReading, WeightReading } from '@pourcast/protocol';
import type { FrameEvent, GatewayBus } from '../bus.ts';

export interface DeviceActivityOptions {
  /** Readings below this many grams (either sign) count as an empty platform (default 50, as DriftWatch). */
  emptyBelowG?: number;
  /** Empty-platform readings the spread is taken over (default 50: 5 s at 10 Hz). */
  noiseWindow?: number;
  /** A spread above this many grams is a noisy load cell (default 3). */
  noisyAboveG?: number;
  /** At most one frame per camera is looked at in this long (default 30 s). */
  frameSampleMs?: number;
  /** A frame whose mean grey is below this (0-255) is dark (default 25). */
  darkBelowLuma?: number;
  /** A frame whose grey spread is below this (0-255) shows nothing: a covered lens (default 6). */
  blockedBelowSpread?: number;
}

interface PlatformNoise {
  recent: number[];
  next: number;
}

interface Activity {
  last?: LastReading;
  noise: Map<number, PlatformNoise>;
  unknownBarcodes: number;
  refused: number;
  lastRefusal?: string;
  frame?: { meanLuma: number; spreadLuma: number; sampledAt: number };
}

/**
 * What each device did lately, for the device report and the gateway's device list: its newest reading and
 * the signs of trouble the gateway can see from here: empty-platform weights that scatter (a noisy load cell),
 * frames that are dark or uniform (lights off, a covered lens), scans of unknown barcodes and refused messages.
 * Everything is in memory and counts from the gateway's start.
 */
export class DeviceActivity {
  readonly #devices = new Map<string, Activity>();
  readonly #offs: Array<() => void> = [];
  readonly #sampling = new Set<string>();
  readonly #listeners = new Set<(deviceId: string) => void>();
  /** Per device: whether it has a reading, and the names of its trouble signals, as last announced. */
  readonly #announced = new Map<string, string>();
  #pending: Promise<void>[] = [];
  readonly #o: Required<DeviceActivityOptions>;

  constructor(options: DeviceActivityOptions = {}) {
    this.#o = {
      emptyBelowG: 50,
      noiseWindow: 50,
      noisyAboveG: 3,
      frameSampleMs: 30_000,
      darkBelowLuma: 25,
      blockedBelowSpread: 6,
      ...options,
    };
  }

  /** Listens on the bus (scans, frames, refusals) and to the broker's accepted weights. */
  watch(
    bus: Pick<GatewayBus, 'on'>,
    onWeight: (listener: (deviceId: string, reading: WeightReading) => void) => () => void,
  ): this {
    this.#offs.push(
      onWeight((deviceId, reading) => this.observeWeight(deviceId, reading)),
      bus.on('scan', (e) => this.observeScan(e.deviceId, e.scan.barcode, e.itemId !== null)),
      bus.on('frame', (frame) => this.observeFrame(frame)),
      bus.on('refused', (e) => {
        if (e.deviceId !== null) this.observeRefusal(e.deviceId, e.reason);
      }),
    );
    return this;
  }

  close(): void {
    for (const off of this.#offs.splice(0)) off();
  }

  /**
   * Called when a device sends its first reading, or a sign of trouble appears or clears (not on every
   * reading or count): the device report goes out soon after instead of at its next interval.
   */
  onChange(listener: (deviceId: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #check(deviceId: string): void {
    const key = `${this.lastReading(deviceId) ? 'reading' : ''}:${this.trouble(deviceId)
      .map((found) => ('platform' in found ? `${found.signal}@${found.platform}` : found.signal))
      .join(',')}`;
    if (this.#announced.get(deviceId) === key) return;
    this.#announced.set(deviceId, key);
    for (const listener of this.#listeners) listener(deviceId);
  }

  observeWeight(deviceId: string, reading: WeightReading, receivedAt = Date.now()): void {
    const a = this.#get(deviceId);
    const platform = reading.platform ?? 0;
    a.last = { channel: 'weight', at: iso(receivedAt), platform, grams: round1(reading.grams) };
    if (Math.abs(reading.grams) < this.#o.emptyBelowG) {
      // Only an empty platform says anything of noise: with a bottle on it, pours move the weight.
      const noise = a.noise.get(platform) ?? { recent: [], next: 0 };
      if (noise.recent.length < this.#o.noiseWindow) noise.recent.push(reading.grams);
      else noise.recent[noise.next] = reading.grams;
      noise.next = (noise.next + 1) % this.#o.noiseWindow;
      a.noise.set(platform, noise);
    }
    this.#check(deviceId);
  }

  observeScan(deviceId: string, barcode: string, known: boolean, at = Date.now()): void {
    const a = this.#get(deviceId);
    a.last = { channel: 'scan', at: iso(at), barcode, known };
    if (!known) a.unknownBarcodes++;
    this.#check(deviceId);
  }

  observeRefusal(deviceId: string, reason: string): void {
    const a = this.#get(deviceId);
    a.refused++;
    a.lastRefusal = reason;
    this.#check(deviceId);
  }

  /** Records the frame and, at most once per sample period and camera, measures its grey level. */
  observeFrame(frame: FrameEvent): void {
    const a = this.#get(frame.deviceId);
    a.last = {
      channel: 'frame',
      at: iso(frame.receivedAt),
      width: frame.meta?.width ?? null,
      height: frame.meta?.height ?? null,
    };
    this.#check(frame.deviceId);
    if (this.#sampling.has(frame.deviceId)) return;
    if (a.frame && frame.receivedAt - a.frame.sampledAt < this.#o.frameSampleMs) return;
    this.#sampling.add(frame.deviceId);
    const done = greyStats(frame.jpeg)
      .then((grey) => {
        if (grey) a.frame = { ...grey, sampledAt: frame.receivedAt };
        this.#check(frame.deviceId);
      })
      .finally(() => {
        this.#sampling.delete(frame.deviceId);
        this.#pending = this.#pending.filter((p) => p !== done);
      });
    this.#pending.push(done);
  }

  /** Waits for the frame measurements under way (tests, shutdown). */
  async idle(): Promise<void> {
    await Promise.all(this.#pending);
  }

  lastReading(deviceId: string): LastReading | null {
    return this.#devices.get(deviceId)?.last ?? null;
  }

  /** The device's signs of trouble now; empty when it looks well. */
  trouble(deviceId: string): DeviceTrouble[] {
    const a = this.#devices.get(deviceId);
    if (!a) return [];
    const found: DeviceTrouble[] = [];
    for (const [platform, noise] of [...a.noise].sort(([x], [y]) => x - y)) {
      if (noise.recent.length < this.#o.noiseWindow) continue;
      const spreadG = round1(stdev(noise.recent));
      if (spreadG > this.#o.noisyAboveG) found.push({ signal: 'noisy-load-cell', platform, spreadG });
    }
    if (a.frame) {
      const { meanLuma, spreadLuma } = a.frame;
      if (meanLuma < this.#o.darkBelowLuma) found.push({ signal: 'dark-camera', meanLuma, spreadLuma });
      else if (spreadLuma < this.#o.blockedBelowSpread)
        found.push({ signal: 'blocked-camera', meanLuma, spreadLuma });
    }
    if (a.unknownBarcodes > 0) found.push({ signal: 'unknown-barcodes', count: a.unknownBarcodes });
    if (a.refused > 0 && a.lastRefusal)
      found.push({ signal: 'refused-messages', count: a.refused, lastReason: a.lastRefusal.slice(0, 64) });
    return found;
  }

  #get(deviceId: string): Activity {
    let a = this.#devices.get(deviceId);
    if (!a) this.#devices.set(deviceId, (a = { noise: new Map(), unknownBarcodes: 0, refused: 0 }));
    return a;
  }
}

/** Mean and standard deviation of a frame's grey, from a small greyscale copy; null if it does not decode. */
async function greyStats(jpeg: Buffer): Promise<{ meanLuma: number; spreadLuma: number } | null> {
  try {
    const grey = await sharp(jpeg, { limitInputPixels: 8192 * 8192 })
      .greyscale()
      .resize(64, 64, { fit: 'fill' })
      .raw()
      .toBuffer();
    const values = [...grey];
    const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
    return { meanLuma: round1(mean), spreadLuma: round1(stdev(values)) };
  } catch {
    return null; // the broker and the detector count undecodable frames; nothing to measure here
  }
}

function stdev(values: number[]): number {
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  return Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length);
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const iso = (ms: number) => new Date(ms).toISOString();
