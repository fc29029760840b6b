import type { ShiftAction } from '../shift-action.ts';
import type { PosFile } from './pos-file.ts';

export interface TabitSimulatorOptions {
  pos: PosFile;
  fetch?: typeof fetch;
  /** Wall clock for the signature timestamp (the hub checks it against its own); default Date.now. */
  now?: () => number;
  log?: (line: string) => void;
}

interface OpenCheck {
  round: number;
  station: string;
  staff: string;
  closedAt: number;
  items: Array<{
    lineId: string;
    menuItemId: string;
    name: string;
    quantity: 1;
    price: number;
    modifiers: { name: string }[];
  }>;
}

async function hmacHex(secret: string, text: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(text)));
  return [...signature].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The bar's POS as Tabit's cloud would run it: each service round of the shift is one check, rung up at the
 * station of the scale poured from, with a line per drink (the measure as a modifier), closed when the
 * round ends and sent to the hub's Tabit webhook, signed (`sha256=HMAC(secret, "<timestamp>.<body>")`).
 * Only the vendor's cloud is simulated: the hub verifies and records these exactly as Tabit's.
 */
export class TabitSimulator {
  readonly #o: Required<Omit<TabitSimulatorOptions, 'log'>> & Pick<TabitSimulatorOptions, 'log'>;
  readonly #stationOf = new Map<string, { name: string; staff: string }>();
  #open: OpenCheck | undefined;
  #sending: Promise<void> = Promise.resolve();
  #checks = 0;
  readonly counts = { checks: 0, lines: 0, failed: 0 };

  constructor(options: TabitSimulatorOptions) {
    this.#o = { fetch: globalThis.fetch, now: Date.now, ...options };
    for (const station of options.pos.stations)
      for (const deviceId of station.deviceIds) this.#stationOf.set(deviceId, station);
  }

  /** Follows the shift (PlayShiftOptions.onAction): a pour that completes a drink adds a line. */
  onAction(action: ShiftAction): void {
    if (this.#open && action.round !== this.#open.round) this.#close();
    if (action.type !== 'pour' || action.soldMl === undefined) return;
    const station = this.#stationOf.get(action.deviceId);
    const menu = this.#o.pos.menu[action.itemId];
    if (!station || !menu) return;
    this.#open ??= {
      round: action.round,
      station: station.name,
      staff: station.staff,
      closedAt: action.at,
      items: [],
    };
    const modifier = this.#o.pos.modifiers[String(action.soldMl)];
    const price = Math.round(((menu.price * action.soldMl) / this.#o.pos.standardMl) * 100) / 100;
    this.#open.items.push({
      lineId: `l${this.#open.items.length + 1}`,
      menuItemId: menu.externalId,
      name: menu.name,
      quantity: 1,
      price,
      modifiers: modifier ? [{ name: modifier }] : [],
    });
    this.#open.closedAt = action.at;
  }

  /** Closes the open check and waits until every check was sent. */
  async flush(): Promise<void> {
    this.#close();
    await this.#sending;
  }

  #close(): void {
    const check = this.#open;
    this.#open = undefined;
    if (!check || !check.items.length) return;
    const n = ++this.#checks;
    const id = `sim-${new Date(check.closedAt).toISOString().replace(/\D/g, '')}-${n}`;
    const body = JSON.stringify({
      eventId: `evt-${id}`,
      eventType: 'check.closed',
      check: {
        id,
        closedAt: new Date(check.closedAt).toISOString(),
        station: check.station,
        employeeName: check.staff,
        items: check.items,
      },
    });
    this.#sending = this.#sending.then(() => this.#send(body, check.items.length));
  }

  async #send(body: string, lines: number): Promise<void> {
    try {
      const timestamp = String(Math.floor(this.#o.now() / 1000));
      const signature = `sha256=${await hmacHex(this.#o.pos.signingSecret, `${timestamp}.${body}`)}`;
      const response = await this.#o.fetch(this.#o.pos.webhookUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-tabit-signature': signature,
          'x-tabit-timestamp': timestamp,
        },
        body,
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}: ${(await response.text()).slice(0, 200)}`);
      this.counts.checks++;
      this.counts.lines += lines;
    } catch (error) {
      this.counts.failed++;
      this.#o.log?.(`pos: a check was not accepted: ${(error as Error).message}`);
    }
  }
}
