import type { DeviceStatus } from '@pourcast/protocol';
import type { GatewayBus } from '../bus.ts';

export interface TrackedStatus {
  status: DeviceStatus;
  receivedAt: number;
}

/** Device health from the retained `status` topic and its `offline` last will. */
export class DeviceStatusTracker {
  readonly #latest = new Map<string, TrackedStatus>();

  constructor(private readonly bus: GatewayBus) {}

  update(deviceId: string, status: DeviceStatus, receivedAt = Date.now()): void {
    this.#latest.set(deviceId, { status, receivedAt });
    this.bus.emit('device-status', { deviceId, status, receivedAt });
  }

  get(deviceId: string): TrackedStatus | undefined {
    return this.#latest.get(deviceId);
  }

  all(): Array<TrackedStatus & { deviceId: string }> {
    return [...this.#latest].map(([deviceId, tracked]) => ({ deviceId, ...tracked }));
  }
}
