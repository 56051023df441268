import * as tf from '@tensorflow/tfjs-core';
import { loadLayersModel, type LayersModel } from '@tensorflow/tfjs-layers';
import { registerLinearVariational } from './linear-variational.js';

/** Serialise a model (topology JSON + weights) to in-memory artifacts; no file system. */
export async function saveModelToMemory(model: LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (saved === undefined) throw new Error('model.save produced no artifacts');
  return saved;
}

/** Rebuild a model saved by `saveModelToMemory` (LinearVariational layers included). */
export async function loadModelFromMemory(artifacts: tf.io.ModelArtifacts): Promise<LayersModel> {
  registerLinearVariational();
  return loadLayersModel(tf.io.fromMemory(artifacts));
}
