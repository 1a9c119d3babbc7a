// Measures where USE-lite's cosine similarities separate papers a query is
// about from the rest, on the DEV half of bench/meaning-queries.json only, with
// the demo's shipped USE-lite vectors (loaded as src/cli/search-setup.ts does).
// Used to choose DEFAULT_MIN_SIMILARITY in src/search/search-service.ts.
//
//   node --import tsx scripts/measure-semantic-threshold.mts
//
// For each dev query it records the similarity (and rank) of the paper the
// query was written for, and how many papers reach each threshold; for queries
// that match nothing in the collection (gibberish, and topics the demo has no
// paper about) how many papers each threshold lets in.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importFiles } from '../src/ingest/import-files.ts';
import { loadDemoVectors } from '../src/search/demo-vectors.ts';
import { openSemanticIndex } from '../src/search/semantic-index.ts';
import { UseLiteEmbedder } from '../src/search/use-lite-embedder.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';

interface Query {
  id: string;
  query: string;
  split: 'dev' | 'test';
}
const set = JSON.parse(readFileSync('bench/meaning-queries.json', 'utf8')) as { paraphrase: Query[]; keyword: Query[] };
const dev = { paraphrase: set.paraphrase.filter((q) => q.split === 'dev'), keyword: set.keyword.filter((q) => q.split === 'dev') };
// Queries with no matching paper in the demo: typing accidents, and subjects far from its ML papers.
const nothing = [
  'asdkjhqwezzz', 'qwertyuiop', 'zzzz xxxx', 'lorem ipsum dolor sit amet', 'asdf', 'hjkl hjkl', 'xkcdxkcd', 'blorptangle frimble',
  'sourdough bread baking recipe', 'medieval castle architecture in france', 'knitting patterns for winter scarves', 'best hiking trails near denver',
  'tax deductions for small business owners', 'how to repair a leaking kitchen faucet', 'history of the roman empire', 'football world cup results',
  'symptoms of vitamin d deficiency', 'wedding dress shopping tips', 'gardening tomatoes in pots', 'cheap flights to tokyo',
];

const dir = mkdtempSync(join(tmpdir(), 'paperboy-threshold-'));
const store = await SqliteStore.open(join(dir, 'demo.db'));
await store.migrate();
await importFiles(store, ['demo/hf-daily-papers.jsonl.gz']);
const embedder = new UseLiteEmbedder();
const vectors = await loadDemoVectors(store, 'demo/hf-daily-papers.use-lite-512-v1.vectors.jsonl.gz', embedder.id);
const index = await openSemanticIndex(store, embedder, { kind: 'exact' });
console.log(`papers ${await store.countPapers()}, vectors ${vectors.stored} (${index.size()} indexed)`);

const K = 1000;
async function scores(q: string) {
  return index.searchText(q, K);
}
const THRESHOLDS = Array.from({ length: 21 }, (_, i) => 0.2 + i * 0.025);
const fmt = (x: number) => x.toFixed(3);

for (const [name, queries] of Object.entries(dev)) {
  const rows: { sim: number; rank: number; top: number; found: RankedScores }[] = [];
  for (const q of queries) {
    const found = await scores(q.query);
    const at = found.ids.indexOf(q.id);
    rows.push({ sim: at >= 0 ? found.scores[at]! : -1, rank: at >= 0 ? at + 1 : Infinity, top: found.scores[0] ?? 0, found: found.scores });
  }
  const sims = rows.map((r) => r.sim).sort((a, b) => a - b);
  console.log(`\n${name} (dev, ${queries.length} queries): target similarity min ${fmt(sims[0]!)} p10 ${fmt(sims[Math.floor(sims.length * 0.1)]!)} median ${fmt(sims[Math.floor(sims.length / 2)]!)}`);
  console.log(`  target rank <=10: ${rows.filter((r) => r.rank <= 10).length}, <=100: ${rows.filter((r) => r.rank <= 100).length}, <=1000: ${rows.filter((r) => r.rank <= 1000).length}`);
  console.log('  threshold  targets>=t  targets>=t among rank<=10  median papers>=t  p90 papers>=t  queries with none>=t');
  for (const t of THRESHOLDS) {
    const kept = rows.filter((r) => r.sim >= t).length;
    const top10 = rows.filter((r) => r.rank <= 10);
    const counts = rows.map((r) => r.found.filter((s) => s >= t).length).sort((a, b) => a - b);
    console.log(`  ${fmt(t)}      ${String(kept).padStart(3)}/${rows.length}      ${String(top10.filter((r) => r.sim >= t).length).padStart(3)}/${top10.length}                 ${String(counts[Math.floor(counts.length / 2)]).padStart(5)}          ${String(counts[Math.floor(counts.length * 0.9)]).padStart(5)}          ${counts.filter((c) => c === 0).length}`);
  }
}
type RankedScores = number[];

// What joins look like around the chosen threshold: the first dev paraphrase queries' papers near it.
for (const q of dev.paraphrase.slice(0, 6)) {
  const found = await scores(q.query);
  const near = found.ids.map((id, i) => [id, found.scores[i]!] as const).filter(([, s]) => s >= 0.575 && s < 0.65);
  const papers = new Map((await store.getPapers(near.map(([id]) => id))).map((p) => [p.id, p.title]));
  console.log(`\n${q.query} (target ${q.id} at ${fmt(found.scores[found.ids.indexOf(q.id)] ?? -1)}, top ${fmt(found.scores[0] ?? 0)})`);
  for (const [id, s] of near.filter((_, i) => i % Math.max(1, Math.floor(near.length / 8)) === 0).slice(0, 8)) console.log(`  ${fmt(s)} ${papers.get(id)?.replace(/\s+/g, ' ')}`);
}

const neg: number[][] = [];
for (const q of nothing) neg.push((await scores(q)).scores);
console.log(`\nqueries matching nothing (${nothing.length}): top similarity per query`);
nothing.forEach((q, i) => console.log(`  ${fmt(neg[i]![0] ?? 0)}  ${q}`));
console.log('  threshold  queries with any paper>=t  papers>=t (sum)');
for (const t of THRESHOLDS) {
  console.log(`  ${fmt(t)}      ${String(neg.filter((s) => (s[0] ?? 0) >= t).length).padStart(3)}/${nothing.length}      ${neg.reduce((n, s) => n + s.filter((x) => x >= t).length, 0)}`);
}
await index.close();
await store.close();
rmSync(dir, { recursive: true, force: true });
