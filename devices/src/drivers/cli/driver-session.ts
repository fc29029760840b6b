import type { DeviceBundle } from '@pourcast/protocol';
import { findDeviceDefinition, type DeviceDefinition } from '../../definitions/index.ts';
import { stderrDeviceLog, type DeviceLog } from '../../link/device-log.ts';
import type { MqttDeviceOptions } from '../../mqtt-device.ts';

/**
 * The MQTT session options a driver program passes to MqttDevice (devices/src/mqtt-device.ts): the
 * bundle, the model's definition (so commands the model does not take are refused there), a log to
 * stderr. An unknown model still runs, without the command check.
 */
export function driverSessionOptions(
  bundle: DeviceBundle,
  protocol: 'auto' | 4 | 5,
  firmware: string,
): MqttDeviceOptions & { log: DeviceLog; definition: DeviceDefinition | undefined } {
  const log = stderrDeviceLog(bundle.deviceId);
  const definition = findDeviceDefinition(bundle.model);
  if (!definition) log('warn', `model ${bundle.model} is not in the device definitions; defaults apply`);
  return { bundle, protocol, firmware, log, definition };
}
