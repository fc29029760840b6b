import type { ScanMode } from '@pourcast/protocol';
import type { WasteReason } from './scanner-simulator.ts';

/**
 * What happens during a shift, one gesture at a time, in simulated time (`at`, epoch ms). `durationMs` is
 * the physical time the gesture takes before the next one may start (readings settle meanwhile).
 */
interface ActionBase {
  at: number;
  durationMs: number;
  /** Service round the gesture belongs to (a lift…put-back, or a delivery being scanned in). */
  round: number;
}

interface ScaleActionBase extends ActionBase {
  deviceId: string;
  platform: number;
  itemId: string;
}

export interface LiftAction extends ScaleActionBase {
  type: 'lift';
  levelMl: number;
}

export interface PourAction extends ScaleActionBase {
  type: 'pour';
  /** Poured now, integer ml. */
  ml: number;
  /** The measure the bartender meant (25/30/45/60 ml); `ml` differs on a free pour or when the bottle runs dry. */
  measureMl: number;
  free: boolean;
  levelAfterMl: number;
  /** The measure a POS rings up for the drink this pour completes; absent for a drink left unfinished. */
  soldMl?: number;
}

export interface PutBackAction extends ScaleActionBase {
  type: 'put-back';
  levelMl: number;
}

/** The lifted bottle goes away (with what is left in it) and a new sealed bottle stands on the platform. */
export interface ReplaceBottleAction extends ScaleActionBase {
  type: 'replace-bottle';
  removedLevelMl: number;
  levelMl: number;
}

export interface ScanAction extends ActionBase {
  type: 'scan';
  deviceId: string;
  barcode: string;
  itemId: string;
  mode: ScanMode;
  quantity: number;
  reason?: WasteReason;
}

export type ShiftAction = LiftAction | PourAction | PutBackAction | ReplaceBottleAction | ScanAction;
export type ScaleAction = LiftAction | PourAction | PutBackAction | ReplaceBottleAction;

export function slotKey(deviceId: string, platform: number): string {
  return `${deviceId}/${platform}`;
}

/** One line for logs. */
export function describeAction(action: ShiftAction): string {
  const time = new Date(action.at).toISOString();
  switch (action.type) {
    case 'lift':
      return `${time} lift ${action.itemId} from ${slotKey(action.deviceId, action.platform)} (${action.levelMl} ml)`;
    case 'pour':
      return `${time} pour ${action.ml} ml of ${action.itemId}${action.free ? ' (free pour)' : ''} → ${action.levelAfterMl} ml`;
    case 'put-back':
      return `${time} put back ${action.itemId} on ${slotKey(action.deviceId, action.platform)} (${action.levelMl} ml)`;
    case 'replace-bottle':
      return `${time} replace ${action.itemId} on ${slotKey(action.deviceId, action.platform)}: old bottle had ${action.removedLevelMl} ml, new ${action.levelMl} ml`;
    case 'scan':
      return `${time} scan ${action.barcode} (${action.itemId}) ×${action.quantity} in ${action.mode} mode${action.reason ? ` (${action.reason})` : ''}`;
  }
}
