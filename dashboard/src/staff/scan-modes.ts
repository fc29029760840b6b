import type { DisplayDevice, ScanMode } from '@pourcast/protocol';

/** What the delivery panel shows of one scanner: the mode it took, or the one it is being sent. */
export interface ScannerToggle {
  id: string;
  online: boolean;
  /** Catalog key of the scanner's state line. */
  status: 'modes.receiving' | 'modes.counting' | 'modes.waste' | 'modes.switching';
  /** The mode asked for last is receive: the toggle shows pressed. */
  receiving: boolean;
  /** What pressing the toggle asks for. */
  next: Extract<ScanMode, 'receive' | 'count'>;
}

const STATUS: Record<ScanMode, ScannerToggle['status']> = {
  receive: 'modes.receiving',
  count: 'modes.counting',
  waste: 'modes.waste',
};

/**
 * The bar's scanners with their receive toggle. A scanner never sent a mode is in its own default, count.
 * While the gateway waits for the scanner to acknowledge, the state says so rather than claim the new mode.
 */
export function scannerToggles(devices: readonly DisplayDevice[]): ScannerToggle[] {
  return devices
    .filter((device) => device.kind === 'scanner')
    .map((device) => {
      const mode = device.scanMode?.mode ?? 'count';
      const receiving = mode === 'receive';
      return {
        id: device.id,
        online: device.state === 'online',
        status: device.scanMode?.pending ? 'modes.switching' : STATUS[mode],
        receiving,
        next: receiving ? 'count' : 'receive',
      };
    });
}
