// Checks bench/meaning-queries.json, the hand-written evaluation set for search by meaning:
// shape, ids present in the demo data, dev/test halves, and that paraphrase queries avoid
// their paper's title words.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

interface Entry {
  id: string;
  query: string;
  split: 'dev' | 'test';
}
interface QuerySet {
  description: string;
  paraphrase: Entry[];
  keyword: Entry[];
}

const SET_FILE = new URL('./meaning-queries.json', import.meta.url);
const DEMO_FILE = new URL('../demo/hf-daily-papers.jsonl.gz', import.meta.url);

/** Title words a paraphrase query may share with its title: generic nouns and function words. At most 25. */
export const ALLOWED_TITLE_WORDS = [
  'model', 'models', 'language', 'learning', 'large',
  'with', 'from', 'towards', 'toward', 'through', 'what', 'when', 'your', 'more', 'beyond',
  'into', 'across', 'using', 'based', 'does', 'than', 'that', 'this', 'over', 'without',
];

/** Lowercased words, split on anything but ASCII letters and digits (so "Text-to-Image" is three words). */
export function words(text: string): string[] {
  return text.toLowerCase().split(/[^0-9a-z]+/).filter((w) => w.length > 0);
}

/** Whether query word q counts as title word t: equal, one is the other plus up to 3 letters, or a shared 6-letter prefix. */
export function sameWord(q: string, t: string): boolean {
  if (q === t) return true;
  const shorter = Math.min(q.length, t.length);
  let prefix = 0;
  while (prefix < shorter && q[prefix] === t[prefix]) prefix++;
  if (shorter >= 6 && prefix >= 6) return true;
  return prefix === shorter && shorter >= 4 && Math.abs(q.length - t.length) <= 3;
}

/** The title words (4+ characters, not allow-listed) that a query uses, as "query word~title word". */
export function titleWordsUsed(query: string, title: string): string[] {
  const titleWords = [...new Set(words(title))].filter((w) => w.length >= 4 && !ALLOWED_TITLE_WORDS.includes(w));
  const used: string[] = [];
  for (const q of words(query)) for (const t of titleWords) if (sameWord(q, t)) used.push(`${q}~${t}`);
  return used;
}

function loadDemoTitles(): Map<string, string> {
  const titles = new Map<string, string>();
  const lines = gunzipSync(readFileSync(DEMO_FILE)).toString('utf8').split('\n');
  for (const line of lines) {
    if (line.trim() === '') continue;
    const paper = JSON.parse(line) as { id: string; title: string };
    titles.set(paper.id, paper.title);
  }
  return titles;
}

const set = JSON.parse(readFileSync(SET_FILE, 'utf8')) as QuerySet;
const titles = loadDemoTitles();

describe('meaning-queries.json', () => {
  it('has 100 paraphrase and 30 keyword entries with non-empty queries', () => {
    assert.ok(set.description.length > 200, 'description says how the set was made');
    assert.equal(set.paraphrase.length, 100);
    assert.equal(set.keyword.length, 30);
    for (const e of [...set.paraphrase, ...set.keyword]) {
      assert.equal(typeof e.id, 'string');
      assert.ok(e.query.trim().length > 0, `${e.id}: empty query`);
    }
  });

  it('uses each demo paper at most once, over both lists', () => {
    const ids = [...set.paraphrase, ...set.keyword].map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length, 'duplicate ids');
    const missing = ids.filter((id) => !titles.has(id));
    assert.deepEqual(missing, [], 'ids not in the demo data');
  });

  it('splits each list into equal dev and test halves', () => {
    for (const [name, list] of [['paraphrase', set.paraphrase], ['keyword', set.keyword]] as const) {
      for (const e of list) assert.ok(e.split === 'dev' || e.split === 'test', `${name} ${e.id}: split "${e.split}"`);
      const dev = list.filter((e) => e.split === 'dev').length;
      assert.equal(dev, list.length / 2, `${name}: ${dev} dev of ${list.length}`);
    }
  });

  it('has paraphrase queries of 5 to 15 words', () => {
    const bad = set.paraphrase
      .map((e) => ({ id: e.id, n: e.query.trim().split(/\s+/).length }))
      .filter(({ n }) => n < 5 || n > 15);
    assert.deepEqual(bad, []);
  });

  it('has paraphrase queries without their title words of 4+ letters', () => {
    const bad = set.paraphrase
      .map((e) => ({ id: e.id, used: titleWordsUsed(e.query, titles.get(e.id) ?? '') }))
      .filter(({ used }) => used.length > 0);
    assert.deepEqual(bad, []);
  });

  it('keeps the allow-list short and lists it in the description', () => {
    assert.ok(ALLOWED_TITLE_WORDS.length <= 25);
    for (const w of ALLOWED_TITLE_WORDS) assert.match(set.description, new RegExp(`\\b${w}\\b`), w);
  });
});

describe('title word matching', () => {
  it('catches plurals, inflections and shared stems, but not short or unrelated words', () => {
    assert.deepEqual(titleWordsUsed('masks of reasoners', 'Any Mask via Reasoning'), ['masks~mask', 'reasoners~reasoning']);
    assert.deepEqual(titleWordsUsed('a test run', 'Scaling Test-time Training'), ['test~test']);
    assert.deepEqual(titleWordsUsed('testing', 'Test-time'), ['testing~test']);
    assert.deepEqual(titleWordsUsed('large models for 3D', 'Large 3D Models'), []);
    assert.deepEqual(titleWordsUsed('compute budget', 'Compressive Tokens'), []);
    assert.deepEqual(titleWordsUsed('Vision-Language', 'Language and VISION'), ['vision~vision']);
  });
});
