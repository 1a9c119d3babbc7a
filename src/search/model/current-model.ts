// Which learned model an instance searches with: the store's state row
// `model:current` names it, and its file lives in <data dir>/models/. Every
// process reads the pointer, so a model trained by one (`paperboy model
// train`, or serve's background worker) is picked up by all; the pointer is
// set only after the model's vectors are stored, so the switch is atomic.
import { existsSync } from 'node:fs';
import type { Store } from '../../store/store.js';
import { loadModelFile, modelPath, type LearnedModel } from './model-file.js';

export const CURRENT_MODEL_KEY = 'model:current';

export class ModelFileMissingError extends Error {}

export function readCurrentModelId(store: Store): Promise<string | null> {
  return store.getState(CURRENT_MODEL_KEY);
}

/** The current model, or null when none was trained yet; throws when its file is gone or damaged. */
export async function loadCurrentModel(store: Store, dataDir: string): Promise<LearnedModel | null> {
  const id = await readCurrentModelId(store);
  return id === null ? null : loadModelById(dataDir, id);
}

export function loadModelById(dataDir: string, id: string): LearnedModel {
  const path = modelPath(dataDir, id);
  if (!existsSync(path)) {
    throw new ModelFileMissingError(`the current model ${id} has no file at ${path}: run paperboy model train to make a new one`);
  }
  return loadModelFile(path);
}

/** Points every process at `id` (its file and vectors must be in place). */
export function makeCurrent(store: Store, id: string): Promise<void> {
  return store.setState(CURRENT_MODEL_KEY, id);
}
