// How many papers match a keyword query, remembered while nothing it depends
// on has changed. Counting is a walk through every match's rowid: measured on
// 1M papers (2 shared cores), 0.05-0.18 us per match, so 48 ms for a word in
// 89% of the papers and 165 ms for a five-word natural-language query
// matching 92%; with a filter, each match is also looked up in
// paper_search_filters (0.7-1.5 us per match). That is too slow to repeat for
// every page of every query, and a count does not change until the papers
// do: migration 008 keeps a generation number that every write changing what
// keyword search matches or filters on increments (in any process, in the
// same transaction), so a remembered count is exact as long as the number is
// the same. The first query after a change pays for its count; paging,
// repeats and the search service's other reads of the same query do not.
import type Database from 'better-sqlite3';

type Prepare = (sql: string) => Database.Statement;
type Params = Record<string, unknown>;
type Counts = Record<string, number>;

/** The SQL that counts the rows of `t` meeting `conditions` and the paper_search_filters `filters`; one text per query shape, so that cache keys agree. */
export function countSql(t: string, conditions: string[], filters: string[], columns = 'count(*) AS n'): string {
  const join = filters.length > 0 ? ` JOIN paper_search_filters f ON f.paper_rowid = -${t}.rowid` : '';
  return `SELECT ${columns} FROM ${t}${join} WHERE ${[...conditions, ...filters].join(' AND ')}`;
}

export class MatchCounts {
  private readonly entries = new Map<string, Counts>();
  private generation: number | null = null;

  constructor(private readonly maxEntries = 10_000) {}

  get size(): number {
    return this.entries.size;
  }

  /** The one row of numbers `sql` selects with `params`: remembered, or counted now. */
  count(prepare: Prepare, sql: string, params: Params, run: (stmt: Database.Statement) => unknown = (stmt) => stmt.get(params)): Counts {
    const key = this.key(prepare, sql, params);
    const known = this.entries.get(key);
    if (known !== undefined) return known;
    const counted = run(prepare(sql)) as Counts;
    this.put(key, counted);
    return counted;
  }

  /** What `sql` selects with `params`, when it is remembered. */
  known(prepare: Prepare, sql: string, params: Params): Counts | undefined {
    return this.entries.get(this.key(prepare, sql, params));
  }

  /** Remembers what `sql` would select, counted by another statement. */
  remember(prepare: Prepare, sql: string, params: Params, counts: Counts): void {
    this.put(this.key(prepare, sql, params), counts);
  }

  private put(key: string, counts: Counts): void {
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, counts);
  }

  /** The statement and the values of the parameters it names; forgets everything when the generation moved. */
  private key(prepare: Prepare, sql: string, params: Params): string {
    const generation = (prepare('SELECT n FROM keyword_generation WHERE id = 1').get() as { n: number } | undefined)?.n ?? null;
    if (generation !== this.generation || generation === null) {
      this.entries.clear();
      this.generation = generation;
    }
    const names = [...new Set(sql.match(/@\w+/g) ?? [])];
    return `${sql}\u0000${JSON.stringify(names.map((n) => params[n.slice(1)] ?? null))}`;
  }
}
