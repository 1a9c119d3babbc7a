// A table's fingerprint, computed the same way on either backend: SHA-256
// over one canonical line per row (column-values.ts canonicalValue, as a JSON
// array), rows in key order, read in batches.
import { createHash } from 'node:crypto';
import { canonicalValue } from './column-values.js';
import type { PortableRow } from './column-values.js';
import type { CopySide, KeyValues } from './copy-side.js';
import { keyOf } from './copy-side.js';
import { batchSizeFor } from './copy-tables.js';
import type { CopyTable } from './copy-tables.js';

export interface TableChecksum {
  rows: number;
  /** Hex SHA-256. */
  sha256: string;
}

/** The line a row contributes: the same for the same data whichever backend holds it. */
export function canonicalRow(table: CopyTable, row: PortableRow): string {
  return JSON.stringify(row.map((v, i) => canonicalValue(table.columns[i]!.type, v)));
}

export async function tableChecksum(side: CopySide, table: CopyTable, batchSize: number): Promise<TableChecksum> {
  const hash = createHash('sha256');
  const size = batchSizeFor(table, batchSize);
  let after: KeyValues | null = null;
  let rows = 0;
  for (;;) {
    const batch = await side.readBatch(table, after, size);
    for (const row of batch) hash.update(`${canonicalRow(table, row)}\n`);
    rows += batch.length;
    if (batch.length < size) break;
    after = keyOf(table, batch.at(-1)!);
  }
  return { rows, sha256: hash.digest('hex') };
}
