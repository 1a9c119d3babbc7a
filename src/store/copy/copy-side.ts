// One end of a copy: a database of either backend, read and written table by
// table in key order. sqlite-side.ts and postgres-side.ts implement it.
import type { PortableRow } from './column-values.js';
import type { CopyTable } from './copy-tables.js';

export type Backend = 'sqlite' | 'postgres';

/** The key of the last row copied: where the next batch starts. */
export type KeyValues = (string | number)[];

export interface CopySide {
  readonly backend: Backend;
  /** Names the database in messages; never holds a password. */
  readonly label: string;
  /** What a copy into another database records as its source, to recognise a resume. */
  identity(): Promise<string>;
  /** Tables (not views) of the database. */
  tableNames(): Promise<string[]>;
  /** Column name -> declared type (lower case), or null when the table does not exist. */
  tableColumns(table: string): Promise<Map<string, string> | null>;
  countRows(table: CopyTable): Promise<number>;
  /** Up to `limit` rows with a key above `after` (all from the start when null), in key order, values in column order. */
  readBatch(table: CopyTable, after: KeyValues | null, limit: number): Promise<PortableRow[]>;
  /** The same in the table's arrival order (CopyTable.arrival), with where the next batch starts. */
  readArrivalBatch(table: CopyTable, after: KeyValues | null, limit: number): Promise<{ rows: PortableRow[]; next: KeyValues | null }>;
  /** Writes the rows (replacing rows with the same key) and `progress` as the copy marker, in one transaction. */
  writeBatch(table: CopyTable, rows: PortableRow[], progress: string): Promise<void>;
  readProgress(): Promise<string | null>;
  /** Writes `progress` as the copy marker on its own. */
  writeProgress(progress: string): Promise<void>;
  close(): Promise<void>;
}

/** Where the key columns are in a row. */
export function keyIndexes(table: CopyTable): number[] {
  return table.key.map((k) => {
    const i = table.columns.findIndex((c) => c.name === k);
    if (i < 0) throw new Error(`copy table ${table.name}: key column ${k} is not among its columns`);
    return i;
  });
}

export function keyOf(table: CopyTable, row: PortableRow): KeyValues {
  return keyIndexes(table).map((i) => row[i] as string | number);
}
