import { EventEmitter } from 'node:events';
import type { DeviceStatus, FrameMetadata, Scan, StockEvent } from '@pourcast/protocol';

/** One accepted weight or scan, committed to the readings inbox. */
export interface ReadingEvent {
  readingId: number;
  deviceId: string;
  channel: 'weight' | 'scan';
  receivedAt: number;
}

/** A scan after the scanner pipeline has looked it up (itemId null: unknown barcode). */
export interface ScanEvent {
  deviceId: string;
  scan: Scan;
  itemId: string | null;
}

/** A camera frame that passed the broker's checks (size, JPEG SOI marker, metadata). */
export interface FrameEvent {
  deviceId: string;
  jpeg: Buffer;
  receivedAt: number;
  meta?: FrameMetadata;
}

export interface DeviceStatusEvent {
  deviceId: string;
  status: DeviceStatus;
  receivedAt: number;
}

export interface RefusedEvent {
  deviceId: string | null;
  reason: string;
  detail: string;
}

export interface CatalogEvent {
  locationId: string;
  items: number;
}

export interface OutboxAckEvent {
  ackSeq: number;
}

/** A waste photo was kept on the gateway (staff/staff-display.ts): sent now if its event is already acknowledged. */
export interface WastePhotoEvent {
  eventId: string;
}

/** The ledger re-based on the hub after a restore from backup (outbox/rebase.ts): scale platforms moved on. */
export interface LedgerRebasedEvent {
  ackSeq: number;
  caughtUp: number;
  platforms: number;
}

/** Everything that travels on the gateway's in-process bus (STYLE.md "A typed event bus"). */
export interface GatewayEvents {
  reading: ReadingEvent;
  scan: ScanEvent;
  frame: FrameEvent;
  'stock-event': StockEvent;
  'device-status': DeviceStatusEvent;
  refused: RefusedEvent;
  catalog: CatalogEvent;
  'outbox-ack': OutboxAckEvent;
  'ledger-rebased': LedgerRebasedEvent;
  'waste-photo': WastePhotoEvent;
}

export type GatewayEventName = keyof GatewayEvents;

/** A typed wrapper over EventEmitter; a throwing listener is reported, never propagated to the emitter. */
export class GatewayBus {
  readonly #emitter = new EventEmitter({ captureRejections: false });
  readonly #onListenerError: (name: string, error: unknown) => void;

  constructor(onListenerError: (name: string, error: unknown) => void = () => {}) {
    this.#emitter.setMaxListeners(50);
    this.#onListenerError = onListenerError;
  }

  on<K extends GatewayEventName>(name: K, listener: (event: GatewayEvents[K]) => void): () => void {
    const wrapped = (event: GatewayEvents[K]) => {
      try {
        listener(event);
      } catch (error) {
        this.#onListenerError(name, error);
      }
    };
    this.#emitter.on(name, wrapped);
    return () => this.#emitter.off(name, wrapped);
  }

  once<K extends GatewayEventName>(name: K, listener: (event: GatewayEvents[K]) => void): () => void {
    const off = this.on(name, (event) => {
      off();
      listener(event);
    });
    return off;
  }

  emit<K extends GatewayEventName>(name: K, event: GatewayEvents[K]): void {
    this.#emitter.emit(name, event);
  }

  removeAllListeners(): void {
    this.#emitter.removeAllListeners();
  }
}
