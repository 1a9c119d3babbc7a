// Scratch: recalibrate a bench:search corpus's model with the current calibrate() and save it in place.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { loadModelFile, saveModel } from '../src/search/model/model-file.js';
import { LearnedEmbedder } from '../src/search/model/learned-embedder.js';
import { calibrate } from '../src/search/model/calibrate.js';
const [work, size] = process.argv.slice(2) as string[];
const store = await SqliteStore.open(join(work!, `corpus-${size}.sqlite`));
const id = await store.getState('bench-search:model');
const model = loadModelFile(join(work!, 'models', readdirSync(join(work!, 'models')).find((f) => f.includes(id!))!));
console.log('before', model.info.calibration);
const t0 = performance.now();
const report = await calibrate(store, new LearnedEmbedder(model));
console.log('calibrated in', ((performance.now() - t0) / 1000).toFixed(1), 's');
model.info.calibration = { semanticWeight: report.semanticWeight, minSimilarity: report.minSimilarity, notes: report.notes };
console.log('after', model.info.calibration, report.randomPercentiles);
saveModel(work!, model);
await store.close();
