import type { ScanEvent } from '../bus.ts';
import type { StockEventDraft } from '../inventory/ledger.ts';
import type { ScaleSlotState } from './scale/scale-machine.ts';

export interface SlotUpdate {
  deviceId: string;
  platform: number;
  state: ScaleSlotState;
  observedAt: string;
}

export interface UnknownBarcodeSighting {
  barcode: string;
  deviceId: string;
  mode: string;
  seenAt: string;
}

/** Everything one pipeline pass derives from a run of readings, written in ONE transaction. */
export class PipelineWork {
  readonly drafts: StockEventDraft[] = [];
  readonly slotUpdates = new Map<string, SlotUpdate>();
  readonly unknownBarcodes: UnknownBarcodeSighting[] = [];
  readonly scans: ScanEvent[] = [];
  readonly processedIds: number[] = [];
  readonly cursors = new Map<string, number>();

  markProcessed(deviceId: string, readingId: number): void {
    this.processedIds.push(readingId);
    this.cursors.set(deviceId, readingId);
  }

  get empty(): boolean {
    return this.processedIds.length === 0;
  }
}

export const slotKey = (deviceId: string, platform: number) => `${deviceId}/${platform}`;
