// How a process-local copy of the papers (a keyword or vector index) learns
// what other processes wrote: every transaction that changes papers numbers
// its changes, and a reader that has seen number N asks for what came after.
//
// The guarantee a reader relies on: numbers become visible in commit order
// with no hole filled later, so after seeing N it never later finds a
// committed change numbered N or less that it has not seen. A SQLite store
// gets this for free from its single writer (an AUTOINCREMENT log table
// written by the transaction that changes the papers would do); PostgreSQL
// takes the numbers from a counter row locked until commit
// (postgres/change-log.ts).

/** One paper inserted or changed (its row, versions, categories or daily entries): read the paper again. */
export interface PaperChange {
  seq: number;
  paperId: string;
}

export interface PaperChangeFeed {
  /** Changes numbered above `afterSeq`, in number order, at most `limit` of them. */
  paperChangesAfter(afterSeq: number, limit: number): Promise<PaperChange[]>;
  /** The highest change number committed, 0 when none: everything up to it is visible. */
  latestPaperChangeSeq(): Promise<number>;
  /** Names this log (random, made with the database): numbers from another log mean nothing here. */
  paperChangeLogId(): Promise<string>;
}
