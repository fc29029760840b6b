export { startGateway, type Gateway, type GatewayOptions } from './gateway.ts';
export {
  GatewayBus,
  type GatewayEvents,
  type GatewayEventName,
  type ReadingEvent,
  type ScanEvent,
  type FrameEvent,
  type DeviceStatusEvent,
  type RefusedEvent,
  type CatalogEvent,
  type OutboxAckEvent,
} from './bus.ts';
export type { StockEventDraft } from './inventory/ledger.ts';
export type { SlotLevel } from './inventory/levels.ts';
export type { CatalogItem, CatalogStore } from './hub-client/catalog-store.ts';
export type { GatewayDb, SynchronousMode } from './db/open-db.ts';
export { createLogger, silentLogger, type Logger, type LogLevel } from './log.ts';
export { loadGatewayConfig, parseGatewayConfig } from './config/load-config.ts';
export { REFUSAL_REASONS, type RefusalReason } from './broker/refusals.ts';
