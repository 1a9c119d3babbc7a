// The keyword index of one process on PostgreSQL (the search design of issue
// 10): an SQLite file in the process's data directory holding a copy of the
// searchable papers, searched by the SQLite store's own keyword search
// (FTS5, same ranking, same order), and kept up to date from the paper change
// log. It is derived data: deleting the file only costs a rebuild.
//
// Writes go through a second connection on purpose: to the SQLite store they
// are another process's commits, which it already handles (its queued rows are
// indexed before the next search, cached document lengths are dropped on a new
// data_version, phrase counts follow the collection's growth).
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Paper } from '../../model.js';
import type { PaperChangeFeed } from '../change-feed.js';
import { flushKeywordIndex } from '../sqlite/sqlite-keyword.js';
import { SqliteStore } from '../sqlite/sqlite-store.js';
import type { SqliteStoreOptions } from '../sqlite/sqlite-store.js';
import type { KeywordQuery, RankedIds, SearchIndexCompaction, Store } from '../store.js';

/** Where a local index reads from: the change log, and the papers it names. */
export type SearchIndexSource = PaperChangeFeed & Pick<Store, 'getPapers'>;

export const SEARCH_INDEX_FILE = 'search-index.db';
const SEQ_KEY = 'search-index:paper-change-seq';
const LOG_KEY = 'search-index:paper-change-log';
/** Changes read per round trip, and papers written per SQLite transaction. */
const BATCH = 500;

const COLUMNS = `id, version, metadata_origin, title, abstract, authors, categories, published_at, updated_at, comment,
  journal_ref, doi, github_repo, github_stars, project_page, keywords, ai_summary, organization,
  external_upvotes, local_upvotes, upvotes, external_comments, local_comments, num_comments, trending, created_at, modified_at`;
const VALUES = `@id, @version, 'arxiv', @title, @abstract, @authors, @categories, @published_at, @updated_at, @comment,
  @journal_ref, @doi, @github_repo, @github_stars, @project_page, @keywords, @ai_summary, @organization,
  @upvotes, 0, @upvotes, @num_comments, 0, @num_comments, 0, @created_at, @modified_at`;
// Columns that only the source's own lists read (origin, vote split, trending) are not copied.
const UPSERT = `INSERT INTO papers (${COLUMNS}) VALUES (${VALUES})
  ON CONFLICT (id) DO UPDATE SET version = excluded.version, title = excluded.title, abstract = excluded.abstract,
    authors = excluded.authors, categories = excluded.categories, published_at = excluded.published_at,
    updated_at = excluded.updated_at, comment = excluded.comment, journal_ref = excluded.journal_ref, doi = excluded.doi,
    github_repo = excluded.github_repo, github_stars = excluded.github_stars, project_page = excluded.project_page,
    keywords = excluded.keywords, ai_summary = excluded.ai_summary, organization = excluded.organization,
    external_upvotes = excluded.external_upvotes, upvotes = excluded.upvotes, external_comments = excluded.external_comments,
    num_comments = excluded.num_comments, created_at = excluded.created_at, modified_at = excluded.modified_at`;

function rowParams(p: Paper) {
  return {
    id: p.id,
    version: p.version,
    title: p.title,
    abstract: p.abstract,
    // JSON text, as the SQLite store writes them: the keyword index reads authors, the filters categories.
    authors: JSON.stringify(p.authors),
    categories: JSON.stringify(p.categories),
    published_at: p.publishedAt,
    updated_at: p.updatedAt,
    comment: p.comment,
    journal_ref: p.journalRef,
    doi: p.doi,
    github_repo: p.githubRepo,
    github_stars: p.githubStars,
    project_page: p.projectPage,
    keywords: JSON.stringify(p.keywords),
    ai_summary: p.aiSummary,
    organization: p.organization,
    upvotes: p.upvotes,
    num_comments: p.numComments,
    created_at: p.createdAt,
    modified_at: p.modifiedAt,
  };
}

