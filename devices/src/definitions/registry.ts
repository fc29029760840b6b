import type { DeviceKind } from '@pourcast/protocol';
import {
  isScaleDefinition,
  isScannerDefinition,
  type DeviceDefinition,
  type ScaleDefinition,
  type ScannerDefinition,
} from './definition.ts';
import * as models from './models.ts';

const byModel = new Map<string, DeviceDefinition>(Object.values(models).map((d) => [d.model, d]));

/** Every known model, in declaration order. */
export const deviceDefinitions: readonly DeviceDefinition[] = [...byModel.values()];

export function findDeviceDefinition(model: string): DeviceDefinition | undefined {
  return byModel.get(model);
}

/** The definition of `model`; an unknown model is an error naming the known ones. */
export function getDeviceDefinition(model: string): DeviceDefinition {
  const definition = byModel.get(model);
  if (!definition)
    throw new Error(
      `unknown device model ${JSON.stringify(model)}; known: ${[...byModel.keys()].join(', ')}`,
    );
  return definition;
}

export function deviceModelsOfKind(kind: DeviceKind): string[] {
  return deviceDefinitions.filter((d) => d.kind === kind).map((d) => d.model);
}

export function getScaleDefinition(model: string): ScaleDefinition {
  const definition = getDeviceDefinition(model);
  if (!isScaleDefinition(definition)) throw new Error(`${model} is a ${definition.kind}, not a scale`);
  return definition;
}

export function getScannerDefinition(model: string): ScannerDefinition {
  const definition = getDeviceDefinition(model);
  if (!isScannerDefinition(definition)) throw new Error(`${model} is a ${definition.kind}, not a scanner`);
  return definition;
}
