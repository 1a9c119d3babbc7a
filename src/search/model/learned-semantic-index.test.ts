// The learned model's search side on real papers: calibration is
// deterministic and sane, gibberish and foreign words find nothing by
// meaning, and a new current model is switched to in one step.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importFiles } from '../../ingest/import-files.js';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { calibrate } from './calibrate.js';
import { makeCurrent } from './current-model.js';
import { LearnedEmbedder } from './learned-embedder.js';
import { LearnedSemanticIndex } from './learned-semantic-index.js';
import { buildAndSwitchModel } from './model-lifecycle.js';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-learned-'));
let store: SqliteStore;
before(async () => {
  store = await SqliteStore.open(join(dir, 'paperboy.db'));
  await store.migrate();
  await importFiles(store, ['test/fixtures/hf-daily/papers-sample.jsonl.gz']);
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a model is trained, embedded, calibrated and made current; the index follows it in one step', async () => {
  const index = await LearnedSemanticIndex.open(store, dir, { kind: 'exact' });
  assert.equal(index.modelId, null);
  assert.deepEqual(await index.searchText('language models', 5), { ids: [], scores: [] }, 'no model yet: nothing by meaning');

  const a = await buildAndSwitchModel(store, { dataDir: dir, dimensions: 24, seed: 1 });
  assert.equal(await store.countEmbeddings(a.model.info.id), await store.countPapers());
  assert.ok(a.model.info.calibration, 'calibrated before the switch');
  assert.equal(await index.followCurrentModel(), true);
  assert.equal(index.modelId, a.model.info.id);
  assert.deepEqual(index.calibration, a.model.info.calibration);

  const [paper] = (await store.listPapers({ limit: 1 })).items;
  const found = await index.searchText(paper!.title, 5);
  assert.equal(found.ids[0], paper!.id, 'a paper is nearest to its own title');

  const b = await buildAndSwitchModel(store, { dataDir: dir, dimensions: 24, seed: 2 });
  assert.notEqual(b.model.info.id, a.model.info.id);
  assert.equal(index.modelId, a.model.info.id, 'the old model serves until the index follows');
  assert.equal(await index.followCurrentModel(), true);
  assert.equal(index.modelId, b.model.info.id);
  assert.equal(index.size(), await store.countPapers());
  assert.equal(await index.followCurrentModel(), false, 'nothing new: no switch');

  // Back to the first model: its file and vectors are still there.
  await makeCurrent(store, a.model.info.id);
  assert.equal(await index.followCurrentModel(), true);
  assert.equal(index.modelId, a.model.info.id);
  await index.close();
});

test('gibberish and words the papers never use find nothing by meaning', async () => {
  const index = await LearnedSemanticIndex.open(store, dir, { kind: 'exact' });
  assert.ok(index.modelId);
  assert.deepEqual(await index.searchText('asdkjhqwezzz', 10), { ids: [], scores: [] });
  assert.deepEqual(await index.searchText('qwertyuiop zxcvbnm blorptangle', 10), { ids: [], scores: [] });
  assert.ok((await index.searchText('language models reasoning', 10)).ids.length > 0);
  await index.close();
});

test('calibration is deterministic, and its threshold lies between random papers and a paper\'s own title', async () => {
  const built = await buildAndSwitchModel(store, { dataDir: dir, dimensions: 24, seed: 1 });
  const embedder = new LearnedEmbedder(built.model);
  const first = await calibrate(store, embedder);
  const again = await calibrate(store, embedder);
  assert.deepEqual(again, first);
  assert.ok(first.queries >= 20, `${first.queries} pseudo-queries`);
  assert.ok(first.semanticWeight >= 0 && first.semanticWeight <= 0.7);
  const random = first.randomPercentiles.find((r) => r.p === 0.9)!.similarity;
  assert.ok(first.minSimilarity > random, `threshold ${first.minSimilarity} above the 90th percentile of random papers (${random})`);
  assert.ok(first.ownPaperAboveThreshold > 0.5, `most titles are above it for their own paper (${first.ownPaperAboveThreshold})`);
});