export class LocalSearchIndex {
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  /** Set once this index is known to follow the source's log. */
  private logChecked = false;

  private constructor(
    /** The SQLite store whose keyword search answers; only searchKeyword and compactSearchIndex are meant to be used. */
    readonly index: SqliteStore,
    private readonly writer: Database.Database,
    private readonly source: SearchIndexSource,
  ) {}

  /** Opens (or creates) the index in `dir`; call catchUp() before relying on it. */
  static async open(dir: string, source: SearchIndexSource, opts: SqliteStoreOptions = {}): Promise<LocalSearchIndex> {
    const path = join(dir, SEARCH_INDEX_FILE);
    const index = await SqliteStore.open(path, opts);
    try {
      await index.migrate();
      const writer = new Database(path);
      writer.pragma('busy_timeout = 5000');
      return new LocalSearchIndex(index, writer, source);
    } catch (err) {
      await index.close();
      throw err;
    }
  }

  /** The last change of the source this index holds. */
  get appliedSeq(): number {
    return Number(this.state(SEQ_KEY) ?? 0);
  }

  private state(key: string): string | null {
    const r = this.writer.prepare('SELECT value FROM app_state WHERE key = ?').get(key) as { value: string } | undefined;
    return r?.value ?? null;
  }

  private setState(key: string, value: string): void {
    this.writer.prepare('INSERT INTO app_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /**
   * Applies every change committed at the source. Calls made while one runs
   * share the next run, so a burst of notices costs two runs, not one each.
   */
  catchUp(): Promise<void> {
    if (this.running) {
      this.queued ??= this.running.then(() => {
        this.queued = null;
        return this.catchUp();
      });
      return this.queued;
    }
    this.running = this.applyAll().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Catches up if the source has changes this index has not applied: one cheap query when it has none. */
  async catchUpIfBehind(): Promise<void> {
    const latest = await this.source.latestPaperChangeSeq();
    if (latest !== this.appliedSeq) await this.catchUp();
  }

  async searchKeyword(query: KeywordQuery): Promise<RankedIds> {
    return this.index.searchKeyword(query);
  }

  async compactSearchIndex(opts?: { minSegments?: number }): Promise<SearchIndexCompaction> {
    return this.index.compactSearchIndex(opts);
  }

  async close(): Promise<void> {
    await this.running?.catch(() => {});
    if (this.writer.open) this.writer.close();
    await this.index.close();
  }

  private async applyAll(): Promise<void> {
    if (!this.logChecked) {
      // Another log's numbers mean nothing here (a new database behind the same URL): start over.
      const logId = await this.source.paperChangeLogId();
      if (this.state(LOG_KEY) !== logId) this.clear(logId);
      this.logChecked = true;
    }
    for (;;) {
      const changes = await this.source.paperChangesAfter(this.appliedSeq, BATCH);
      if (changes.length === 0) return;
      // In order of first change, so that new papers get rowids in the order the source created them (ties in ranking follow rowids).
      const ids = [...new Set(changes.map((c) => c.paperId))];
      const papers = await this.source.getPapers(ids);
      this.apply(ids, papers, changes.at(-1)!.seq);
    }
  }

  private apply(ids: string[], papers: Paper[], seq: number): void {
    const prepare = (sql: string) => this.writer.prepare(sql);
    this.writer
      .transaction(() => {
        const upsert = prepare(UPSERT);
        for (const p of papers) upsert.run(rowParams(p));
        const present = new Set(papers.map((p) => p.id));
        const remove = prepare('DELETE FROM papers WHERE id = ?');
        for (const id of ids) if (!present.has(id)) remove.run(id);
        flushKeywordIndex(prepare);
        this.setState(SEQ_KEY, String(seq));
      })
      .immediate();
  }

  private clear(logId: string): void {
    this.writer
      .transaction(() => {
        this.writer.prepare('DELETE FROM papers').run();
        this.setState(SEQ_KEY, '0');
        this.setState(LOG_KEY, logId);
      })
      .immediate();
  }
}
