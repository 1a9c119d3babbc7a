// Papers for the import-while-serving benchmark: new papers recombined from
// the demo's real text (one paper's title, sentences of other abstracts,
// another's authors), with fresh ids and daily-list dates after the demo's
// last day, written as Hugging Face daily JSON lines. One seed, same file.
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { rng } from './search-speed-corpus.js';

interface DemoEntry {
  archiveDate: string;
  id: string;
  title: string;
  summary: string;
  authors: { name: string; hidden: boolean }[];
  publishedAt: string;
  upvotes?: number;
}

const pick = <T>(xs: readonly T[], r: () => number): T => xs[Math.floor(r() * xs.length)]!;

/** Writes `count` papers to `path` (JSON lines) and returns how many list dates they span. */
export function writeImportCorpus(demoPath: string, path: string, count: number, seed = 7): { dates: number } {
  const demo = gunzipSync(readFileSync(demoPath))
    .toString('utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as DemoEntry);
  const sentences = demo.flatMap((d) => d.summary.replace(/\s+/g, ' ').split(/(?<=\.)\s+/)).filter((s) => s.length > 40);
  const r = rng(seed);
  const start = Date.parse('2026-09-01T00:00:00Z');
  const perDay = 150;
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const date = new Date(start + Math.floor(i / perDay) * 86_400_000).toISOString().slice(0, 10);
    const title = pick(demo, r).title;
    const abstract = Array.from({ length: 4 + Math.floor(r() * 5) }, () => pick(sentences, r)).join(' ');
    lines.push(
      JSON.stringify({
        archiveDate: date,
        // 2609.00000-2609.99999, then 2610...: ids arXiv has not given out in the demo's range.
        id: `${2609 + Math.floor(i / 100_000)}.${String(i % 100_000).padStart(5, '0')}`,
        title,
        summary: abstract,
        authors: pick(demo, r).authors,
        publishedAt: `${date}T00:00:00.000Z`,
        submittedOnDailyAt: `${date}T09:00:00.000Z`,
        upvotes: Math.floor(r() * 30),
        numComments: 0,
      }),
    );
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
  return { dates: Math.ceil(count / perDay) };
}
