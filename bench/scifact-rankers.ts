// The three rankers measured by bench/search-quality.ts: keyword (SQLite FTS5
// bm25), semantic (exact scan over int8 vectors) and hybrid (fusion of both).
import Database from 'better-sqlite3';
import { reciprocalRankFusion, scoreFusion, type Ranking, type ScoreNormalisation } from '../src/search/rank-fusion.js';
import { quantiseMatrix, topKInt8, type Int8Matrix } from '../src/search/vector-math.js';
import type { BeirDoc } from './scifact-data.js';

/** Lucene's English stop set (what BEIR's BM25 baseline removes). */
export const LUCENE_STOPWORDS = new Set(
  'a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with'.split(' '),
);

/** A broader English list (NLTK's), for comparison. */
export const NLTK_STOPWORDS = new Set(
  (
    'i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself it its itself ' +
    'they them their theirs themselves what which who whom this that these those am is are was were be been being have has had having ' +
    'do does did doing a an the and but if or because as until while of at by for with about against between into through during ' +
    'before after above below to from up down in out on off over under again further then once here there when where why how all any ' +
    'both each few more most other some such no nor not only own same so than too very s t can will just don should now'
  ).split(' '),
);

export interface KeywordOptions {
  titleWeight: number;
  textWeight: number;
  /** 'and': every term must occur (FTS5's implicit AND); 'or': any term may. */
  operator: 'and' | 'or';
  stopwords: ReadonlySet<string>;
  /** Also match each adjacent pair of kept terms as a phrase (boosts documents that contain it). */
  bigrams?: boolean;
}

export const DEFAULT_KEYWORD: KeywordOptions = { titleWeight: 1, textWeight: 1, operator: 'or', stopwords: LUCENE_STOPWORDS };

function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Splits like FTS5's unicode61 tokenizer (letters and digits), lowercased, stopwords and repeats dropped. */
export function queryTerms(text: string, stopwords: ReadonlySet<string>): string[] {
  return [...new Set(words(text).filter((w) => !stopwords.has(w)))];
}

/** Adjacent word pairs of the text in which neither word is a stopword. */
export function queryBigrams(text: string, stopwords: ReadonlySet<string>): string[] {
  const w = words(text);
  const pairs = new Set<string>();
  for (let i = 1; i < w.length; i++) if (!stopwords.has(w[i - 1]!) && !stopwords.has(w[i]!)) pairs.add(`${w[i - 1]} ${w[i]}`);
  return [...pairs];
}

/** A MATCH expression for natural-language text, or null when no term is left. */
export function naturalLanguageMatch(text: string, opts: Pick<KeywordOptions, 'operator' | 'stopwords' | 'bigrams'>): string | null {
  const terms = queryTerms(text, opts.stopwords);
  if (terms.length === 0) return null;
  const parts = terms.map((t) => `"${t}"`);
  if (opts.bigrams === true && opts.operator === 'or') for (const pair of queryBigrams(text, opts.stopwords)) parts.push(`"${pair}"`);
  return parts.join(opts.operator === 'or' ? ' OR ' : ' ');
}

export class KeywordIndex {
  private readonly db: Database.Database;
  private readonly stmt: Database.Statement<[{ tw: number; xw: number; match: string; limit: number }], { rowid: number; score: number }>;

  constructor(
    private readonly docs: BeirDoc[],
    tokenizer = 'porter unicode61',
  ) {
    if (!/^[\w ]+$/.test(tokenizer)) throw new Error(`unsupported tokenizer spec: ${tokenizer}`);
    this.db = new Database(':memory:');
    this.db.exec(`CREATE VIRTUAL TABLE docs USING fts5(title, text, tokenize = '${tokenizer}')`);
    const insert = this.db.prepare('INSERT INTO docs (rowid, title, text) VALUES (?, ?, ?)');
    this.db.transaction(() => docs.forEach((d, i) => insert.run(i, d.title, d.text)))();
    // bm25() is lower-is-better; the ranker contract is higher-is-better.
    this.stmt = this.db.prepare(
      'SELECT rowid, -bm25(docs, @tw, @xw) AS score FROM docs WHERE docs MATCH @match ORDER BY bm25(docs, @tw, @xw) LIMIT @limit',
    );
  }

  search(query: string, limit: number, opts: KeywordOptions = DEFAULT_KEYWORD): Ranking {
    const match = naturalLanguageMatch(query, opts);
    if (match === null) return { ids: [], scores: [] };
    const rows = this.stmt.all({ tw: opts.titleWeight, xw: opts.textWeight, match, limit });
    return { ids: rows.map((r) => this.docs[r.rowid]!.id), scores: rows.map((r) => r.score) };
  }

  close(): void {
    this.db.close();
  }
}

export class SemanticIndex {
  readonly matrix: Int8Matrix;
  constructor(
    private readonly ids: string[],
    vectors: Float32Array,
    dimensions: number,
  ) {
    this.matrix = quantiseMatrix(vectors, dimensions);
    if (this.matrix.rows !== ids.length) throw new RangeError(`${this.matrix.rows} vectors for ${ids.length} ids`);
  }

  search(queryVector: Float32Array, limit: number): Ranking {
    const top = topKInt8(this.matrix, queryVector, limit);
    return { ids: top.indices.map((i) => this.ids[i]!), scores: top.scores };
  }
}

export interface HybridSettings {
  fusion: 'rrf' | 'convex';
  /** RRF damping constant (rrf only). */
  rrfK: number;
  /** How scores are made comparable (convex only). */
  normalisation: ScoreNormalisation;
  keywordWeight: number;
  semanticWeight: number;
  /** How many results each ranker hands to the fusion. */
  depth: number;
}

export function fuse(keyword: Ranking, semantic: Ranking, s: HybridSettings, limit: number): Ranking {
  const inputs = [
    { ranking: keyword, weight: s.keywordWeight },
    { ranking: semantic, weight: s.semanticWeight },
  ];
  return s.fusion === 'rrf' ? reciprocalRankFusion(inputs, { k: s.rrfK, limit }) : scoreFusion(inputs, { normalisation: s.normalisation, limit });
}

