import type { PosProvider } from '@pourcast/protocol';

export type SaleKind = 'sale' | 'void' | 'refund' | 'comp';

/** One POS line in the hub's terms, whatever adapter produced it. */
export interface PosSaleLine {
  /** The POS's own id for the line (stable across retries); the idempotency key with `kind`. */
  lineRef: string;
  checkRef: string | null;
  kind: SaleKind;
  externalItemId: string;
  externalName: string;
  quantity: number;
  modifiers: string[];
  /** Money the line brought (negative for refunds and voids), null when the POS did not say. */
  revenue: number | null;
  soldAt: string;
  /** The POS station of the line, when the POS says (per-station variance). */
  station?: string;
  /** Who rang it up or served it, as the POS names them. */
  staff?: string;
}

/**
 * How a line moves expected usage. A comp was poured (usage, no revenue); a refund returns money for a drink
 * that was served (no usage change); a void cancels a line that was rung up before (usage reversed).
 */
export const USAGE_FACTOR: Record<SaleKind, number> = { sale: 1, comp: 1, refund: 0, void: -1 };

/** Every adapter: turn a verified payload into sale lines (pure, testable from recorded payloads). */
export interface PosAdapter<Payload> {
  provider: PosProvider;
  toSaleLines(payload: Payload): PosSaleLine[];
}
