import { publishChannelsByKind, type DeviceCommand, type DeviceKind } from '@pourcast/protocol';
import type { CameraTraits, Connection, DeviceDefinition, ScaleTraits, ScannerTraits } from './definition.ts';
import type { DefinitionPart } from './parts.ts';

export interface DefineDeviceOptions {
  model: string;
  vendor: string;
  description: string;
  extend: readonly DefinitionPart[];
}

const SCALE_KEYS = ['platforms', 'sampleHz', 'minG', 'maxG', 'resolutionG', 'noiseSigmaG'] as const;
const SCANNER_KEYS = ['symbologies', 'defaultMode'] as const;
const CAMERA_KEYS = ['width', 'height', 'frameIntervalMs'] as const;

function complete<T extends object>(
  model: string,
  name: string,
  traits: Partial<T>,
  keys: readonly (keyof T)[],
): T {
  const missing = keys.filter((key) => traits[key] === undefined);
  if (missing.length) throw new TypeError(`${model}: ${name} is missing ${missing.join(', ')}`);
  return traits as T;
}

/**
 * Merges a model's parts into one definition and checks it is whole: one kind, a connection, and every
 * trait that kind needs. A definition that does not add up fails at import time, not in a bar.
 */
export function defineDevice(options: DefineDeviceOptions): DeviceDefinition {
  const { model } = options;
  let kind: DeviceKind | undefined;
  let connection: Connection | undefined;
  const commands = new Set<DeviceCommand['command']>();
  let scale: Partial<ScaleTraits> | undefined;
  let scanner: Partial<ScannerTraits> | undefined;
  let camera: Partial<CameraTraits> | undefined;
  for (const part of options.extend) {
    if (part.kind) {
      if (kind && kind !== part.kind)
        throw new TypeError(`${model}: parts disagree on kind (${kind}, ${part.kind})`);
      kind = part.kind;
    }
    if (part.connection) connection = part.connection;
    for (const command of part.commands ?? []) commands.add(command);
    if (part.scale) scale = { ...scale, ...part.scale };
    if (part.scanner) scanner = { ...scanner, ...part.scanner };
    if (part.camera) camera = { ...camera, ...part.camera };
  }
  if (!kind) throw new TypeError(`${model}: no part gives a kind`);
  if (!connection) throw new TypeError(`${model}: no part gives a connection`);
  const definition: DeviceDefinition = {
    model,
    vendor: options.vendor,
    description: options.description,
    kind,
    connection,
    publishes: publishChannelsByKind[kind],
    commands: [...commands],
  };
  if (kind === 'scale') {
    const traits = complete<ScaleTraits>(model, 'scale', scale ?? {}, SCALE_KEYS);
    if (!(traits.maxG > traits.minG)) throw new TypeError(`${model}: scale range must be minG < maxG`);
    if (!Number.isInteger(traits.platforms) || traits.platforms < 1 || traits.platforms > 16)
      throw new TypeError(`${model}: platforms must be 1-16 (protocol weight.platform is 0-15)`);
    if (!(traits.sampleHz > 0)) throw new TypeError(`${model}: sampleHz must be positive`);
    definition.scale = traits;
  }
  if (kind === 'scanner')
    definition.scanner = complete<ScannerTraits>(model, 'scanner', scanner ?? {}, SCANNER_KEYS);
  if (kind === 'camera')
    definition.camera = complete<CameraTraits>(model, 'camera', camera ?? {}, CAMERA_KEYS);
  return Object.freeze(definition);
}
