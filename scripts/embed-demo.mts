// Computes USE-lite vectors for every demo paper, checkpointing after each batch
// (rerun to resume). Output: data/cache/demo-vectors.f32.jsonl, one {id, textHash, v} per line,
// v = base64 float32. Packaged into demo/ by a later step.
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { importFiles } from '../src/ingest/import-files.ts';
import { UseLiteEmbedder } from '../src/search/use-lite-embedder.ts';
import { paperText } from '../src/search/embedder.ts';

const OUT = 'data/cache/demo-vectors.f32.jsonl';
mkdirSync('data/cache', { recursive: true });
const store = await SqliteStore.open('data/cache/demo-embed.db');
await store.migrate();
if ((await store.countPapers()) === 0) await importFiles(store, ['demo/hf-daily-papers.jsonl.gz']);
const done = new Set<string>();
if (existsSync(OUT)) for (const line of readFileSync(OUT, 'utf8').split('\n')) if (line) done.add((JSON.parse(line) as { id: string }).id);
const todo: { id: string; text: string }[] = [];
let cursor: string | null = null;
do {
  const page = await store.listPapers({ cursor, limit: 1000 });
  for (const p of page.items) if (!done.has(p.id)) todo.push({ id: p.id, text: paperText(p.title, p.abstract) });
  cursor = page.nextCursor;
} while (cursor);
console.log(`${done.size} done, ${todo.length} to embed`);
const embedder = new UseLiteEmbedder({ batchSize: 64 });
const t0 = Date.now();
for (let i = 0; i < todo.length; i += 64) {
  const batch = todo.slice(i, i + 64);
  const vecs = await embedder.embed(batch.map((b) => b.text));
  appendFileSync(OUT, batch.map((b, j) => JSON.stringify({ id: b.id, textHash: createHash('sha1').update(b.text).digest('hex').slice(0, 16), v: Buffer.from(vecs[j]!.buffer).toString('base64') })).join('\n') + '\n');
  const n = i + batch.length;
  console.log(`${n}/${todo.length} ${(n / ((Date.now() - t0) / 1000)).toFixed(1)}/s`);
}
