import type { Scan } from '@pourcast/protocol';
import type { CatalogStore } from '../../hub-client/catalog-store.ts';
import type { PipelineWork } from '../pipeline-work.ts';
import { scanToEvent } from './scan-events.ts';

/** A barcode names the item exactly; the quantity is what the bartender keyed in. */
export const SCANNER_CONFIDENCE = 1;

/**
 * One scan: a known barcode becomes a stock event; an unknown one is kept for review (never dropped).
 * 'hold' while no catalog was ever fetched: every barcode would look unknown.
 */
export function processScan(
  catalog: CatalogStore,
  deviceId: string,
  scan: Scan,
  work: PipelineWork,
): 'done' | 'hold' {
  if (!catalog.loaded) return 'hold';
  const observedAt = new Date(scan.at).toISOString();
  const item = catalog.byBarcode(scan.barcode);
  if (!item) {
    work.unknownBarcodes.push({ barcode: scan.barcode, deviceId, mode: scan.mode, seenAt: observedAt });
    work.scans.push({ deviceId, scan, itemId: null });
    return 'done';
  }
  const event = scanToEvent(scan, item);
  work.drafts.push({ ...event, source: 'scanner', deviceId, observedAt, confidence: SCANNER_CONFIDENCE });
  work.scans.push({ deviceId, scan, itemId: item.id });
  return 'done';
}
