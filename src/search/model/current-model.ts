// Which learned model an instance searches with: the store's state row
// `model:current` names it, and its file is kept in the database (so every
// process sharing it can load it) and cached in <data dir>/models/. Every
// process reads the pointer, so a model trained by one (`paperboy model
// train`, or serve's background worker) is picked up by all; the pointer is
// set only after the model's file and vectors are stored, so the switch is
// atomic.
import { existsSync } from 'node:fs';
import type { Store } from '../../store/store.js';
import { decodeModel, encodeModel, loadModelFile, modelPath, saveModel, type LearnedModel } from './model-file.js';

export const CURRENT_MODEL_KEY = 'model:current';

export class ModelFileMissingError extends Error {}

export function readCurrentModelId(store: Store): Promise<string | null> {
  return store.getState(CURRENT_MODEL_KEY);
}

/** The current model, or null when none was trained yet; throws when its file is gone or damaged. */
export async function loadCurrentModel(store: Store, dataDir: string): Promise<LearnedModel | null> {
  const id = await readCurrentModelId(store);
  return id === null ? null : loadModelById(store, dataDir, id);
}

/** The model `id` from the data dir's cache, else from the database (then cached). */
export async function loadModelById(store: Store, dataDir: string, id: string): Promise<LearnedModel> {
  const path = modelPath(dataDir, id);
  if (existsSync(path)) return loadModelFile(path);
  const bytes = await store.getModelFile(id);
  if (bytes === null) {
    throw new ModelFileMissingError(`the current model ${id} is neither in the database nor at ${path}: run paperboy model train to make a new one`);
  }
  const model = decodeModel(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), `model ${id} in the database`);
  saveModel(dataDir, model);
  return model;
}

/** Saves the model in the data dir and in the database, where every process sharing it finds it. */
export async function storeModel(store: Store, dataDir: string, model: LearnedModel): Promise<void> {
  saveModel(dataDir, model);
  await store.putModelFile(model.info.id, encodeModel(model));
}

/** Points every process at `id` (its file and vectors must be in place). */
export function makeCurrent(store: Store, id: string): Promise<void> {
  return store.setState(CURRENT_MODEL_KEY, id);
}
