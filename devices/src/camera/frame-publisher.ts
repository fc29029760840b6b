import { withFrameMetadataComment, type DeviceBundle, type FrameMetadata } from '@pourcast/protocol';
import { MqttDevice, type MqttDeviceOptions } from '../mqtt-device.ts';

export interface FramePublisherOptions extends Omit<MqttDeviceOptions, 'bundle'> {
  bundle: DeviceBundle;
}

export interface FramePublisher {
  readonly device: MqttDevice;
  /**
   * Publishes raw JPEG bytes on `pourcast/v1/<cameraId>/frame` (QoS 1). On MQTT 5 the metadata travels as
   * user properties (the device link adds them); on a 3.1.1 session it travels in a JPEG COM segment.
   */
  publishFrame(jpeg: Buffer, meta: FrameMetadata): Promise<void>;
  close(): Promise<void>;
}

/**
 * Connects a simulated camera with the devices' MQTT link (devices/src/mqtt-device.ts): client id and
 * username = the device id, password = the bundle's secret, MQTT 5 with a 3.1.1 fallback, retained status
 * with an `offline` last will.
 */
export async function connectFramePublisher(options: FramePublisherOptions): Promise<FramePublisher> {
  const device = await MqttDevice.connect(options);
  return {
    device,
    async publishFrame(jpeg, meta) {
      const payload = device.protocolVersion === 5 ? jpeg : Buffer.from(withFrameMetadataComment(jpeg, meta));
      await device.publishFrame(payload, meta);
    },
    close: () => device.close(),
  };
}
