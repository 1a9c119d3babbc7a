// The learned model's search side on real papers: calibration is
// deterministic and sane, gibberish and foreign words find nothing by
// meaning, and a new current model is switched to in one step.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importFiles } from '../../ingest/import-files.js';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { calibrate } from './calibrate.js';
import { makeCurrent } from './current-model.js';
import { LearnedEmbedder } from './learned-embedder.js';
import { LearnedSemanticIndex } from './learned-semantic-index.js';
import { buildAndSwitchModel } from './model-lifecycle.js';
import { learnedBackgroundWork } from './learned-background.js';
import { modelPath } from './model-file.js';
import { MIN_TRAINING_PAPERS } from './model-lifecycle.js';
import { buildDailyItem } from '../../../test/support/build.js';

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

  const heldOut = new Set(a.model.info.trainedOn.heldOut);
  const trained = (await store.listPapers({ limit: 100 })).items.filter((p) => !heldOut.has(p.id));
  let ownFirst = 0;
  for (const p of trained) if ((await index.searchText(p.title, 1)).ids[0] === p.id) ownFirst++;
  // A 24-d model of 66 papers: most, not all (a random ranking: 1 in 88).
  assert.ok(ownFirst > 0.5 * trained.length, `${ownFirst} of ${trained.length} papers trained on are nearest to their own title`);

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

test('a model slow to load keeps loading after open() returns; search is by keywords until it serves', async () => {
  const built = await buildAndSwitchModel(store, { dataDir: dir, dimensions: 24, seed: 5 });
  const index = await LearnedSemanticIndex.open(store, dir, { kind: 'exact', waitMs: 0 });
  assert.equal(index.loading, true);
  assert.equal(index.modelId, null, 'nothing serves yet');
  assert.deepEqual(await index.searchText('language models reasoning', 10), { ids: [], scores: [] });
  assert.equal(await index.followCurrentModel(), true, 'joins the load in flight');
  assert.equal(index.loading, false);
  assert.equal(index.modelId, built.model.info.id);
  assert.ok((await index.searchText('language models reasoning', 10)).ids.length > 0);
  await index.close();

  // Within the wait, open() returns with the model serving.
  const waited = await LearnedSemanticIndex.open(store, dir, { kind: 'exact' });
  assert.equal(waited.loading, false);
  assert.equal(waited.modelId, built.model.info.id);
  await waited.close();
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
  const heldOut = built.model.info.trainedOn.heldOut ?? [];
  assert.ok(heldOut.length >= 20, `${heldOut.length} papers held out of training`);
  assert.equal(first.queries, heldOut.length, 'the pseudo-queries are the papers held out of training');
  assert.match(first.notes, /held out of training/);
  assert.ok(first.semanticWeight >= 0 && first.semanticWeight <= 0.7);
  const random = first.randomPercentiles.find((r) => r.p === 0.9)!.similarity;
  assert.ok(first.minSimilarity > random, `threshold ${first.minSimilarity} above the 90th percentile of random papers (${random})`);
  // Random papers pass it 0.5% of the time; a held-out title (text the 24-d model never saw) far more often.
  assert.ok(first.ownPaperAboveThreshold > 0.2, `titles above it for their own paper: ${first.ownPaperAboveThreshold}`);
});

test('a process with another data dir loads the current model from the database, and caches its file', async () => {
  const built = await buildAndSwitchModel(store, { dataDir: dir, dimensions: 24, seed: 3 });
  const elsewhere = mkdtempSync(join(tmpdir(), 'paperboy-learned-other-'));
  try {
    const index = await LearnedSemanticIndex.open(store, elsewhere, { kind: 'exact' });
    assert.equal(index.modelId, built.model.info.id);
    assert.ok(existsSync(modelPath(elsewhere, built.model.info.id)), 'cached in its own data dir');
    assert.ok((await index.searchText('language models', 5)).ids.length > 0);
    await index.close();
  } finally {
    rmSync(elsewhere, { recursive: true, force: true });
  }
});

test('a current model lost from the database and the disk is replaced by a newly trained one', async () => {
  const built = await buildAndSwitchModel(store, { dataDir: dir, dimensions: 24, seed: 4 });
  const lostDir = mkdtempSync(join(tmpdir(), 'paperboy-learned-lost-'));
  try {
    store.db.prepare('DELETE FROM model_files WHERE id = ?').run(built.model.info.id);
    // Enough papers for a model (the fixture alone has too few): copies of the fixture's texts.
    const texts = (await store.listPapers({ limit: 100 })).items;
    await store.upsertItems(Array.from({ length: MIN_TRAINING_PAPERS }, (_, i) => buildDailyItem('2024-06-03', { title: texts[i % texts.length]!.title, abstract: texts[(i * 7) % texts.length]!.abstract })));
    const steps: string[] = [];
    const job = learnedBackgroundWork(store, { dataDir: lostDir, retrainShare: 0.25, onStep: (l) => steps.push(l) });
    job.request();
    await job.idle();
    await job.stop();
    assert.ok(steps.some((l) => /neither in the database nor at .*training a new one/.test(l)), steps.join('\n'));
    const now = await store.getState('model:current');
    assert.notEqual(now, built.model.info.id, 'a new model is current');
    assert.ok(await store.getModelFile(now!), 'and stored in the database');
  } finally {
    rmSync(lostDir, { recursive: true, force: true });
  }
});
