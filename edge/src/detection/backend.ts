import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { Logger } from '../log.ts';

export const DETECTOR_BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const;
export type DetectorBackend = (typeof DETECTOR_BACKENDS)[number];

const require = createRequire(import.meta.url);
let wasmPathsSet = false;

/** The wasm backend's .wasm files, loaded from node_modules on disk (never from a CDN). */
export function wasmBinaryDir(): string {
  return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';
}

async function tryTensorflow(): Promise<boolean> {
  // tfjs-node ships libtensorflow and is installed only on gateways that can have it; the specifier is a
  // variable so neither TypeScript nor a bundler insists on it.
  const specifier = '@tensorflow/tfjs-node';
  try {
    await import(specifier);
    return await tf.setBackend('tensorflow');
  } catch {
    return false;
  }
}

async function tryWasm(): Promise<boolean> {
  try {
    if (!wasmPathsSet) {
      setWasmPaths(wasmBinaryDir());
      wasmPathsSet = true;
    }
    return await tf.setBackend('wasm');
  } catch {
    return false;
  }
}

/**
 * Chooses the TF.js backend: the one asked for if it works, else tfjs-node's native TensorFlow when the
 * gateway has it installed, else wasm, else the plain JavaScript cpu backend. Logs the choice.
 */
export async function selectBackend(preferred?: DetectorBackend, logger?: Logger): Promise<DetectorBackend> {
  const order: DetectorBackend[] = preferred
    ? [preferred, ...DETECTOR_BACKENDS.filter((b) => b !== preferred)]
    : [...DETECTOR_BACKENDS];
  for (const backend of order) {
    const ok =
      backend === 'tensorflow'
        ? await tryTensorflow()
        : backend === 'wasm'
          ? await tryWasm()
          : await tf.setBackend('cpu');
    if (ok) {
      await tf.ready();
      if (preferred && backend !== preferred)
        logger?.warn('detector backend unavailable, falling back', { wanted: preferred, backend });
      else logger?.info('detector backend selected', { backend });
      return backend;
    }
  }
  throw new Error('no TF.js backend could be initialised');
}
