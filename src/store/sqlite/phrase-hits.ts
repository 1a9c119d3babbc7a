// How many papers contain each phrase, remembered between queries, for
// paperboy_bm25() (native/paperboy_fts.c). Counting a phrase walks its whole
// posting list (~10-30 ms for a word in half of a million papers), which
// FTS5's bm25() does on every query; the counts change slowly, so they are
// kept until the collection has changed by more than `tolerance` of its size
// (writes seen by this process, or a new largest rowid written by another),
// or for at most `maxAgeMs` (an hour: changes by other processes that add no
// rows, such as new versions of papers, are only seen then). IDFs may
// therefore lag the collection by about 1%: scores shift slightly, matching
// is unaffected.
import type Database from 'better-sqlite3';
import { countSql, type MatchCounts } from './match-counts.js';

type Prepare = (sql: string) => Database.Statement;

interface Entry {
  hits: number;
  at: number;
}

export interface PhraseHitOptions {
  /** Fraction of the collection that may change before the counts are recounted. */
  tolerance?: number;
  maxAgeMs?: number;
  /** Entries kept at most; the cache starts over when full. */
  maxEntries?: number;
}

export class PhraseHitCounts {
  private readonly entries = new Map<string, Entry>();
  private writes = 0;
  /** Largest papers rowid when the entries were counted. */
  private baseRowid = -1;
  private readonly tolerance: number;
  private readonly maxAgeMs: number;
  private readonly maxEntries: number;

  constructor(opts: PhraseHitOptions = {}) {
    this.tolerance = opts.tolerance ?? 0.01;
    this.maxAgeMs = opts.maxAgeMs ?? 60 * 60_000;
    this.maxEntries = opts.maxEntries ?? 50_000;
  }

  /** Rows this process added to or changed in the keyword index. */
  noteWrites(rows: number): void {
    this.writes += rows;
  }

  get size(): number {
    return this.entries.size;
  }

  /** About how many papers there are (the largest rowid when the counts were taken): the N of a count's share. */
  get collectionSize(): number {
    return Math.max(this.baseRowid, 1);
  }

  /**
   * The number of rows of `table` matching each phrase (a MATCH expression).
   * A phrase counted anew is counted through `exact` when given, which then
   * also knows the number of matches of a query of that phrase alone.
   */
  counts(prepare: Prepare, table: 'papers_fts' | 'papers_prefix', phrases: string[], exact: MatchCounts | null = null): number[] {
    this.expireIfStale(prepare);
    const now = Date.now();
    return phrases.map((phrase) => {
      const key = `${table}\u0000${phrase}`;
      const e = this.entries.get(key);
      if (e && now - e.at <= this.maxAgeMs) return e.hits;
      const sql = countSql(table, [`${table} MATCH @match`], []);
      const hits = exact === null ? (prepare(sql).get({ match: phrase }) as { n: number }).n : exact.count(prepare, sql, { match: phrase }).n!;
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(key, { hits, at: now });
      return hits;
    });
  }

  private expireIfStale(prepare: Prepare): void {
    const rowid = (prepare('SELECT max(rowid) AS m FROM papers').get() as { m: number | null }).m ?? 0;
    const allowed = Math.floor(this.tolerance * Math.max(this.baseRowid, 0));
    if (this.entries.size > 0 && this.writes + Math.abs(rowid - this.baseRowid) <= allowed) return;
    this.entries.clear();
    this.writes = 0;
    this.baseRowid = rowid;
  }
}
