import type { Channel, DeviceCommand, DeviceKind, ScanMode } from '@pourcast/protocol';

/**
 * A device model described as data (zigbee-herdsman-converters style: `{model, vendor, extend: [...]}`).
 * Drivers, simulators and the provisioning CLI read the same definition.
 */
export interface ScaleTraits {
  /** Load-cell platforms on one device; readings carry `platform` 0..platforms-1. */
  platforms: number;
  /** Readings per second the device publishes. */
  sampleHz: number;
  /** Measuring range of one platform, grams. */
  minG: number;
  maxG: number;
  /** Smallest step the device reports, grams. */
  resolutionG: number;
  /** Standard deviation of the reading noise on a still platform, grams. */
  noiseSigmaG: number;
}

export interface ScannerTraits {
  /** Symbologies the scanner decodes. */
  symbologies: readonly string[];
  /** Mode after power-on until the gateway sets another. */
  defaultMode: ScanMode;
}

export interface CameraTraits {
  width: number;
  height: number;
  /** Default time between frames. */
  frameIntervalMs: number;
}

export type Connection = 'gpio-hx711' | 'usb-hid' | 'wifi' | 'ethernet';

export interface DeviceDefinition {
  model: string;
  vendor: string;
  description: string;
  kind: DeviceKind;
  /** How the device hardware is attached to the thing that speaks MQTT for it. */
  connection: Connection;
  /** Channels the device publishes on (the gateway ACL's view, protocol `publishChannelsByKind`). */
  publishes: readonly Channel[];
  /** Commands the device answers; others are answered with an error. */
  commands: readonly DeviceCommand['command'][];
  scale?: ScaleTraits;
  scanner?: ScannerTraits;
  camera?: CameraTraits;
}

/** A scale definition, with its traits known to be present. */
export type ScaleDefinition = DeviceDefinition & { kind: 'scale'; scale: ScaleTraits };
export type ScannerDefinition = DeviceDefinition & { kind: 'scanner'; scanner: ScannerTraits };
export type CameraDefinition = DeviceDefinition & { kind: 'camera'; camera: CameraTraits };

export function isScaleDefinition(definition: DeviceDefinition): definition is ScaleDefinition {
  return definition.kind === 'scale' && definition.scale !== undefined;
}

export function isScannerDefinition(definition: DeviceDefinition): definition is ScannerDefinition {
  return definition.kind === 'scanner' && definition.scanner !== undefined;
}

export function isCameraDefinition(definition: DeviceDefinition): definition is CameraDefinition {
  return definition.kind === 'camera' && definition.camera !== undefined;
}
