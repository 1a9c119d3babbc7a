// Trains the search model the demo ships (demo/hf-daily-papers.learned.pbmodel)
// and its paper vectors (demo/hf-daily-papers.<model id>.vectors.jsonl.gz), so a
// first start needs neither. Run after changing the demo data or the model code:
//   node --import tsx scripts/build-demo-model.mts
import { mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoModelPath } from '../src/cli/learned-search-setup.ts';
import { importFiles } from '../src/ingest/import-files.ts';
import { demoVectorsPath, exportVectors } from '../src/search/demo-vectors.ts';
import { buildAndSwitchModel } from '../src/search/model/model-lifecycle.ts';
import { encodeModel } from '../src/search/model/model-file.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';

const DEMO = 'demo/hf-daily-papers.jsonl.gz';
const dir = mkdtempSync(join(tmpdir(), 'paperboy-demo-model-'));
try {
  const store = await SqliteStore.open(join(dir, 'paperboy.db'));
  await store.migrate();
  await importFiles(store, [DEMO]);
  const built = await buildAndSwitchModel(store, { dataDir: dir, onStep: (line) => console.log(line) });
  const { model } = built;
  for (const old of readdirSync('demo')) if (/\.learned-\d+-[0-9a-f]+\.vectors\.jsonl\.gz$/.test(old)) unlinkSync(join('demo', old));
  writeFileSync(demoModelPath(DEMO), encodeModel(model));
  const n = await exportVectors(store, demoVectorsPath(DEMO, model.info.id), model.info.id, model.info.dimensions);
  console.log(`wrote ${demoModelPath(DEMO)} (${model.info.id}) and ${n} vectors`);
  await store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
