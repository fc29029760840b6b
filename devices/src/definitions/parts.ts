import type { DeviceCommand, DeviceKind, ScanMode } from '@pourcast/protocol';
import type { CameraTraits, Connection, ScaleTraits, ScannerTraits } from './definition.ts';

/** One small piece of a device definition; `defineDevice` merges a model's parts in order. */
export interface DefinitionPart {
  kind?: DeviceKind;
  connection?: Connection;
  commands?: readonly DeviceCommand['command'][];
  scale?: Partial<ScaleTraits>;
  scanner?: Partial<ScannerTraits>;
  camera?: Partial<CameraTraits>;
}

export interface LoadCellOptions {
  minG?: number;
  maxG: number;
  resolutionG: number;
  noiseSigmaG: number;
}

/** A load cell behind an amplifier: the device weighs, tares and calibrates. */
export function loadCell(options: LoadCellOptions): DefinitionPart {
  return {
    kind: 'scale',
    commands: ['tare', 'calibrate'],
    scale: {
      minG: options.minG ?? 0,
      maxG: options.maxG,
      resolutionG: options.resolutionG,
      noiseSigmaG: options.noiseSigmaG,
    },
  };
}

/** How many platforms one scale device carries. */
export function platforms(count: number): DefinitionPart {
  return { scale: { platforms: count } };
}

/** Readings per second. The HX711 runs at 10 or 80 SPS (datasheet, RATE pin); 10 is the quiet setting. */
export function sampleRate(hz: number): DefinitionPart {
  return { scale: { sampleHz: hz } };
}

export interface BarcodeReaderOptions {
  symbologies: readonly string[];
  defaultMode?: ScanMode;
}

/** A barcode reader; the gateway may switch its mode between count, receive and waste. */
export function barcodeReader(options: BarcodeReaderOptions): DefinitionPart {
  return {
    kind: 'scanner',
    commands: ['set-scan-mode'],
    scanner: { symbologies: options.symbologies, defaultMode: options.defaultMode ?? 'count' },
  };
}

/** A shelf camera that sends JPEG frames on a timer and on a `capture` command. */
export function shelfCamera(options: CameraTraits): DefinitionPart {
  return { kind: 'camera', commands: ['capture'], camera: { ...options } };
}

export function connectedBy(connection: Connection): DefinitionPart {
  return { connection };
}

/** Symbologies of the bottles a bar sees: retail EAN/UPC on bottles, Code 128 / ITF-14 on cases. */
export const RETAIL_SYMBOLOGIES = ['ean-13', 'ean-8', 'upc-a', 'upc-e', 'code-128', 'itf-14'] as const;
