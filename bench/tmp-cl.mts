import { createReadStream, readFileSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { createInterface } from 'node:readline';
import { loadModelFile } from '../src/search/model/model-file.js';
import { TokenIndex, quantiseRows } from '../src/search/model/token-table.js';
import { paperText } from '../src/search/embedder.js';
import { refineContrastive, trainingPairs } from '../src/search/model/contrastive.js';
import { mulberry32 } from '../src/random.js';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.split('=')));
const model = loadModelFile('demo/hf-daily-papers.learned.pbmodel');
const papers: { id: string; title: string; abstract: string }[] = [];
const seen = new Set<string>();
for await (const line of createInterface({ input: createReadStream('demo/hf-daily-papers.jsonl.gz').pipe(createGunzip()) })) {
  const r = JSON.parse(line); if (seen.has(r.id)) continue; seen.add(r.id);
  papers.push({ id: r.id, title: r.title.replace(/\s+/g, ' '), abstract: r.summary.replace(/\s+/g, ' ') });
}
const mq = JSON.parse(readFileSync('bench/meaning-queries.json', 'utf8'));
const held = new Set(model.info.trainedOn.heldOut ?? []);
const { stems, dimensions: d, rows: q8, scales } = model.table;
const rows = new Float32Array(q8.length);
for (let r = 0; r < stems.length; r++) for (let j = 0; j < d; j++) rows[r * d + j] = q8[r * d + j]! * scales[r]!;

function evaluate(label: string, table: Float32Array) {
  const idx = new TokenIndex({ stems, dimensions: d, ...quantiseRows(table, d) });
  const vecs = papers.map((p) => idx.embed(paperText(p.title, p.abstract)));
  const pos = new Map(papers.map((p, i) => [p.id, i]));
  const out: string[] = [];
  for (const split of ['dev', 'test']) {
    let hit = 0, n = 0, mrr = 0;
    for (const { id, query, split: s } of mq.paraphrase) {
      if (s !== split) continue;
      const qv = idx.embed(query);
      const t = pos.get(id)!;
      const tv = vecs[t]!; let ts = 0; for (let j = 0; j < d; j++) ts += qv[j]! * tv[j]!;
      let rank = 0;
      for (const v of vecs) { let s2 = 0; for (let j = 0; j < d; j++) s2 += qv[j]! * v[j]!; if (s2 > ts) rank++; }
      n++; if (rank < 10) { hit++; mrr += 1 / (rank + 1); }
    }
    out.push(`${split} R@10 ${(hit / n).toFixed(2)} MRR ${(mrr / n).toFixed(3)}`);
  }
  console.log(label, out.join(' | '));
}
evaluate('lsa', rows);
const train = papers.filter((p) => !held.has(p.id));
const random = mulberry32(Number(args.seed ?? 1));
let pairs = trainingPairs(train, random);
console.log(`${pairs.length} pairs`);
const t0 = performance.now();
const epochs = Number(args.epochs ?? 3);
for (let e = 0; e < epochs; e++) {
  if (args.fresh && e > 0) pairs = trainingPairs(train, random);
  refineContrastive(stems, rows, d, pairs, { epochs: 1, batch: Number(args.batch ?? 128), temperature: Number(args.tau ?? 0.05), learningRate: Number(args.lr ?? 0.05), random, onStep: console.log });
  console.log(`${((performance.now() - t0) / 1000).toFixed(1)} s`);
  evaluate(`epoch ${e + 1}`, rows);
}
