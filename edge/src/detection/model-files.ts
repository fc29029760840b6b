import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

/**
 * TF.js model directories on the local disk (model.json + weight shards), without tfjs-node's `file://`
 * handler and without any network: a gateway loads its detector from its own files.
 */
export function fileSystemModelHandler(dir: string): tf.io.IOHandler {
  return {
    async load() {
      const modelJson = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const specs: tf.io.WeightsManifestEntry[] = [];
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest) {
          specs.push(...group.weights);
          for (const path of group.paths) {
            const bytes = await readFile(join(dir, path));
            buffers.push(
              bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
            );
          }
        }
        return [specs, tf.io.CompositeArrayBuffer.join(buffers)];
      });
    },
    async save(artifacts) {
      await mkdir(dir, { recursive: true });
      const weightsPath = 'weights.bin';
      const weightData = artifacts.weightData
        ? tf.io.CompositeArrayBuffer.join(artifacts.weightData)
        : new ArrayBuffer(0);
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as tf.io.ModelJSON['modelTopology'],
        weightsManifest: [{ paths: [weightsPath], weights: artifacts.weightSpecs ?? [] }],
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
        ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      };
      await writeFile(join(dir, 'model.json'), JSON.stringify(modelJson));
      await writeFile(join(dir, weightsPath), Buffer.from(weightData));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
}

/** Is the model.json in this directory a graph model (converted SavedModel) rather than a layers model? */
export async function isGraphModelDir(dir: string): Promise<boolean> {
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as {
    format?: string;
    modelTopology?: { node?: unknown };
  };
  return json.format === 'graph-model' || Array.isArray(json.modelTopology?.node);
}
